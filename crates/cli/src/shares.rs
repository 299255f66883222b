//! Recovery holders on the command line (`--holder`, `--passphrase-holder`, `--threshold`, `--shares-dir`), and
//! the share files a new share set is written to. Shared by `coffre init` and `coffre recovery rekey`.

use std::{
    fs,
    io::Write as _,
    path::{Path, PathBuf},
};

use clap::Args;
use coffre_i18n::t;
use coffre_proto::v1::{Holder, IssuedShares, ShareSetSpec, holder};
use serde::Serialize;

use crate::{
    exit::{Failure, Kind, io_reason},
    secrets_input::{Source, Spec, read_secret},
};

/// The default threshold: two holders (by default the president and the leader) together.
const DEFAULT_THRESHOLD: u32 = 2;

/// Who holds the recovery shares.
#[derive(Debug, Default, Args)]
pub(crate) struct HolderArgs {
    /// A recovery holder and their age public key (from `age-keygen` or `coffre recovery keygen`); repeat for each
    /// holder, e.g. --holder president=age1... --holder leader=age1...
    #[arg(long = "holder", value_name = "LABEL=age1...", help_heading = "Recovery shares")]
    pub(crate) holders: Vec<String>,
    /// A recovery holder without an age key, whose share file is locked with a passphrase they choose: typed at the
    /// terminal, or read from FILE
    #[arg(long = "passphrase-holder", value_name = "LABEL[=FILE]", help_heading = "Recovery shares")]
    pub(crate) passphrase_holders: Vec<String>,
    /// How many holders must come together to recover the vault (at least 2) [default: 2]
    #[arg(long, value_name = "K", help_heading = "Recovery shares")]
    pub(crate) threshold: Option<u32>,
    /// Where to write one share file per holder (created, private, if missing)
    #[arg(long, value_name = "DIR", help_heading = "Recovery shares")]
    pub(crate) shares_dir: Option<PathBuf>,
}

impl HolderArgs {
    /// Whether any holder option was given.
    pub(crate) fn any(&self) -> bool {
        !self.holders.is_empty()
            || !self.passphrase_holders.is_empty()
            || self.threshold.is_some()
            || self.shares_dir.is_some()
    }

    /// Checks the options and the share directory before anything is sent, reads holders' passphrases, and
    /// returns the share set to ask for and where its files go.
    pub(crate) fn share_set(&self) -> Result<(ShareSetSpec, PathBuf), Failure> {
        if self.holders.is_empty() && self.passphrase_holders.is_empty() {
            return Err(Failure::new(Kind::Usage, t!("shares-no-holders")));
        }
        let dir = self.shares_dir.clone().ok_or_else(|| Failure::new(Kind::Usage, t!("shares-dir-missing")))?;
        prepare_dir(&dir)?;
        let mut holders = Vec::new();
        for value in &self.holders {
            let (label, key) = value
                .split_once('=')
                .ok_or_else(|| Failure::invalid(t!("shares-holder-syntax", value = value.as_str())))?;
            // Checked here too (the daemon refuses it as well), before any passphrase holder is asked to type.
            let key = key.trim();
            let same = holders.iter().find(|h: &&Holder| {
                matches!(&h.key, Some(holder::Key::AgeRecipient(known)) if known.eq_ignore_ascii_case(key))
            });
            if let Some(other) = same {
                return Err(Failure::invalid(t!(
                    "shares-holder-same-key",
                    label = label.trim(),
                    other = other.label.as_str()
                )));
            }
            holders
                .push(Holder { label: label.trim().to_owned(), key: Some(holder::Key::AgeRecipient(key.to_owned())) });
        }
        for value in &self.passphrase_holders {
            let (label, file) = match value.split_once('=') {
                Some((label, file)) => (label.trim(), Some(Path::new(file))),
                None => (value.trim(), None),
            };
            let source = file.map_or(Source::Prompt, Source::File);
            let prompt = t!("shares-holder-passphrase-prompt", label = label);
            let passphrase = read_secret(source, &Spec::NEW_PASSPHRASE, &prompt)?;
            holders.push(Holder {
                label: label.to_owned(),
                key: Some(holder::Key::Passphrase(passphrase.to_request_bytes())),
            });
        }
        let threshold = self.threshold.unwrap_or(DEFAULT_THRESHOLD);
        Ok((ShareSetSpec { threshold, holders }, dir))
    }
}

/// Creates the share directory (0700) if missing and checks that a file can be written there, so that a share set
/// is never issued only to find that its files cannot be saved.
fn prepare_dir(dir: &Path) -> Result<(), Failure> {
    use std::os::unix::fs::DirBuilderExt as _;
    let cannot = |err: std::io::Error| {
        Failure::invalid(t!("shares-dir-cannot-write", path = dir.display().to_string(), reason = io_reason(&err)))
    };
    fs::DirBuilder::new().recursive(true).mode(0o700).create(dir).map_err(cannot)?;
    let probe = dir.join(".coffre-write-test");
    fs::write(&probe, b"").and_then(|()| fs::remove_file(&probe)).map_err(cannot)
}

/// One written share file, for the output.
#[derive(Serialize)]
pub(crate) struct WrittenShare {
    pub(crate) holder: String,
    pub(crate) number: u32,
    pub(crate) file: String,
}

/// Writes each holder's share file into `dir` (mode 0600; an existing file of the same name is replaced: it belongs
/// to a share set this one replaces).
pub(crate) fn write_share_files(dir: &Path, issued: &IssuedShares) -> Result<Vec<WrittenShare>, Failure> {
    let mut written = Vec::new();
    for share in &issued.shares {
        let path = dir.join(file_name(share.x, &share.holder));
        write_private(&path, share.armored.as_bytes()).map_err(|err| {
            Failure::other(t!("shares-file-cannot-write", path = path.display().to_string(), reason = io_reason(&err)))
        })?;
        written.push(WrittenShare { holder: share.holder.clone(), number: share.x, file: path.display().to_string() });
    }
    Ok(written)
}

/// `share-1-president.age`: the number keeps two labels that read alike apart, the label says whose it is.
pub(crate) fn file_name(x: u32, label: &str) -> String {
    let safe: String = label
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .trim_matches('-')
        .to_owned();
    format!("share-{x}-{}.age", if safe.is_empty() { "holder" } else { &safe })
}

/// Writes through a temporary file (0600) renamed into place.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.partial"));
    let result = (|| {
        let mut file = fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// What people read after a share set is issued.
pub(crate) fn issued_text(issued: &IssuedShares, written: &[WrittenShare]) -> String {
    let mut text = coffre_i18n::t!(
        "shares-issued",
        set = issued.share_set_id.as_str(),
        threshold = issued.threshold,
        holders = written.len()
    );
    text.push('\n');
    for share in written {
        text.push_str("  ");
        text.push_str(&coffre_i18n::t!(
            "shares-issued-line",
            number = share.number,
            holder = crate::output::printable(&share.holder),
            file = share.file.as_str()
        ));
        text.push('\n');
    }
    text.push_str(&coffre_i18n::t!("shares-hand-out"));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_file_names_are_safe_and_numbered() {
        assert_eq!(file_name(1, "president"), "share-1-president.age");
        assert_eq!(file_name(2, "Élodie Tremblay"), "share-2-élodie-tremblay.age");
        assert_eq!(file_name(3, "../../etc/passwd"), "share-3-etc-passwd.age");
        assert_eq!(file_name(4, "///"), "share-4-holder.age");
    }

    #[test]
    fn holders_are_required_with_their_directory() {
        let none = HolderArgs::default();
        assert!(!none.any());
        assert_eq!(none.share_set().err().map(|e| e.exit_code()), Some(2));
        let no_dir = HolderArgs { holders: vec!["a=age1x".into()], ..HolderArgs::default() };
        assert!(no_dir.share_set().err().is_some_and(|e| e.message().starts_with("--shares-dir DIR is required")));
    }

    #[test]
    fn a_holder_without_a_key_is_explained() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let args = HolderArgs {
            holders: vec!["president".into()],
            shares_dir: Some(dir.path().to_path_buf()),
            ..HolderArgs::default()
        };
        let err = args.share_set().err().map(|e| e.message().to_owned()).unwrap_or_default();
        assert_eq!(err, "--holder president: write it LABEL=age1..., e.g. president=age1qyz...");
        Ok(())
    }
}
