//! shiji (实绩): a static-site generator for the public results of community
//! co-construction (共驻共建): agreements, claimed items, completion reports, evaluations.
//!
//! Data flows one way, each stage handing the next a finished value:
//! files → [`content`] (typed records) → [`site`] (resolved, checked, derived figures)
//! → [`pages`] (the route table and each page kind's data, rendered with [`render`]'s
//! templates, Markdown and minifying) → [`output`] (written beside the old output, swapped
//! in when complete). [`generate`] runs them all; [`check`] and [`serve`] use it.
//!
//! Modules import one way (tests/structure.rs fails on a cycle): at the bottom [`i18n`],
//! [`messages`], [`html`], [`syntax`], [`digest`] and [`builtin_theme`] use no other stage;
//! then [`privacy`], [`diagnostics`], [`config`], [`content`], [`photos`], [`site`],
//! [`render`], [`pages`], [`output`], [`generate`]; each may use only those before it.

pub mod builtin_theme;
pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod digest;
pub mod export;
pub mod generate;
pub mod html;
pub mod i18n;
pub mod messages;
pub mod new;
pub mod output;
pub mod pages;
pub mod photos;
pub mod privacy;
pub mod render;
pub mod serve;
pub mod site;
pub mod syntax;
