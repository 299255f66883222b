//! A clock that end-to-end tests drive: with `COFFRE_TEST_CLOCK_FILE=PATH` set, the daemon's time is read from
//! that file (Unix milliseconds, decimal text) on every `now()`, so a test advances time (grant expiry, TOTP
//! steps, back-off) by writing the file instead of sleeping.
//!
//! Honoured only in builds with debug assertions: a release build refuses to start when the variable is set, so a
//! production daemon can never be made to believe another time. `main` prints a loud warning when it is in use.

use std::{
    path::PathBuf,
    sync::{Arc, Mutex},
    time::{Duration, SystemTime},
};

use coffre_vault::clock::{Clock, SystemClock};

/// The environment variable that names the clock file.
pub const TEST_CLOCK_VAR: &str = "COFFRE_TEST_CLOCK_FILE";

/// The daemon's clock: the system's, or the test clock file's when `path` is set (debug builds only).
pub fn clock(path: Option<&PathBuf>) -> anyhow::Result<Arc<dyn Clock>> {
    match path {
        None => Ok(Arc::new(SystemClock)),
        Some(_) if !cfg!(debug_assertions) => anyhow::bail!(
            "{TEST_CLOCK_VAR} is set, but this is a release build: a test clock exists only in debug builds; unset \
             {TEST_CLOCK_VAR}"
        ),
        Some(path) => {
            let clock = FileClock { path: path.clone(), last: Mutex::new(None) };
            // Read once now, so that a missing or malformed file stops the start instead of every call.
            clock.read().map_err(|why| anyhow::anyhow!("{TEST_CLOCK_VAR} {}: {why}", path.display()))?;
            Ok(Arc::new(clock))
        }
    }
}

/// Reads the time from a file on every call.
struct FileClock {
    path: PathBuf,
    /// The last good reading, used when the file is being rewritten or has become unreadable.
    last: Mutex<Option<SystemTime>>,
}

impl FileClock {
    fn read(&self) -> Result<SystemTime, String> {
        let text = std::fs::read_to_string(&self.path).map_err(|e| e.to_string())?;
        let millis: u64 = text.trim().parse().map_err(|_| format!("{:?} is not Unix milliseconds", text.trim()))?;
        Ok(SystemTime::UNIX_EPOCH + Duration::from_millis(millis))
    }
}

impl Clock for FileClock {
    fn now(&self) -> SystemTime {
        let mut last = self.last.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match self.read() {
            Ok(now) => {
                *last = Some(now);
                now
            }
            Err(why) => {
                tracing::error!(%why, "cannot read the test clock file; using its last reading");
                last.unwrap_or_else(SystemTime::now)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_sets_the_time_and_a_bad_file_stops_the_start() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("clock");
        assert!(clock(Some(&path)).is_err(), "a missing file");
        std::fs::write(&path, "soon").expect("written");
        assert!(clock(Some(&path)).is_err(), "not a number");
        std::fs::write(&path, "1800000000000\n").expect("written");
        let c = clock(Some(&path)).expect("a test clock");
        assert_eq!(c.now(), SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000));
        std::fs::write(&path, "1800000030000").expect("written");
        assert_eq!(c.now(), SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_030));
        std::fs::write(&path, "").expect("truncated mid-write");
        assert_eq!(c.now(), SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_030), "the last reading");
    }
}
