//! `shiji serve`: build into memory, serve over HTTP, watch the site's files, rebuild what a
//! change affects and tell the open pages.
//!
//! Three parts, each with one job: [`watch`] turns file-system events into changed paths,
//! [`incremental`] turns changed paths into changed output files, [`http`] serves the
//! output and the live-reload channel. This module wires them: a thread takes each burst of
//! changes, rebuilds, swaps the changed files into the served map and sends one message to
//! the open pages (reload, swap the stylesheet, or show the problems); after a patch, the
//! long lists it left for later follow with a second reload. The Tokio runtime lives only
//! here.

pub mod http;
pub mod incremental;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Instant;

use crate::diagnostics::{At, Diagnostic, Problems};
use crate::i18n::{Count, Language, Text};
use crate::messages as m;
use http::ServerState;
use incremental::{Preview, Update};

/// What `shiji serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// Poll for changes instead of waiting for events (network drives).
    pub poll: bool,
    /// The language of messages (`--lang`, `SHIJI_LANG`); else the site's own, read again
    /// at each problem, since site.toml may change while serving.
    pub lang: Option<Language>,
}

/// Runs until interrupted. Errors are those that keep it from starting (the port is taken,
/// the folders cannot be watched); problems of the site are shown, not returned.
pub fn run(opts: &ServeOptions) -> Result<(), Text> {
    let bind = SocketAddr::new(opts.bind, opts.port);
    let listener = std::net::TcpListener::bind(bind)
        .map_err(|e| m::serve_cannot_listen(bind.to_string(), e.to_string()))?;
    let cannot = |e: std::io::Error| m::serve_cannot(e.to_string());
    listener.set_nonblocking(true).map_err(cannot)?;
    let addr = listener.local_addr().map_err(cannot)?;
    let url = format!("http://{addr}/");
    let shared = ServerState::new();
    let mut preview = Preview::new(&opts.root, &url);
    let started = Instant::now();
    let first = preview.rebuild(&[]);
    // Tells a page that reconnects after a restart that it shows an older build.
    let generation = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let generation = format!("{generation:x}");
    let mut rebuilds = Rebuilds {
        shared: Arc::clone(&shared),
        generation,
        count: 0,
        root: opts.root.clone(),
        lang: opts.lang,
    };
    match &first {
        Ok(u) => println!(
            "{}",
            m::serve_built(u.pages, started.elapsed().as_millis().to_string())
                .get(Language::for_site(&opts.root, opts.lang))
        ),
        Err(report) => eprint!(
            "{}",
            report.render_human(false, Language::for_site(&opts.root, opts.lang))
        ),
    }
    rebuilds.publish(first, "");
    let (tx, changes) = mpsc::channel::<Vec<String>>();
    let mut watch = watch::Watch::start(&opts.root, opts.poll, tx)
        .map_err(|e| m::serve_cannot_watch(opts.root.display().to_string(), e.to_string()))?;
    // Changes pass through here to be known as waiting while the open data files are made.
    let waiting = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel();
    let flag = Arc::clone(&waiting);
    std::thread::spawn(move || {
        for paths in changes {
            flag.store(true, Ordering::SeqCst);
            if tx.send(paths).is_err() {
                break;
            }
        }
    });
    // Printed once the folders are watched: a change from now on is seen.
    let serving = m::serve_serving(opts.root.display().to_string(), &url);
    println!("{}", serving.get(Language::for_site(&opts.root, opts.lang)));
    let root = opts.root.clone();
    let site_url = url.clone();
    let explicit = opts.lang;
    std::thread::spawn(move || {
        let lang = || Language::for_site(&root, explicit);
        while let Ok(mut paths) = rx.recv() {
            // Whatever else arrived meanwhile is part of the same rebuild. The flag is set
            // before a change is passed on, so it is cleared only after taking them all.
            while let Ok(more) = rx.try_recv() {
                paths.extend(more);
            }
            waiting.store(false, Ordering::SeqCst);
            paths.sort();
            paths.dedup();
            if paths.iter().any(|p| watch::FOLDERS.contains(&p.as_str())) {
                watch.folders(&root);
            }
            let what = what_of(&paths);
            let t = Instant::now();
            let result = caught(&mut preview, &root, &site_url, &what, |p| p.rebuild(&paths));
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            match &result {
                Ok(u) => {
                    let files = u.put.len() + u.remove.len();
                    let line = m::serve_rebuilt(u.pages, files, format!("{ms:.0}"));
                    println!("{what}: {}", line.get(lang()));
                }
                Err(r) => {
                    let lang = lang();
                    eprint!("{}", r.render_human(false, lang));
                    let n = problems(r.errors.len());
                    eprintln!(
                        "{what}: {}",
                        crate::messages::serve_failed(n, format!("{ms:.0}")).get(lang)
                    );
                }
            }
            let failed = result.is_err();
            rebuilds.publish(result, &what);
            // The long lists and the open data files after the pages near the edit: its page
            // need not wait for them, nor the next change (they are made after it, then).
            let stop = || waiting.load(Ordering::SeqCst);
            let t = Instant::now();
            let later = caught(&mut preview, &root, &site_url, &what, |p| {
                p.render_later(&stop).transpose()
            });
            if let Some(later) = later.transpose() {
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                match &later {
                    Ok(u) => {
                        let line = m::serve_later(u.pages, format!("{ms:.0}"));
                        println!("{what}: {}", line.get(lang()));
                    }
                    Err(r) => {
                        let lang = lang();
                        eprint!("{}", r.render_human(false, lang));
                        let n = problems(r.errors.len());
                        eprintln!(
                            "{what}: {}",
                            crate::messages::serve_later_failed(n).get(lang)
                        );
                    }
                }
                match later {
                    // The problem shown stays until it is fixed, which reloads every page.
                    Ok(update) if failed => rebuilds.put(update),
                    Err(_) if failed => {}
                    later => rebuilds.publish(later, &what),
                }
            }
            let data = std::panic::catch_unwind(AssertUnwindSafe(|| preview.data_update(&stop)));
            if let Ok(Some(update)) = data {
                rebuilds.put(update);
            }
        }
    });

    if opts.open {
        open_browser(&url);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(cannot)?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::from_std(listener).map_err(cannot)?;
        http::serve(listener, http::app(shared, addr)).await;
        Ok(())
    })
}

/// Runs one step of a rebuild. A panic in it is a bug of shiji, not the site's: it is shown
/// as a problem and `preview` starts afresh, so that the next change rebuilds everything,
/// while the last good site stays served.
fn caught<T>(
    preview: &mut Preview,
    root: &Path,
    url: &str,
    what: &str,
    step: impl FnOnce(&mut Preview) -> Result<T, Problems>,
) -> Result<T, Problems> {
    std::panic::catch_unwind(AssertUnwindSafe(|| step(preview))).unwrap_or_else(|_| {
        *preview = Preview::new(root, url);
        Err(crate::content::finish(
            root,
            vec![
                Diagnostic::new("internal", what, At::File, crate::messages::internal())
                    .hint(crate::messages::internal_hint()),
            ],
        ))
    })
}

/// Publishes each rebuild's result to the server and the open pages.
struct Rebuilds {
    shared: Arc<ServerState>,
    generation: String,
    count: u64,
    root: PathBuf,
    lang: Option<Language>,
}

/// A number of problems, for the serve log.
fn problems(n: usize) -> Count {
    Count {
        n,
        one: "problem",
        many: "problems",
        zh: "个问题",
    }
}

impl Rebuilds {
    /// Serves the files of `update` without telling the open pages.
    fn put(&self, update: Update) {
        if let Ok(mut files) = self.shared.files.write() {
            update.apply(&mut files);
        }
    }

    fn publish(&mut self, result: Result<Update, Problems>, what: &str) {
        let send = |text: String| {
            // No page open is no error.
            let _ = self.shared.events.send(text);
        };
        match result {
            Ok(update) => {
                let changed = !update.is_empty();
                if changed {
                    self.count += 1;
                }
                let build = format!("{}-{}", self.generation, self.count);
                let css = update.css_only;
                let pages = update.only_pages.then(|| update.page_urls());
                self.put(update);
                let was_failing = self
                    .shared
                    .hello
                    .read()
                    .is_ok_and(|h| h.contains("\"errors\""));
                let hello = serde_json::json!({"type": "hello", "build": build});
                if let Ok(mut h) = self.shared.hello.write() {
                    *h = hello.to_string();
                }
                if css && !was_failing {
                    send(
                        serde_json::json!({"type": "css", "build": build, "changed": what})
                            .to_string(),
                    );
                } else if changed || was_failing {
                    let mut reload =
                        serde_json::json!({"type": "reload", "build": build, "changed": what});
                    // Only the open pages among those, when the update names them.
                    if let (Some(pages), false) = (pages, was_failing) {
                        reload["pages"] = pages.into();
                    }
                    send(reload.to_string());
                }
            }
            Err(report) => {
                let report = report.without_personal_data();
                let build = format!("{}-{}", self.generation, self.count);
                let lang = Language::for_site(&self.root, self.lang);
                let errors = report.to_json(lang);
                let text = report.render_human(false, lang);
                let hello = serde_json::json!({"type": "hello", "build": build, "errors": errors, "text": text});
                if let Ok(mut h) = self.shared.hello.write() {
                    *h = hello.to_string();
                }
                send(
                    serde_json::json!({"type": "error", "errors": errors, "text": text})
                        .to_string(),
                );
            }
        }
    }
}

/// The changed paths in a few words: the first ones and how many more.
fn what_of(paths: &[String]) -> String {
    match paths {
        [] => "nothing".to_string(),
        [one] => one.clone(),
        [a, b] => format!("{a}, {b}"),
        [a, rest @ ..] => format!("{a} and {} more", rest.len()),
    }
}

/// Asks the desktop to open `url`; failing to is not worth stopping for.
fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(program).arg(url).spawn() {
        let text = m::serve_no_browser(e.to_string(), url);
        eprintln!("{}", text.get(Language::from_env().unwrap_or_default()));
    }
}
