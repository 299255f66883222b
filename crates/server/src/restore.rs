//! `coffred restore`: a backup onto a new data directory, offline. The engine does the work and refuses anything
//! doubtful without changing the directory; this reads the two files and says what was done and what comes next.

use std::{fmt::Write as _, io::Read as _, sync::Arc};

use anyhow::Context as _;
use coffre_crypto::age_file::AgeIdentity;
use coffre_i18n::{Lang, t_in};
use coffre_vault::{StoreBackend, backup, clock::SystemClock};
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
    let file = std::fs::read(&args.from).with_context(|| format!("cannot read the backup {}", args.from.display()))?;
    let mut text = Zeroizing::new(String::new());
    std::fs::File::open(&args.identity)
        .and_then(|f| f.take(MAX_IDENTITY_BYTES).read_to_string(&mut text))
        .with_context(|| format!("cannot read the identity file {}", args.identity.display()))?;
    let identity = AgeIdentity::parse(&text).with_context(|| format!("{}", args.identity.display()))?;
    let report = backup::restore(&file, &identity, data_dir, Arc::new(SystemClock))?;
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
