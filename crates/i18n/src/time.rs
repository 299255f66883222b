//! Times for people: shown in the local time zone with its offset, and dates people type read as the end of that
//! day in the local time zone. The zone is `TZ` when set, else the system's (jiff reads both); UTC when neither
//! can be found. JSON output and the daemon stay in UTC: only what a person reads is local.

use jiff::{Timestamp, civil::Date, tz::TimeZone};

/// `unix_seconds` as a person reads it, in the local time zone: "2026-12-31 19:00 -05:00". `None` for a time
/// out of range.
pub fn local_time(unix_seconds: i64) -> Option<String> {
    local_time_in(&TimeZone::system(), unix_seconds)
}

/// The last second of the day `date` (YYYY-MM-DD) in the local time zone, as Unix seconds: what a person means by
/// "until 2026-12-31". `None` when `date` is not a valid date.
pub fn end_of_local_day(date: &str) -> Option<i64> {
    end_of_day_in(&TimeZone::system(), date)
}

/// The first second of the day `date` (YYYY-MM-DD) in the local time zone, as Unix seconds: what a person means
/// by "since 2026-12-01". `None` when `date` is not a valid date.
pub fn start_of_local_day(date: &str) -> Option<i64> {
    start_of_day_in(&TimeZone::system(), date)
}

/// A time zone of the tz database chosen by its name, for the times one reader sees (the web client's reader's
/// browser zone), rather than the daemon's.
#[derive(Clone, Debug)]
pub struct Zone(TimeZone);

impl Zone {
    /// Longest zone name taken; the tz database's longest is 32 characters.
    const MAX_NAME: usize = 64;

    /// The zone `name` of the tz database ("America/Toronto", "Europe/Paris", "UTC"), or `None` when `name` is not
    /// one: too long, with characters no zone name has, or unknown to the system's tz database.
    pub fn named(name: &str) -> Option<Zone> {
        let plausible = !name.is_empty()
            && name.len() <= Self::MAX_NAME
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'+' | b'-'))
            && !name.starts_with('/')
            && !name.contains("..");
        plausible.then(|| TimeZone::get(name).ok()).flatten().map(Zone)
    }

    /// `unix_seconds` in this zone, with its offset: "2026-12-31 19:00 -05:00".
    pub fn time(&self, unix_seconds: i64) -> Option<String> {
        local_time_in(&self.0, unix_seconds)
    }

    /// The last second of the day `date` (YYYY-MM-DD) in this zone, as Unix seconds.
    pub fn end_of_day(&self, date: &str) -> Option<i64> {
        end_of_day_in(&self.0, date)
    }
}

pub(crate) fn start_of_day_in(zone: &TimeZone, date: &str) -> Option<i64> {
    let date: Date = date.trim().parse().ok()?;
    let zoned = date.to_zoned(zone.clone()).ok()?;
    Some(zoned.timestamp().as_second())
}

pub(crate) fn local_time_in(zone: &TimeZone, unix_seconds: i64) -> Option<String> {
    let zoned = Timestamp::from_second(unix_seconds).ok()?.to_zoned(zone.clone());
    Some(zoned.strftime("%Y-%m-%d %H:%M %:z").to_string())
}

pub(crate) fn end_of_day_in(zone: &TimeZone, date: &str) -> Option<i64> {
    let date: Date = date.trim().parse().ok()?;
    let zoned = date.at(23, 59, 59, 0).to_zoned(zone.clone()).ok()?;
    Some(zoned.timestamp().as_second())
}

#[cfg(test)]
mod zone_tests {
    use super::Zone;

    #[test]
    fn a_zone_is_taken_by_its_tz_database_name_only() {
        let tokyo = Zone::named("Asia/Tokyo").expect("a zone of the tz database");
        assert_eq!(tokyo.time(1_800_000_000).as_deref(), Some("2027-01-15 17:00 +09:00"));
        assert_eq!(tokyo.end_of_day("2027-01-15"), Some(1_800_025_199));
        let toronto = Zone::named("America/Toronto").expect("a zone");
        assert_eq!(toronto.time(1_800_000_000).as_deref(), Some("2027-01-15 03:00 -05:00"));
        for name in ["", "Mars/Olympus_Mons", "../../etc/passwd", "/etc/localtime", "Asia/Tokyo; x=y", &"A".repeat(65)]
        {
            assert!(Zone::named(name).is_none(), "{name:?}");
        }
    }
}
