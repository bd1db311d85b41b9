//! `shiji`: the command line. Argument parsing only; each command is one function.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use shiji::check::{self, Outcome};
use shiji::generate;

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
    #[command(subcommand)]
    command: Command,
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
    let cli = Cli::parse();
    match cli.command {
        Command::New { dir } => run_new(&dir),
        Command::Export { root, kind, file } => run_export(&root, kind.as_deref(), &file),
        Command::Check {
            root,
            format,
            quiet,
            content_only,
        } => run_check(root, format, quiet, content_only),
        Command::Serve {
            root,
            bind,
            port,
            open,
            poll,
        } => run_serve(shiji::serve::Options {
            root,
            bind,
            port,
            open,
            poll,
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
            run_build(
                generate::Options {
                    root,
                    output,
                    base_url,
                    drafts,
                    progress,
                },
                quiet,
                timings,
            )
        }
    }
}

fn run_new(dir: &std::path::Path) -> ExitCode {
    match shiji::new::new_site(dir) {
        Ok(n) => {
            println!(
                "made a new site in {} ({n} files); next: shiji build --root {}",
                dir.display(),
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run_export(root: &std::path::Path, kind: Option<&str>, file: &std::path::Path) -> ExitCode {
    use shiji::content::sheet::SheetOf;
    if !root.is_dir() {
        eprintln!("error: --root {} is not a folder", root.display());
        return ExitCode::from(2);
    }
    let kind = match kind.map(|k| {
        SheetOf::named(k)
            .or_else(|| shiji::content::records::Kind::from_folder(k).map(SheetOf::Records))
    }) {
        None => None,
        Some(Some(SheetOf::Records(kind))) => Some(kind),
        Some(_) => {
            eprintln!(
                "error: --kind must be a kind of record: streets, communities, units, agreements, items, reports, evaluations or pages"
            );
            return ExitCode::from(2);
        }
    };
    if kind.is_none() && shiji::content::sheet::is_csv(&file.to_string_lossy()) {
        eprintln!("error: a CSV file holds one kind of record: add --kind, e.g. --kind items");
        return ExitCode::from(2);
    }
    match shiji::export::export(root, file, kind) {
        Ok(s) => {
            println!(
                "exported {} records in {} sheet(s) → {}",
                s.records,
                s.sheets,
                file.display()
            );
            ExitCode::SUCCESS
        }
        Err(shiji::export::Failure::Records(report)) => {
            eprint!("{}", report.render_human(std::io::stderr().is_terminal()));
            eprintln!(
                "error: {} problem(s) found; nothing was exported (fix them first: a record that cannot be read cannot be written back)",
                report.errors.len()
            );
            ExitCode::from(1)
        }
        Err(shiji::export::Failure::Write(e)) => {
            eprintln!("error: cannot write {}: {e}", file.display());
            ExitCode::from(1)
        }
    }
}

fn run_build(opts: generate::Options, quiet: bool, timings: bool) -> ExitCode {
    if !opts.root.is_dir() {
        eprintln!("error: --root {} is not a folder", opts.root.display());
        return ExitCode::from(2);
    }
    match generate::build(&opts) {
        Ok(s) => {
            if !quiet {
                let search = s
                    .stages
                    .of(generate::STAGE_SEARCH)
                    .map(|t| format!(", search index {t:.2} s"))
                    .unwrap_or_default();
                println!(
                    "built {} records into {} pages ({} files, {} unchanged) in {:.2} s{search} → {}",
                    s.records,
                    s.pages,
                    s.files,
                    s.unchanged,
                    s.seconds,
                    opts.output.display()
                );
            }
            if timings {
                for (stage, seconds) in &s.stages.seconds {
                    println!("{seconds:8.2} s  {stage}");
                }
            }
            ExitCode::SUCCESS
        }
        Err(report) => {
            eprint!("{}", report.render_human(std::io::stderr().is_terminal()));
            eprintln!(
                "error: {} problem(s) found; the output was not changed",
                report.errors.len()
            );
            ExitCode::from(1)
        }
    }
}

fn run_serve(opts: shiji::serve::Options) -> ExitCode {
    if !opts.root.is_dir() {
        eprintln!("error: --root {} is not a folder", opts.root.display());
        return ExitCode::from(2);
    }
    match shiji::serve::run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run_check(root: PathBuf, format: Format, quiet: bool, content_only: bool) -> ExitCode {
    if !root.is_dir() {
        eprintln!("error: --root {} is not a folder", root.display());
        return ExitCode::from(2);
    }
    let started = Instant::now();
    let outcome = if content_only {
        check::load_site(&root, false)
    } else {
        check::check(&root)
    };
    let seconds = started.elapsed().as_secs_f64();
    match format {
        Format::Json => println!("{}", check::to_json(&outcome)),
        Format::Human => match &outcome {
            Outcome::Ok(site) => {
                if !quiet {
                    println!("{} ({seconds:.2} s)", check::summary(site));
                }
            }
            Outcome::Failed(report) => {
                let styled = std::io::stderr().is_terminal();
                eprint!("{}", report.render_human(styled));
                eprintln!(
                    "error: {} problem(s) found; nothing was written",
                    report.errors.len()
                );
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
