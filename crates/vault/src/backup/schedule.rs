//! Scheduled backups: the daemon calls [`BackupSchedule::step`] now and then; a step writes a backup when the
//! vault is unsealed and the newest backup in the directory is older than the interval, then keeps only the newest
//! `keep` backups of this vault there. Time comes from the engine's clock, so tests drive steps without sleeping.
//!
//! Files are named `coffre-<vault id>-<UTC time, YYYYMMDDTHHMMSSZ>.age`, so their names sort by age and say which
//! vault they hold; files of other names, or of other vaults, are never touched.

use std::{
    io::Write as _,
    path::{Path, PathBuf},
    time::Duration,
};

use time::{OffsetDateTime, PrimitiveDateTime, format_description::BorrowedFormatItem, macros::format_description};

use super::sync_dir;
use crate::{Error, Result, Vault, clock::unix_millis, model::RequestContext};

const STAMP: &[BorrowedFormatItem<'static>] = format_description!("[year][month][day]T[hour][minute][second]Z");

/// Where, how often and how many backups the daemon keeps.
#[derive(Clone, Debug)]
pub struct BackupSchedule {
    /// The directory the backups go to (created 0700 if missing).
    pub dir: PathBuf,
    /// A backup is due when the newest one is this old.
    pub interval: Duration,
    /// How many of this vault's backups to keep (at least 1).
    pub keep: usize,
}

/// What a step did.
#[derive(Debug, PartialEq, Eq)]
pub enum StepOutcome {
    /// The vault is sealed (or not initialised): no key, no backup.
    Sealed,
    /// The newest backup is younger than the interval.
    NotDue,
    /// A backup was written, and older ones beyond `keep` were removed.
    Written {
        /// The new file.
        path: PathBuf,
        /// The files removed.
        pruned: Vec<PathBuf>,
    },
}

impl BackupSchedule {
    /// How often the daemon should call [`Self::step`]: often enough to keep to the interval within a minute.
    pub fn check_every(&self) -> Duration {
        self.interval.min(Duration::from_secs(60)).max(Duration::from_secs(1))
    }

    /// Writes a backup if one is due, then prunes. Errors name the directory and say what failed; the daemon logs
    /// them and tries again at the next step.
    pub async fn step(&self, vault: &Vault) -> Result<StepOutcome> {
        let Ok(open) = vault.inner.unsealed() else { return Ok(StepOutcome::Sealed) };
        let vault_id = open.vault_id.to_hex();
        let now = vault.inner.clock.now();
        let fail = |what: &str, e: std::io::Error| {
            Error::Internal(format!("scheduled backup in {}: cannot {what}: {e}", self.dir.display()))
        };
        create_private_dir(&self.dir).map_err(|e| fail("create the directory", e))?;
        let (existing, ahead): (Vec<_>, Vec<_>) = backups_of(&self.dir, &vault_id)
            .map_err(|e| fail("list the directory", e))?
            .into_iter()
            .partition(|(_, ms)| *ms <= unix_millis(now));
        // A backup dated ahead of the clock (written while the clock was wrong, then put right) would count as the
        // newest until that date, and no backup would be due: it is neither counted nor pruned, only named.
        for (name, _) in &ahead {
            tracing::warn!(
                file = %self.dir.join(name).display(),
                "a backup in the schedule's directory is dated ahead of the clock: it is left as it is and not \
                 counted; check the machine's clock, then move that file aside"
            );
        }
        let interval_ms = i64::try_from(self.interval.as_millis()).unwrap_or(i64::MAX);
        if let Some((_, newest)) = existing.last()
            && unix_millis(now).saturating_sub(*newest) < interval_ms
        {
            return Ok(StepOutcome::NotDue);
        }
        let ctx = RequestContext { client_agent: "coffred/scheduler".into(), ..RequestContext::default() };
        let backup = vault.backup_as(&ctx, "coffred", &open, "scheduled").await?;
        let stamp = OffsetDateTime::from(now).format(STAMP).map_err(|e| Error::Internal(e.to_string()))?;
        let path = self.dir.join(format!("coffre-{vault_id}-{stamp}.age"));
        write_atomically(&self.dir, &path, &backup.file).map_err(|e| fail("write the backup", e))?;
        let mut names: Vec<String> = existing.into_iter().map(|(name, _)| name).collect();
        let new_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if !names.contains(&new_name) {
            names.push(new_name);
        }
        let mut pruned = Vec::new();
        for name in to_prune(&names, self.keep) {
            let old = self.dir.join(name);
            std::fs::remove_file(&old).map_err(|e| fail("remove an old backup", e))?;
            pruned.push(old);
        }
        sync_dir(&self.dir).map_err(|e| fail("sync the directory", e))?;
        Ok(StepOutcome::Written { path, pruned })
    }

    /// This vault's backups in the directory, newest first: each file's name and the time its name says. A
    /// directory not made yet holds none. Owners only.
    pub fn written(&self, vault: &Vault, ctx: &RequestContext) -> Result<Vec<(String, std::time::SystemTime)>> {
        let caller = vault.inner.authorize(ctx, crate::authz::Action::ReadRecovery)?;
        let found = match backups_of(&self.dir, &caller.open.vault_id.to_hex()) {
            Ok(found) => found,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => {
                return Err(Error::Internal(format!("cannot list the backups in {}: {e}", self.dir.display())));
            }
        };
        Ok(found.into_iter().rev().map(|(name, ms)| (name, crate::clock::from_millis(ms))).collect())
    }
}

/// Of `names` (this vault's backups, any order), those to remove so that the newest `keep` remain (one at least).
pub(crate) fn to_prune(names: &[String], keep: usize) -> Vec<String> {
    let mut sorted = names.to_vec();
    // The UTC stamp in the name sorts as time does.
    sorted.sort();
    sorted.dedup();
    let excess = sorted.len().saturating_sub(keep.max(1));
    sorted.truncate(excess);
    sorted
}

/// This vault's backups in `dir`, oldest first, with the time their name says (ms since the epoch).
fn backups_of(dir: &Path, vault_id: &str) -> std::io::Result<Vec<(String, i64)>> {
    let prefix = format!("coffre-{vault_id}-");
    let mut found = Vec::new();
    for item in std::fs::read_dir(dir)? {
        let name = item?.file_name().to_string_lossy().into_owned();
        let Some(stamp) = name.strip_prefix(&prefix).and_then(|rest| rest.strip_suffix(".age")) else { continue };
        // A name that does not carry a time is not one of ours: never counted, never pruned.
        let Ok(time) = PrimitiveDateTime::parse(stamp, STAMP) else { continue };
        found.push((name, time.assume_utc().unix_timestamp().saturating_mul(1000)));
    }
    found.sort();
    Ok(found)
}

/// Writes `bytes` to `path` through a new temporary file in the same directory (mode 0600), fsync, rename, so a
/// crash leaves either the whole backup or none.
fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let tmp = dir.join(format!(".{}.tmp", path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()));
    // Only ever created new (create_new neither follows a link nor reuses a file): the directory may be a shared
    // one that existed before, and whatever stands at this predictable name is not ours to write through or remove.
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&tmp).map_err(|e| {
        std::io::Error::new(e.kind(), format!("{}: {e} (move it aside if it is not needed)", tmp.display()))
    })?;
    let result = (|| {
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt as _;
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn pruning_keeps_the_newest() {
        let all = names(&[
            "coffre-ab-20300103T000000Z.age",
            "coffre-ab-20300101T000000Z.age",
            "coffre-ab-20300102T000000Z.age",
        ]);
        assert_eq!(to_prune(&all, 2), names(&["coffre-ab-20300101T000000Z.age"]));
        assert_eq!(to_prune(&all, 3), Vec::<String>::new());
        assert_eq!(to_prune(&all, 10), Vec::<String>::new());
        assert_eq!(to_prune(&all, 1).len(), 2);
        assert_eq!(to_prune(&all, 0).len(), 2, "at least one backup is always kept");
    }

    #[test]
    fn only_this_vaults_backups_are_listed() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        for name in ["coffre-ab-20300101T000000Z.age", "coffre-cd-20300101T000000Z.age", "notes.txt", "coffre-ab-x.age"]
        {
            std::fs::write(dir.path().join(name), b"")?;
        }
        let found = backups_of(dir.path(), "ab")?;
        assert_eq!(found, vec![("coffre-ab-20300101T000000Z.age".to_string(), 1_893_456_000_000)]);
        Ok(())
    }

    #[test]
    fn check_every_is_at_most_a_minute() {
        let schedule = |secs| BackupSchedule { dir: PathBuf::new(), interval: Duration::from_secs(secs), keep: 1 };
        assert_eq!(schedule(86_400).check_every(), Duration::from_secs(60));
        assert_eq!(schedule(10).check_every(), Duration::from_secs(10));
        assert_eq!(schedule(0).check_every(), Duration::from_secs(1));
    }
}
