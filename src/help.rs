//! `--help` in the editor's language: clap's derived help, its words taken from the
//! catalogue (`help_*` in `shiji::messages`) for both languages, headings included.

use std::ffi::OsString;
use std::path::Path;

use clap::{Arg, ArgAction, Command};
use shiji::i18n::{Language, Text};
use shiji::messages as m;

/// The language a run speaks, from the raw arguments: `--lang`, else `SHIJI_LANG`, else the
/// `language` of the site named by `--root` (or of the current folder), else zh-CN.
pub fn language_of(args: &[OsString]) -> Language {
    let args: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let value_of = |name: &str| {
        let eq = format!("{name}=");
        args.iter().enumerate().find_map(|(i, a)| {
            if a == name {
                args.get(i + 1).cloned()
            } else {
                a.strip_prefix(&eq).map(str::to_string)
            }
        })
    };
    let explicit = value_of("--lang").and_then(|l| Language::parse(&l));
    let root = value_of("--root").unwrap_or_else(|| ".".to_string());
    Language::for_site(Path::new(&root), explicit)
}

/// `cmd` with every help text, heading and built-in flag in `lang`.
pub fn localise(cmd: Command, lang: Language) -> Command {
    let t = |text: Text| text.get(lang).to_string();
    let usage = t(m::help_usage());
    let template = format!("{{about-with-newline}}\n{usage}{{usage}}\n\n{{all-args}}");
    let options = t(m::help_options_word());
    let usage_of = |name: &str, operand: &str| format!("shiji {name}{options}{operand}");
    let words = Words {
        options: t(m::help_options()),
        arguments: t(m::help_arguments()),
        help: t(m::help_help()),
        version: t(m::help_version()),
        template,
    };
    let cmd = words
        .apply(cmd, true)
        .about(t(m::help_about()))
        .subcommand_help_heading(t(m::help_commands()))
        .subcommand_value_name(t(m::help_command_word()))
        .override_usage(usage_of("", &format!(" <{}>", t(m::help_command_word()))))
        .disable_help_subcommand(true)
        .mut_arg("lang", |a| {
            a.help(t(m::help_lang()))
                .value_name(t(m::help_value_lang()))
        });
    let dir = t(m::help_value_dir());
    cmd.mut_subcommand("new", |c| {
        words
            .apply(c, false)
            .about(t(m::help_new()))
            .override_usage(usage_of("new ", &format!(" <{dir}>")))
            .mut_arg("dir", |a| {
                a.help(t(m::help_new_dir())).value_name(dir.clone())
            })
    })
    .mut_subcommand("build", |c| {
        words
            .apply(c, false)
            .about(t(m::help_build()))
            .override_usage(usage_of("build ", ""))
            .mut_arg("root", |a| {
                a.help(t(m::help_root())).value_name(dir.clone())
            })
            .mut_arg("output", |a| {
                a.help(t(m::help_output())).value_name(dir.clone())
            })
            .mut_arg("base_url", |a| {
                a.help(t(m::help_base_url()))
                    .value_name(t(m::help_value_url()))
            })
            .mut_arg("drafts", |a| a.help(t(m::help_drafts())))
            .mut_arg("quiet", |a| a.help(t(m::help_quiet())))
            .mut_arg("timings", |a| a.help(t(m::help_timings())))
    })
    .mut_subcommand("serve", |c| {
        words
            .apply(c, false)
            .about(t(m::help_serve()))
            .override_usage(usage_of("serve ", ""))
            .mut_arg("root", |a| {
                a.help(t(m::help_root())).value_name(dir.clone())
            })
            .mut_arg("bind", |a| {
                a.help(t(m::help_bind()))
                    .value_name(t(m::help_value_address()))
            })
            .mut_arg("port", |a| {
                a.help(t(m::help_port()))
                    .value_name(t(m::help_value_port()))
            })
            .mut_arg("open", |a| a.help(t(m::help_open())))
            .mut_arg("poll", |a| a.help(t(m::help_poll())))
    })
    .mut_subcommand("export", |c| {
        words
            .apply(c, false)
            .about(t(m::help_export()))
            .override_usage(usage_of(
                "export ",
                &format!(" <{}>", t(m::help_value_file())),
            ))
            .mut_arg("root", |a| {
                a.help(t(m::help_root())).value_name(dir.clone())
            })
            .mut_arg("kind", |a| {
                a.help(t(m::help_export_kind()))
                    .value_name(t(m::help_value_kind()))
            })
            .mut_arg("file", |a| {
                a.help(t(m::help_export_file()))
                    .value_name(t(m::help_value_file()))
            })
    })
    .mut_subcommand("check", |c| {
        words
            .apply(c, false)
            .about(t(m::help_check()))
            .override_usage(usage_of("check ", ""))
            .mut_arg("root", |a| {
                a.help(t(m::help_root())).value_name(dir.clone())
            })
            .mut_arg("format", |a| {
                a.help(t(m::help_format()))
                    .value_name(t(m::help_value_format()))
            })
            .mut_arg("quiet", |a| a.help(t(m::help_quiet())))
            .mut_arg("content_only", |a| a.help(t(m::help_content_only())))
    })
}

/// What every command's help shares: headings, the help and version flags, the template.
struct Words {
    options: String,
    arguments: String,
    help: String,
    version: String,
    template: String,
}

impl Words {
    fn apply(&self, cmd: Command, top: bool) -> Command {
        let mut cmd = cmd
            .help_template(self.template.clone())
            .disable_help_flag(true)
            .arg(
                Arg::new("help")
                    .short('h')
                    .long("help")
                    .action(ArgAction::Help)
                    .help(self.help.clone()),
            );
        if top {
            cmd = cmd.disable_version_flag(true).arg(
                Arg::new("version")
                    .short('V')
                    .long("version")
                    .action(ArgAction::Version)
                    .help(self.version.clone()),
            );
        }
        let ids: Vec<(String, bool, bool)> = cmd
            .get_arguments()
            .map(|a| {
                let id = a.get_id().to_string();
                (id, a.is_positional(), a.get_action().takes_values())
            })
            .collect();
        for (id, positional, takes_value) in ids {
            let heading = if positional {
                self.arguments.clone()
            } else {
                self.options.clone()
            };
            // Defaults and possible values are in the catalogue's words instead of clap's.
            cmd = cmd.mut_arg(id, |a| {
                let a = a.help_heading(heading);
                if takes_value {
                    a.hide_default_value(true).hide_possible_values(true)
                } else {
                    a
                }
            });
        }
        cmd
    }
}
