//! `coffred restore`: a backup onto a new data directory, offline. The engine does the work and refuses anything
//! doubtful without changing the directory; this reads the two files and says what was done and what comes next.

use std::{fmt::Write as _, io::Read as _, path::Path, sync::Arc};

use anyhow::Context as _;
use coffre_crypto::age_file::AgeIdentity;
use coffre_i18n::{Lang, t_in};
use coffre_vault::{backup, clock::SystemClock};
use zeroize::Zeroizing;

use crate::cli::RestoreArgs;

/// The largest identity file read (an age identity file is a few hundred bytes).
const MAX_IDENTITY_BYTES: u64 = 64 * 1024;

/// Restores `args.from` into `data_dir`; returns the lines to print, in `lang`.
pub fn run(args: &RestoreArgs, data_dir: &Path, lang: Lang) -> anyhow::Result<String> {
    let file = std::fs::read(&args.from).with_context(|| format!("cannot read the backup {}", args.from.display()))?;
    let mut text = Zeroizing::new(String::new());
    std::fs::File::open(&args.identity)
        .and_then(|f| f.take(MAX_IDENTITY_BYTES).read_to_string(&mut text))
        .with_context(|| format!("cannot read the identity file {}", args.identity.display()))?;
    let identity = AgeIdentity::parse(&text).with_context(|| format!("{}", args.identity.display()))?;
    let report = backup::restore(&file, &identity, data_dir, Arc::new(SystemClock))?;
    let created = time::OffsetDateTime::from(report.backup_created);
    let created = created.format(&time::format_description::well_known::Rfc3339).unwrap_or_else(|_| "?".into());
    let data_dir = data_dir.display().to_string();
    let mut out = String::new();
    let _ =
        writeln!(out, "{}", t_in!(lang, "restore-done", vault = report.vault_id.as_str(), path = data_dir.as_str()));
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
