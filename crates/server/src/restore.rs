//! `coffred restore`: a backup onto a new data directory, offline. The engine does the work and refuses anything
//! doubtful without changing the directory; this reads the two files and says what was done and what comes next.

use std::{fmt::Write as _, io::Read as _, sync::Arc};

use anyhow::Context as _;
use coffre_crypto::age_file::{AgeError, AgeIdentity};
use coffre_i18n::{Lang, t_in};
use coffre_vault::{
    StoreBackend,
    backup::{self, RestoreError},
    clock::SystemClock,
};
use zeroize::Zeroizing;

use crate::{cli::RestoreArgs, config::ServerConfig};

/// The largest identity file read (an age identity file is a few hundred bytes).
const MAX_IDENTITY_BYTES: u64 = 64 * 1024;

/// Restores `args.from` into `config`'s data directory (and, when `config` keeps the records in PostgreSQL, moves
/// them into its schema); returns the lines to print, in `lang`.
pub fn run(args: &RestoreArgs, config: &ServerConfig, lang: Lang) -> anyhow::Result<String> {
    // The database settings are checked (and its password read) before anything is written.
    let store = config.vault_config()?.store;
    let data_dir = config.data_dir.as_path();
    let file = std::fs::read(&args.from).map_err(|e| {
        anyhow::anyhow!(t_in!(
            lang,
            "restore-cannot-read-backup",
            path = args.from.display().to_string(),
            reason = e.to_string()
        ))
    })?;
    let mut text = Zeroizing::new(String::new());
    std::fs::File::open(&args.identity).and_then(|f| f.take(MAX_IDENTITY_BYTES).read_to_string(&mut text)).map_err(
        |e| {
            anyhow::anyhow!(t_in!(
                lang,
                "restore-cannot-read-identity",
                path = args.identity.display().to_string(),
                reason = e.to_string()
            ))
        },
    )?;
    let identity = AgeIdentity::parse(&text).map_err(|e| {
        anyhow::anyhow!(t_in!(
            lang,
            "restore-bad-identity",
            path = args.identity.display().to_string(),
            problem = age_problem(lang, &e)
        ))
    })?;
    let report = backup::restore(&file, &identity, data_dir, Arc::new(SystemClock))
        .map_err(|e| anyhow::anyhow!(refusal(lang, &e)))?;
    let created = time::OffsetDateTime::from(report.backup_created);
    let created = created.format(&time::format_description::well_known::Rfc3339).unwrap_or_else(|_| "?".into());
    let data_dir_text = data_dir.display().to_string();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        t_in!(lang, "restore-done", vault = report.vault_id.as_str(), path = data_dir_text.as_str())
    );
    if let StoreBackend::Postgres(target) = &store {
        let (records, place) = coffre_vault::move_restored_store(data_dir, target)
            .map_err(|e| crate::rebuild::in_language(lang, &e))
            .with_context(|| t_in!(lang, "restore-not-moved", path = data_dir_text.as_str()))?;
        let _ =
            writeln!(out, "{}", t_in!(lang, "restore-moved", place = place.as_str(), records = records.to_string()));
    }
    let data_dir = data_dir_text;
    let _ = writeln!(
        out,
        "{}",
        t_in!(
            lang,
            "restore-taken",
            time = created,
            records = report.records.to_string(),
            events = report.audit_events.to_string()
        )
    );
    let shares = match &report.share_set_id {
        Some(id) => t_in!(lang, "restore-shares-of-set", set = id.as_str()),
        None => t_in!(lang, "restore-shares"),
    };
    let _ = writeln!(out, "{}", t_in!(lang, "restore-next", path = data_dir.as_str(), shares = shares));
    Ok(out)
}

/// A restore's refusal in `lang`, saying what to do next.
pub(crate) fn refusal(lang: Lang, err: &RestoreError) -> String {
    match err {
        RestoreError::Decrypt(age) => t_in!(lang, "restore-refused-decrypt", problem = age_problem(lang, age)),
        RestoreError::Damaged(damage) => {
            let problem = coffre_i18n::message(lang, &format!("restore-damage-{}", damage.code()), &damage.arguments())
                .unwrap_or_else(|| damage.to_string());
            t_in!(lang, "restore-refused-damaged", problem = problem)
        }
        RestoreError::OtherVault { dir, existing, backup } => t_in!(
            lang,
            "restore-refused-other-vault",
            dir = dir.display().to_string(),
            existing = existing.as_str(),
            backup = backup.as_str()
        ),
        RestoreError::NotEmpty(dir) => t_in!(lang, "restore-refused-not-empty", dir = dir.display().to_string()),
        RestoreError::Io { dir, what, source } => {
            let step = coffre_i18n::message(lang, &format!("restore-step-{}", what.code()), &[])
                .unwrap_or_else(|| what.to_string());
            t_in!(lang, "restore-refused-io", dir = dir.display().to_string(), step = step, reason = source.to_string())
        }
        RestoreError::Check(engine) => {
            let problem = crate::status::engine_message(lang, engine).unwrap_or_else(|| engine.to_string());
            t_in!(lang, "restore-refused-check", problem = problem)
        }
    }
}

/// An age error in `lang` (the English text when the catalogue lacks it).
pub(crate) fn age_problem(lang: Lang, err: &AgeError) -> String {
    coffre_i18n::message(lang, &format!("age-problem-{}", err.code()), &err.arguments())
        .unwrap_or_else(|| err.to_string())
}

#[cfg(test)]
mod tests {
    use coffre_vault::backup::{Damage, Step};

    use super::*;

    /// Every code a restore or an age file can refuse with has its message in both catalogues, with what the English
    /// text says.
    #[test]
    fn every_restore_refusal_has_its_message_in_both_languages() {
        let damages = [
            Damage::NotABackup,
            Damage::UnknownFormat(9),
            Damage::Digest,
            Damage::Malformed,
            Damage::NoHeader,
            Damage::BadHeader,
            Damage::HeaderOfOtherVault,
            Damage::SegmentsOutOfOrder,
            Damage::ReadsBackOtherVault,
            Damage::LogShort { events: 3, expected: 4 },
        ];
        let steps = [
            Step::ReadTarget,
            Step::RemoveEmptyTarget,
            Step::MoveIntoPlace,
            Step::SyncDirectory,
            Step::CreateDirectory,
            Step::CreateSegment,
            Step::WriteSegment,
            Step::WriteMarker,
        ];
        let ages = [
            AgeError::BadRecipient("age1x".into()),
            AgeError::NoIdentity,
            AgeError::BadIdentity(3),
            AgeError::NotAgeFile,
            AgeError::NoMatchingKey,
            AgeError::WrongPassphrase,
            AgeError::NeedsPassphrase,
            AgeError::NeedsIdentity,
            AgeError::Damaged,
            AgeError::TooLarge(5),
            AgeError::ExcessiveWork,
            AgeError::Encrypt("why".into()),
        ];
        for lang in [Lang::En, Lang::FrCa] {
            for damage in damages {
                let id = format!("restore-damage-{}", damage.code());
                let text = coffre_i18n::message(lang, &id, &damage.arguments()).expect(&id);
                assert_eq!(lang == Lang::En, text == damage.to_string(), "{text}");
            }
            for step in steps {
                let id = format!("restore-step-{}", step.code());
                let text = coffre_i18n::message(lang, &id, &[]).expect(&id);
                assert_eq!(lang == Lang::En, text == step.to_string(), "{text}");
            }
            for age in &ages {
                let id = format!("age-problem-{}", age.code());
                let text = coffre_i18n::message(lang, &id, &age.arguments()).expect(&id);
                assert_eq!(lang == Lang::En, text == age.to_string(), "{text}");
            }
        }
    }
}
