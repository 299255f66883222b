//! `coffre guide recovery`: the holders' recovery guide, shipped inside the program in the reader's language, so
//! that an installed `coffre` can print it without the source tree.

use clap::{Args, ValueEnum};
use coffre_i18n::Lang;

use crate::{Context, exit::Failure, output::write_stdout};

/// Options of `coffre guide`.
#[derive(Debug, Args)]
pub(crate) struct GuideArgs {
    /// Which guide to print
    #[arg(value_enum, value_name = "TOPIC")]
    topic: Topic,
}

/// The guides `coffre guide` prints.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Topic {
    /// What recovery holders keep and what to do on the bad day (print it and keep it with your share)
    Recovery,
}

const RECOVERY_EN: &str = include_str!("../../../docs/recovery.md");
const RECOVERY_FR: &str = include_str!("../../../docs/fr/recuperation.md");

/// The text of `topic` in `lang`.
fn text(topic: Topic, lang: Lang) -> &'static str {
    match (topic, lang) {
        (Topic::Recovery, Lang::En) => RECOVERY_EN,
        (Topic::Recovery, Lang::FrCa) => RECOVERY_FR,
    }
}

pub(crate) fn run(args: &GuideArgs, ctx: &Context) -> Result<(), Failure> {
    write_stdout(text(args.topic, ctx.lang()).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recovery_guide_ships_in_both_languages() {
        assert!(text(Topic::Recovery, Lang::En).starts_with("# Recovering the vault"));
        assert!(text(Topic::Recovery, Lang::FrCa).starts_with("# Récupérer le coffre"));
    }
}
