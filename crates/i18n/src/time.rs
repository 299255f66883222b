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
