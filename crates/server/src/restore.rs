//! `coffred restore`: a backup onto a new data directory, offline. The engine does the work and refuses anything
//! doubtful without changing the directory; this reads the two files and says what was done and what comes next.

use std::{fmt::Write as _, io::Read as _, path::Path, sync::Arc};

use anyhow::Context as _;
use coffre_crypto::age_file::AgeIdentity;
use coffre_vault::{backup, clock::SystemClock};
use zeroize::Zeroizing;

use crate::cli::RestoreArgs;

/// The largest identity file read (an age identity file is a few hundred bytes).
const MAX_IDENTITY_BYTES: u64 = 64 * 1024;

/// Restores `args.from` into `data_dir`; returns the lines to print.
pub fn run(args: &RestoreArgs, data_dir: &Path) -> anyhow::Result<String> {
    let file = std::fs::read(&args.from).with_context(|| format!("cannot read the backup {}", args.from.display()))?;
    let mut text = Zeroizing::new(String::new());
    std::fs::File::open(&args.identity)
        .and_then(|f| f.take(MAX_IDENTITY_BYTES).read_to_string(&mut text))
        .with_context(|| format!("cannot read the identity file {}", args.identity.display()))?;
    let identity = AgeIdentity::parse(&text).with_context(|| format!("{}", args.identity.display()))?;
    let report = backup::restore(&file, &identity, data_dir, Arc::new(SystemClock))?;
    let created = time::OffsetDateTime::from(report.backup_created);
    let mut out = String::new();
    let _ = writeln!(out, "coffred: restored vault {} into {}", report.vault_id, data_dir.display());
    let _ = writeln!(
        out,
        "coffred: the backup was taken at {} UTC; {} records and {} audit events are back",
        created.format(&time::format_description::well_known::Rfc3339).unwrap_or_else(|_| "?".into()),
        report.records,
        report.audit_events
    );
    let shares = match &report.share_set_id {
        Some(id) => format!(
            "the holders' shares of share set {id}, the set current when the backup was taken (a later rekey's \
             shares do not open it)"
        ),
        None => "the holders' shares".to_owned(),
    };
    let _ = writeln!(
        out,
        "coffred: next, start coffred on {} and unseal with an owner's passphrase (`coffre unseal`) or with {shares} \
         (`coffre recover --share FILE`)",
        data_dir.display()
    );
    Ok(out)
}
