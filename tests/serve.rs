//! `shiji serve` as editors use it: the binary on a free port against a copy of the
//! demonstration site, driven over real HTTP and WebSocket while its files are edited.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tungstenite::stream::MaybeTlsStream;

mod common;

/// How long anything may take before the test fails (a loaded CI machine is slow).
const PATIENCE: Duration = Duration::from_secs(30);

struct Server {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Serves a fresh copy of the demonstration site (in `site/` of a temporary folder, with
    /// `secret.txt` beside it that must never be served).
    fn start() -> Server {
        Server::start_with(&[])
    }

    fn start_with(args: &[&str]) -> Server {
        Server::start_edited(args, |_| {})
    }

    /// Serves a copy edited by `edit` (given the copy's folder) before serve starts.
    fn start_edited(args: &[&str], edit: impl FnOnce(&Path)) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let copy = common::copy_site(Path::new(env!("CARGO_MANIFEST_DIR")));
        std::fs::rename(copy.path(), dir.path().join("site")).unwrap();
        edit(&dir.path().join("site"));
        std::fs::write(dir.path().join("secret.txt"), "SECRET-OUTSIDE").unwrap();
        std::fs::write(
            dir.path().join("site/static/extra.css"),
            "p { color: #111 }\n",
        )
        .unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_shiji"))
            .args(["serve", "--port", "0", "--root"])
            .arg(dir.path().join("site"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start shiji serve");
        let (tx, rx) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            // Read every line, so that the server never blocks on a full pipe.
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + PATIENCE;
        let port = loop {
            let line = rx
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("serve prints its URL");
            if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                break rest
                    .trim_end_matches(|c: char| !c.is_ascii_digit())
                    .split('/')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
            }
        };
        Server { child, port, dir }
    }

    fn site(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    /// Saves as vim and VS Code do: a new file renamed over the old one.
    fn save(&self, rel: &str, text: &str) {
        let path = self.site().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let tmp = path.with_file_name(".shiji-test-save.tmp");
        std::fs::write(&tmp, text).unwrap();
        std::fs::rename(&tmp, &path).unwrap();
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.site().join(rel)).unwrap()
    }

    /// GET `path` exactly as written (no client normalises it): status, headers, body.
    fn get(&self, path: &str) -> (u16, String, String) {
        self.get_with(path, "Host: 127.0.0.1")
    }

    /// GET `path` with the header lines `headers` (`Host` among them).
    fn get_with(&self, path: &str, headers: &str) -> (u16, String, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\n{headers}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, head.to_ascii_lowercase(), body.to_string())
    }

    /// Waits until the page at `path` satisfies `ok`; its body.
    fn until(&self, path: &str, what: &str, ok: impl Fn(u16, &str) -> bool) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let (status, _, body) = self.get(path);
            if ok(status, &body) {
                return body;
            }
            assert!(
                Instant::now() < deadline,
                "{path} never {what} (last status {status})"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// A live-reload connection, as an open page has, and the hello it got.
    fn connect(&self) -> (Live, serde_json::Value) {
        let url = format!("ws://127.0.0.1:{}/__shiji/live", self.port);
        let (mut ws, _) = tungstenite::connect(url).unwrap();
        if let MaybeTlsStream::Plain(s) = ws.get_mut() {
            s.set_read_timeout(Some(PATIENCE)).unwrap();
        }
        let mut live = Live(ws);
        let hello = live.next();
        assert_eq!(hello["type"], "hello", "{hello}");
        (live, hello)
    }

    fn live(&self) -> Live {
        self.connect().0
    }
}

/// An open page's live-reload connection.
struct Live(tungstenite::WebSocket<MaybeTlsStream<TcpStream>>);

impl Live {
    fn next(&mut self) -> serde_json::Value {
        loop {
            match self.0.read().expect("a message before the timeout") {
                tungstenite::Message::Text(t) => return serde_json::from_str(&t).unwrap(),
                tungstenite::Message::Close(_) => panic!("the server closed the connection"),
                _ => {}
            }
        }
    }

    /// The next message of type `kind`, skipping others.
    fn expect(&mut self, kind: &str) -> serde_json::Value {
        loop {
            let m = self.next();
            if m["type"] == kind {
                return m;
            }
        }
    }
}

const ITEM: &str = "content/items/2018/dianchang/i-2018-035.yaml";
const ITEM_URL: &str = "/items/i-2018-035/";
const TITLE: &str = "老旧供水管网漏损排查";

#[test]
fn an_edit_is_served_and_the_pages_told_to_reload() {
    let s = Server::start();
    let mut live = s.live();
    let text = s.read(ITEM);
    s.save(ITEM, &text.replace(TITLE, "漏损排查改过了"));
    live.expect("reload");
    let body = s.until(ITEM_URL, "showed the edit", |_, b| {
        b.contains("漏损排查改过了")
    });
    assert!(
        body.contains("/__shiji/live.js"),
        "the live-reload script is in served pages"
    );
    // The community's page lists the item too.
    s.until("/communities/dianchang/", "listed the edit", |_, b| {
        b.contains("漏损排查改过了")
    });
}

/// A status that changes figures every page of a list shows: the edited page is served and
/// reloaded first, the long lists and the home page after, each reload naming its pages.
#[test]
fn the_long_lists_are_reloaded_after_the_edited_page() {
    let s = Server::start_edited(&[], |site| {
        let toml = site.join("site.toml");
        let text = std::fs::read_to_string(&toml).unwrap();
        std::fs::write(
            &toml,
            text.replace("items_per_page = 20", "items_per_page = 2"),
        )
        .unwrap();
    });
    let (item, item_url) = (
        "content/items/2018/wenmiao/i-2018-007.yaml",
        "/items/i-2018-007/",
    );
    // Every page of the overdue list counts the overdue items.
    let list = "/overdue/page/2/";
    let before = s.until(list, "was served", |st, _| st == 200);
    let mut live = s.live();
    let text = s.read(item);
    s.save(item, &text.replace("status: claimed", "status: cancelled"));
    let named = |m: &serde_json::Value, url: &str| {
        m["pages"]
            .as_array()
            .unwrap_or_else(|| panic!("the reload names its pages: {m}"))
            .iter()
            .any(|p| p == url)
    };
    let first = live.expect("reload");
    assert!(
        named(&first, item_url) && !named(&first, list) && !named(&first, "/"),
        "the edited page first: {first}"
    );
    let then = live.expect("reload");
    assert!(
        named(&then, list) && named(&then, "/") && !named(&then, item_url),
        "the long lists and the home page after, without the edited page: {then}"
    );
    let (_, _, after) = s.get(list);
    assert_ne!(before, after, "{list} shows the new figures");
}

#[test]
fn saves_by_rename_are_each_seen() {
    let s = Server::start();
    let text = s.read(ITEM);
    for n in 1..=5 {
        let title = format!("第{n}次保存的标题");
        s.save(ITEM, &text.replace(TITLE, &title));
        s.until(ITEM_URL, &format!("showed save {n}"), |_, b| {
            b.contains(&title)
        });
    }
}

#[test]
fn polling_sees_saves_too() {
    let s = Server::start_with(&["--poll"]);
    let text = s.read(ITEM);
    // notify's poll watcher compares modification times in whole seconds (decisions.md,
    // `serve`): a save in the same second as the file's last change is not seen, so this
    // one waits for the clock to pass that second, as an editor's next save in practice does.
    let changed = std::fs::metadata(s.site().join(ITEM))
        .unwrap()
        .modified()
        .unwrap();
    let second =
        |t: std::time::SystemTime| t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    while second(std::time::SystemTime::now()) <= second(changed) {
        std::thread::sleep(Duration::from_millis(50));
    }
    s.save(ITEM, &text.replace(TITLE, "轮询看到的标题"));
    s.until(ITEM_URL, "showed the edit", |_, b| {
        b.contains("轮询看到的标题")
    });
}

#[test]
fn records_created_and_deleted() {
    let s = Server::start();
    let rel = "content/items/new-item.yaml";
    s.save(
        rel,
        "title: 新建的事项标题\ncommunity: dukou\nclaimed_by:\n  unit: zilaishui\ncategory: repair\nclaimed: 2018-09-01\n",
    );
    s.until("/items/new-item/", "appeared", |st, b| {
        st == 200 && b.contains("新建的事项标题")
    });
    s.until("/communities/dukou/", "listed it", |_, b| {
        b.contains("新建的事项标题")
    });
    std::fs::remove_file(s.site().join(rel)).unwrap();
    let body = s.until("/items/new-item/", "went", |st, _| st == 404);
    assert!(
        body.contains("<html"),
        "the 404 page is served for a missing page"
    );
    s.until("/communities/dukou/", "dropped it", |_, b| {
        !b.contains("新建的事项标题")
    });
}

#[test]
fn a_broken_record_shows_the_problem_and_keeps_the_last_good_page() {
    let s = Server::start();
    let mut live = s.live();
    let good = s.read(ITEM);
    s.save(ITEM, &good.replace(TITLE, "坏掉之前的标题"));
    live.expect("reload");
    s.until(ITEM_URL, "showed the edit", |_, b| {
        b.contains("坏掉之前的标题")
    });

    s.save(
        ITEM,
        &good
            .replace(TITLE, "坏掉的标题")
            .replace("claimed: 2018-04-16", "claimed: 2018-13-45"),
    );
    let error = live.expect("error");
    let first = &error["errors"][0];
    assert_eq!(first["file"], ITEM, "{error}");
    assert!(first["line"].as_u64().is_some_and(|l| l > 1), "{error}");
    assert!(!first["message"].as_str().unwrap().is_empty(), "{error}");
    assert!(
        error["text"].as_str().unwrap().contains("2018-13-45"),
        "the snippet: {error}"
    );
    // The last good page is still served, and a page opened now is told of the problem.
    let (status, _, body) = s.get(ITEM_URL);
    assert_eq!(status, 200);
    assert!(body.contains("坏掉之前的标题") && !body.contains("坏掉的标题"));
    let (mut again, hello) = s.connect();
    assert_eq!(hello["errors"][0]["file"], ITEM, "{hello}");

    s.save(ITEM, &good.replace(TITLE, "修好了的标题"));
    live.expect("reload");
    again.expect("reload");
    s.until(ITEM_URL, "recovered", |_, b| b.contains("修好了的标题"));
    let (_, hello) = s.connect();
    assert!(hello.get("errors").is_none(), "{hello}");
}

#[test]
fn a_stylesheet_change_is_swapped_without_a_reload() {
    let s = Server::start();
    let mut live = s.live();
    s.save("static/extra.css", "p { color: #222 }\n");
    let m = live.next();
    assert_eq!(m["type"], "css", "{m}");
    s.until("/extra.css", "changed", |_, b| b.contains("#222"));
}

#[test]
fn only_the_site_is_served() {
    let s = Server::start();
    for path in [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2f..%2fsecret.txt",
        "/items/../../secret.txt",
        "/..%5csecret.txt",
        "/../site/site.toml",
        "/site.toml",
        "/content/items/2018/dianchang/i-2018-035.yaml",
    ] {
        let (status, _, body) = s.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(
            !body.contains("SECRET-OUTSIDE") && !body.contains("base_url"),
            "{path}"
        );
    }
    let (status, head, body) = s.get("/");
    assert_eq!(status, 200);
    assert!(
        head.contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(body.contains("<html"));
    let (_, head, _) = s.get("/style.css");
    assert!(head.contains("content-type: text/css"), "{head}");
    let (_, head, body) = s.get("/feed.xml");
    assert!(head.contains("xml"), "{head}");
    assert!(!body.contains("live.js"), "only HTML pages get the script");
    let (status, head, _) = s.get("/photos/dianchang-guanwang.png");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: image/png"), "{head}");
    // Drafts are shown, and marked.
    let (status, _, body) = s.get("/items/i-2018-033/");
    assert_eq!(status, 200);
    assert!(body.contains("tag-draft"), "a draft is marked");
    // The live-reload script is served, and a page without its slash is redirected.
    let (status, head, _) = s.get("/__shiji/live.js");
    assert_eq!(status, 200);
    assert!(head.contains("javascript"), "{head}");
    let (status, head, _) = s.get("/overdue");
    assert_eq!(status, 308);
    assert!(head.contains("location: /overdue/"), "{head}");
}

#[test]
fn only_its_own_address_is_answered() {
    let s = Server::start();
    let port = s.port;
    // A WebSocket from another site's page is refused; from the served origin it opens.
    let ws = |origin: &str| {
        let mut request = tungstenite::client::IntoClientRequest::into_client_request(format!(
            "ws://127.0.0.1:{port}/__shiji/live"
        ))
        .unwrap();
        request
            .headers_mut()
            .insert("Origin", origin.parse().unwrap());
        tungstenite::connect(request)
    };
    match ws("http://evil.example") {
        Err(tungstenite::Error::Http(r)) => assert_eq!(r.status(), 403),
        other => panic!(
            "a cross-origin handshake was not refused: {:?}",
            other.map(|_| ())
        ),
    }
    assert!(ws(&format!("http://127.0.0.1:{port}")).is_ok());
    assert!(ws(&format!("http://localhost:{port}")).is_ok());
    // A page asked for by another name (DNS rebinding) is refused, by its own address served.
    let (status, _, body) = s.get_with("/", &format!("Host: evil.example:{port}"));
    assert_eq!(status, 403);
    assert!(!body.contains("<html"));
    let (status, _, _) = s.get_with("/", &format!("Host: localhost:{port}"));
    assert_eq!(status, 200);
    // No protocol-relative redirect: `//overdue` would send the browser to the host `overdue`.
    let (status, head, _) = s.get("//overdue");
    assert_eq!(status, 308);
    assert!(head.contains("location: /overdue/\r\n"), "{head}");
}

#[test]
fn a_connection_that_sends_nothing_is_closed() {
    let s = Server::start();
    let mut idle = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    idle.set_read_timeout(Some(PATIENCE)).unwrap();
    let started = Instant::now();
    let mut buf = [0u8; 64];
    // The server closes it (a read of 0 bytes, or a reset), well before our patience ends.
    let n = idle.read(&mut buf).unwrap_or(0);
    assert_eq!(n, 0);
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn the_problem_shown_to_pages_does_not_quote_personal_data() {
    let s = Server::start();
    let mut live = s.live();
    let good = s.read(ITEM);
    s.save(ITEM, &good.replace(TITLE, "联系13812345678"));
    let error = live.expect("error");
    assert_eq!(error["errors"][0]["code"], "phone-number", "{error}");
    assert!(!error.to_string().contains("13812345678"), "{error}");
    let (_, hello) = s.connect();
    assert!(!hello.to_string().contains("13812345678"), "{hello}");
}
