//! Times for people: shown in the local time zone with its offset, and dates people type read as the end of that
//! day in the local time zone. The zone is `TZ` when set, else the system's (jiff reads both); UTC when neither
//! can be found. JSON output and the daemon stay in UTC: only what a person reads is local.

use jiff::{Timestamp, civil::Date, tz::TimeZone};

use crate::Lang;

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

/// `unix_seconds` in words, as a person reading `lang` reads a time in a sentence (the catalogue's `time-in-words`):
/// "20 janvier 2027 à 23 h 59", "January 20, 2027, 23:59". In `zone`, the reader's own, without an offset; with no
/// zone, in the local time zone with its offset ("… (UTC-05:00)"), since that may not be the reader's. `None` for a
/// time out of range.
pub fn time_in_words(lang: Lang, zone: Option<&Zone>, unix_seconds: i64) -> Option<String> {
    match zone {
        Some(zone) => words_in(lang, &zone.0, unix_seconds, false),
        None => words_in(lang, &TimeZone::system(), unix_seconds, true),
    }
}

/// The months by the names the catalogue selects on.
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

pub(crate) fn words_in(lang: Lang, zone: &TimeZone, unix_seconds: i64, with_offset: bool) -> Option<String> {
    let zoned = Timestamp::from_second(unix_seconds).ok()?.to_zoned(zone.clone());
    let month = MONTHS.get(usize::try_from(zoned.month()).ok()?.checked_sub(1)?)?;
    let arguments = [
        ("day", zoned.day().to_string()),
        ("month", (*month).to_owned()),
        ("year", zoned.year().to_string()),
        ("hour", zoned.hour().to_string()),
        ("minute", format!("{:02}", zoned.minute())),
    ];
    let time = crate::message(lang, "time-in-words", &arguments)?;
    if !with_offset {
        return Some(time);
    }
    let offset = zoned.strftime("%:z").to_string();
    crate::message(lang, "time-in-words-offset", &[("time", time), ("offset", offset)])
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
        let words = |lang, zone: &Zone| super::words_in(lang, &zone.0, 1_800_000_000, false);
        assert_eq!(words(crate::Lang::FrCa, &toronto).as_deref(), Some("15 janvier 2027 à 3\u{a0}h\u{a0}00"));
        assert_eq!(words(crate::Lang::En, &tokyo).as_deref(), Some("January 15, 2027, 17:00"));
        let with_offset = super::words_in(crate::Lang::FrCa, &toronto.0, 1_800_000_000, true);
        assert_eq!(with_offset.as_deref(), Some("15 janvier 2027 à 3\u{a0}h\u{a0}00 (UTC-05:00)"));
        for name in ["", "Mars/Olympus_Mons", "../../etc/passwd", "/etc/localtime", "Asia/Tokyo; x=y", &"A".repeat(65)]
        {
            assert!(Zone::named(name).is_none(), "{name:?}");
        }
    }
}
