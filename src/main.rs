//! `shiji`: the command line. Argument parsing only; each command is one function.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use shiji::check;
use shiji::generate::{self, Outcome};
use shiji::i18n::{Language, Text};
use shiji::messages as m;

mod help;

/// mimalloc: reading a site allocates millions of small strings from several threads, where
/// it is markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "shiji",
    version,
    about = "实绩送到: build the public results site of community co-construction records"
)]
struct Cli {
    /// The language of messages: zh-CN or en (default: SHIJI_LANG, else the site's `language`).
    #[arg(long, global = true, value_parser = parse_lang)]
    lang: Option<Language>,
    #[command(subcommand)]
    command: Command,
}

fn parse_lang(s: &str) -> Result<Language, String> {
    Language::parse(s).ok_or_else(|| format!("`{s}`: zh-CN or en"))
}

#[derive(Subcommand)]
enum Command {
    /// Make a small working site with a record of every kind in a new folder.
    New {
        /// The folder to create (must not exist, or be empty).
        dir: PathBuf,
    },
    /// Check, render and write the site; the old output stays until the new one is complete.
    Build {
        /// The site's folder (holding site.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: public/ in the site's folder).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Publish under this URL instead of site.toml's base_url (may include a path).
        #[arg(long)]
        base_url: Option<String>,
        /// Include records marked `draft: true`, marked as drafts on the pages.
        #[arg(long)]
        drafts: bool,
        /// Print nothing on success.
        #[arg(long, short)]
        quiet: bool,
        /// Also print how long each stage took.
        #[arg(long)]
        timings: bool,
    },
    /// Build into memory and serve the site with live reload; rebuild what each edit affects.
    Serve {
        /// The site's folder (holding site.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on (only this machine by default).
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// The port (0: any free port; the URL is printed).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in the browser.
        #[arg(long)]
        open: bool,
        /// Poll for changes instead of waiting for events (for network drives).
        #[arg(long)]
        poll: bool,
    },
    /// Write every record of the site (drafts too) as a ledger workbook (.xlsx), with
    /// drop-down lists for every value check would refuse; or one kind as CSV (--kind).
    Export {
        /// The site's folder (holding site.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The kind of record to export (items, evaluations… or 事项, 评价…): required for CSV.
        #[arg(long)]
        kind: Option<String>,
        /// The file to write: FILE.xlsx, or FILE.csv with --kind.
        file: PathBuf,
    },
    /// Validate every record and site.toml; write nothing.
    Check {
        /// The site's folder (holding site.toml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to print problems.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Print nothing on success.
        #[arg(long, short)]
        quiet: bool,
        /// Check records and site.toml only, not templates and links (much faster on a
        /// large site: nothing is rendered).
        #[arg(long)]
        content_only: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

fn main() -> ExitCode {
    // The help is in the language a run would speak, known before the arguments are parsed.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = help::language_of(&args);
    let matches = help::localise(Cli::command(), lang).get_matches_from(args);
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let explicit = cli.lang;
    match cli.command {
        Command::New { dir } => run_new(&dir, explicit.unwrap_or(lang)),
        Command::Export { root, kind, file } => {
            let lang = Language::for_site(&root, explicit);
            run_export(&root, kind.as_deref(), &file, lang)
        }
        Command::Check {
            root,
            format,
            quiet,
            content_only,
        } => {
            let lang = Language::for_site(&root, explicit);
            run_check(root, format, quiet, content_only, lang)
        }
        Command::Serve {
            root,
            bind,
            port,
            open,
            poll,
        } => run_serve(shiji::serve::ServeOptions {
            root,
            bind,
            port,
            open,
            poll,
            lang: explicit,
        }),
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            quiet,
            timings,
        } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            let progress = !quiet && std::io::stderr().is_terminal();
            let lang = Language::for_site(&root, explicit);
            run_build(
                generate::BuildOptions {
                    root,
                    output,
                    base_url,
                    drafts,
                    progress,
                },
                quiet,
                timings,
                lang,
            )
        }
    }
}

/// Prints `text` in `lang` on stderr.
fn say_error(text: Text, lang: Language) {
    eprintln!("{}", text.get(lang));
}

fn run_new(dir: &std::path::Path, lang: Language) -> ExitCode {
    let today = chrono::Local::now().date_naive();
    match shiji::new::new_site(dir, today) {
        Ok(n) => {
            println!("{}", m::new_made(dir.display().to_string(), n).get(lang));
            ExitCode::SUCCESS
        }
        Err(e) => {
            say_error(m::error_line(e.get(lang).to_string()), lang);
            ExitCode::from(2)
        }
    }
}

fn run_export(
    root: &std::path::Path,
    kind: Option<&str>,
    file: &std::path::Path,
    lang: Language,
) -> ExitCode {
    use shiji::content::sheet::SheetOf;
    if !root.is_dir() {
        say_error(m::not_a_folder(root.display().to_string()), lang);
        return ExitCode::from(2);
    }
    let kind = match kind.map(|k| {
        SheetOf::named(k)
            .or_else(|| shiji::content::records::Kind::from_folder(k).map(SheetOf::Records))
    }) {
        None => None,
        Some(Some(SheetOf::Records(kind))) => Some(kind),
        Some(_) => {
            say_error(m::export_bad_kind(), lang);
            return ExitCode::from(2);
        }
    };
    let shown = file.display().to_string();
    match shiji::export::export(root, file, kind) {
        Ok(s) => {
            println!("{}", m::export_done(s.records, s.sheets, shown).get(lang));
            ExitCode::SUCCESS
        }
        Err(shiji::export::Failure::Records(report)) => {
            eprint!(
                "{}",
                report.render_human(std::io::stderr().is_terminal(), lang)
            );
            let n = shiji::i18n::Count {
                n: report.errors.len(),
                one: "problem",
                many: "problems",
                zh: "个问题",
            };
            say_error(m::export_problems(n), lang);
            ExitCode::from(1)
        }
        Err(shiji::export::Failure::CsvWithoutKind) => {
            say_error(m::export_csv_needs_kind(), lang);
            ExitCode::from(2)
        }
        Err(shiji::export::Failure::Write(e)) => {
            say_error(m::export_cannot_write(shown, e.to_string()), lang);
            ExitCode::from(1)
        }
    }
}

fn run_build(opts: generate::BuildOptions, quiet: bool, timings: bool, lang: Language) -> ExitCode {
    if !opts.root.is_dir() {
        say_error(m::not_a_folder(opts.root.display().to_string()), lang);
        return ExitCode::from(2);
    }
    match generate::build(&opts) {
        Ok(s) => {
            if !quiet {
                let search = s
                    .stages
                    .of(generate::STAGE_SEARCH)
                    .map(|t| m::built_search(format!("{t:.2}")))
                    .unwrap_or(Text {
                        en: String::new(),
                        zh: String::new(),
                    });
                let line = m::built(
                    s.records,
                    s.pages,
                    s.files,
                    s.unchanged,
                    format!("{:.2}", s.seconds),
                    search,
                    opts.output.display().to_string(),
                );
                println!("{}", line.get(lang));
            }
            if timings {
                for (stage, seconds) in &s.stages.seconds {
                    println!("{seconds:8.2} s  {stage}");
                }
            }
            ExitCode::SUCCESS
        }
        Err(report) => {
            eprint!(
                "{}",
                report.render_human(std::io::stderr().is_terminal(), lang)
            );
            eprintln!("{}", report.summary_line(lang, true));
            ExitCode::from(1)
        }
    }
}

fn run_serve(opts: shiji::serve::ServeOptions) -> ExitCode {
    let lang = Language::for_site(&opts.root, opts.lang);
    if !opts.root.is_dir() {
        say_error(m::not_a_folder(opts.root.display().to_string()), lang);
        return ExitCode::from(2);
    }
    match shiji::serve::run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say_error(m::error_line(e.get(lang).to_string()), lang);
            ExitCode::from(2)
        }
    }
}

fn run_check(
    root: PathBuf,
    format: Format,
    quiet: bool,
    content_only: bool,
    lang: Language,
) -> ExitCode {
    if !root.is_dir() {
        say_error(m::not_a_folder(root.display().to_string()), lang);
        return ExitCode::from(2);
    }
    let started = Instant::now();
    let outcome = if content_only {
        generate::load_site(&root, false)
    } else {
        generate::check(&root)
    };
    let seconds = started.elapsed().as_secs_f64();
    match format {
        Format::Json => println!("{}", check::to_json(&outcome, lang)),
        Format::Human => match &outcome {
            Outcome::Ok(site) => {
                if !quiet {
                    let elapsed = m::elapsed(format!("{seconds:.2}"));
                    println!("{}{}", check::summary(site, lang), elapsed.get(lang));
                }
            }
            Outcome::Failed(report) => {
                let styled = std::io::stderr().is_terminal();
                eprint!("{}", report.render_human(styled, lang));
                eprintln!("{}", report.summary_line(lang, false));
            }
        },
    }
    let code = match outcome {
        Outcome::Ok(_) => ExitCode::SUCCESS,
        Outcome::Failed(_) => ExitCode::from(1),
    };
    // The process ends here: freeing a quarter of a million records one by one would only
    // delay the exit; the operating system takes the memory back at once.
    std::mem::forget(outcome);
    code
}
