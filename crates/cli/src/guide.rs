//! `coffre guide TOPIC`: the guides people are told to read, shipped inside the program in the reader's language,
//! so that an installed `coffre` can print them without the source tree: the holders' recovery guide, changing
//! passwords and approvals, the audit log.

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
    /// Changing passwords in two steps, platform codes, what should change, approvals
    Rotation,
    /// The audit log: who reads it, its export and how to verify it
    Audit,
}

const RECOVERY_EN: &str = include_str!("../../../docs/recovery.md");
const RECOVERY_FR: &str = include_str!("../../../docs/fr/recuperation.md");
const ROTATION_EN: &str = include_str!("../../../docs/rotation.md");
const ROTATION_FR: &str = include_str!("../../../docs/fr/rotation.md");
const AUDIT_EN: &str = include_str!("../../../docs/audit-log.md");
const AUDIT_FR: &str = include_str!("../../../docs/fr/journal-audit.md");

/// The text of `topic` in `lang`.
fn text(topic: Topic, lang: Lang) -> &'static str {
    match (topic, lang) {
        (Topic::Recovery, Lang::En) => RECOVERY_EN,
        (Topic::Recovery, Lang::FrCa) => RECOVERY_FR,
        (Topic::Rotation, Lang::En) => ROTATION_EN,
        (Topic::Rotation, Lang::FrCa) => ROTATION_FR,
        (Topic::Audit, Lang::En) => AUDIT_EN,
        (Topic::Audit, Lang::FrCa) => AUDIT_FR,
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
        assert!(text(Topic::Rotation, Lang::En).starts_with("# Changing passwords"));
        assert!(text(Topic::Rotation, Lang::FrCa).starts_with("# Changer les mots de passe"));
        assert!(text(Topic::Audit, Lang::En).starts_with("# The audit log"));
        assert!(text(Topic::Audit, Lang::FrCa).starts_with("# Le journal d'audit"));
    }
}
