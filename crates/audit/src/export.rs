//! The export format: JSON Lines, one object per line, in this order (the schema is also in docs/audit-log.md):
//!
//! 1. one `export` line: `{"type":"export","format":1,"vault_id":HEX,"public_key":"ed25519:HEX","exported_at":TIME}`
//!    (informational: the verifier trusts the key it is given, not this one);
//! 2. one `event` line per event, from sequence number 1 without gaps:
//!    `{"type":"event","seq":N,"time":TIME,"actor":S,"action":S,"target":S,"outcome":"success"|"denied"|"failure",
//!    "reason":S,"detail":S,"client_addr":S,"client_agent":S,"prev_hash":HEX,"hash":HEX}`;
//! 3. one `head` line: `{"type":"head","vault_id":HEX,"seq":N,"hash":HEX,"signature":HEX}`, the audit key's
//!    signature over the last event (see [`crate::head`]).
//!
//! TIME is RFC 3339 in UTC with exactly three decimals (`2026-11-24T09:30:00.125Z`); HEX is lowercase. Every
//! field of an event line is covered by its hash; a line with any other field is refused.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use time::{OffsetDateTime, PrimitiveDateTime, format_description::FormatItem, macros::format_description};

use crate::{AuditEvent, AuditPublicKey, Error, Outcome, SignedHead, event::EventRef, head::Head};

/// The export format version written in the `export` line.
pub const FORMAT: u32 = 1;

const TIME_FORMAT: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");

/// Renders milliseconds since the epoch as the export's time text.
pub fn format_time(ms: i64) -> Result<String, Error> {
    let at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).map_err(|_| Error::BadTime)?;
    at.format(TIME_FORMAT).map_err(|_| Error::BadTime)
}

/// Parses the export's time text back into milliseconds since the epoch.
pub fn parse_time(text: &str) -> Result<i64, Error> {
    let at = PrimitiveDateTime::parse(text, TIME_FORMAT).map_err(|_| Error::BadTime)?.assume_utc();
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).map_err(|_| Error::BadTime)
}

fn hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(bytes)
}

#[derive(Serialize)]
struct ExportLine<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    format: u32,
    vault_id: String,
    public_key: String,
    exported_at: &'a str,
}

#[derive(Serialize)]
struct EventLine<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    seq: u64,
    time: String,
    actor: &'a str,
    action: &'a str,
    target: &'a str,
    outcome: &'static str,
    reason: &'a str,
    detail: &'a str,
    client_addr: &'a str,
    client_agent: &'a str,
    prev_hash: String,
    hash: String,
}

#[derive(Serialize)]
struct HeadLine {
    #[serde(rename = "type")]
    kind: &'static str,
    vault_id: String,
    seq: u64,
    hash: String,
    signature: String,
}

fn line(value: &impl Serialize) -> String {
    // Serialising strings and integers cannot fail.
    let mut text = serde_json::to_string(value).unwrap_or_default();
    text.push('\n');
    text
}

/// The first line of an export.
pub fn render_export_line(vault_id: &[u8; 16], key: &AuditPublicKey, exported_at_ms: i64) -> Result<String, Error> {
    let exported_at = format_time(exported_at_ms)?;
    Ok(line(&ExportLine {
        kind: "export",
        format: FORMAT,
        vault_id: hex(vault_id),
        public_key: key.to_string(),
        exported_at: &exported_at,
    }))
}

/// One event's line; `prev_hash` is the hash of the event before it ([`crate::GENESIS`] for the first).
pub fn render_event_line(event: &AuditEvent, prev_hash: &[u8; 32], hash: &[u8; 32]) -> Result<String, Error> {
    Ok(line(&EventLine {
        kind: "event",
        seq: event.seq,
        time: format_time(event.time_ms)?,
        actor: &event.actor,
        action: &event.action,
        target: &event.target,
        outcome: event.outcome.as_str(),
        reason: &event.reason,
        detail: &event.detail,
        client_addr: &event.client_addr,
        client_agent: &event.client_agent,
        prev_hash: hex(prev_hash),
        hash: hex(hash),
    }))
}

/// The last line of an export.
pub fn render_head_line(signed: &SignedHead) -> String {
    line(&HeadLine {
        kind: "head",
        vault_id: hex(&signed.head.vault_id),
        seq: signed.head.seq,
        hash: hex(&signed.head.hash),
        signature: hex(&signed.signature),
    })
}

/// Any line of an export, as read back. Strings are borrowed from the line when they hold no escapes.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLine<'a> {
    #[serde(rename = "type", borrow)]
    pub(crate) kind: Cow<'a, str>,
    pub(crate) format: Option<u32>,
    #[serde(borrow)]
    pub(crate) vault_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) public_key: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) exported_at: Option<Cow<'a, str>>,
    pub(crate) seq: Option<u64>,
    #[serde(borrow)]
    pub(crate) time: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) actor: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) action: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) target: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) outcome: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) reason: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) detail: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) client_addr: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) client_agent: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) prev_hash: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) hash: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) signature: Option<Cow<'a, str>>,
}

/// Why a line could not be read as what it claims to be.
pub(crate) type Malformed = &'static str;

fn field<'b>(value: &'b Option<Cow<'_, str>>, name: &'static str) -> Result<&'b str, Malformed> {
    value.as_deref().ok_or(name)
}

fn hex_array<const N: usize>(value: &Option<Cow<'_, str>>, name: &'static str) -> Result<[u8; N], Malformed> {
    let text = field(value, name)?;
    let mut out = [0; N];
    match data_encoding::HEXLOWER.decode_len(text.len()) {
        Ok(n) if n == N => {}
        _ => return Err(name),
    }
    data_encoding::HEXLOWER.decode_mut(text.as_bytes(), &mut out).map_err(|_| name)?;
    Ok(out)
}

impl<'a> RawLine<'a> {
    pub(crate) fn parse(text: &'a str) -> Result<Self, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    /// The event fields and the two hashes of an `event` line.
    pub(crate) fn event(&self) -> Result<(EventRef<'_>, [u8; 32], [u8; 32]), Malformed> {
        let time_ms = parse_time(field(&self.time, "time")?).map_err(|_| "time")?;
        let outcome = Outcome::parse(field(&self.outcome, "outcome")?).ok_or("outcome")?;
        let event = EventRef {
            seq: self.seq.ok_or("seq")?,
            time_ms,
            actor: field(&self.actor, "actor")?,
            action: field(&self.action, "action")?,
            target: field(&self.target, "target")?,
            outcome,
            reason: field(&self.reason, "reason")?,
            detail: field(&self.detail, "detail")?,
            client_addr: field(&self.client_addr, "client_addr")?,
            client_agent: field(&self.client_agent, "client_agent")?,
        };
        Ok((event, hex_array(&self.prev_hash, "prev_hash")?, hex_array(&self.hash, "hash")?))
    }

    /// The signed head of a `head` line.
    pub(crate) fn head(&self) -> Result<SignedHead, Malformed> {
        Ok(SignedHead {
            head: Head {
                vault_id: hex_array(&self.vault_id, "vault_id")?,
                seq: self.seq.ok_or("seq")?,
                hash: hex_array(&self.hash, "hash")?,
            },
            signature: hex_array(&self.signature, "signature")?,
        })
    }

    /// The export format number, vault id and export time of an `export` line. The public key it names must be
    /// well formed, but is not trusted: the verifier is given the key to check against.
    pub(crate) fn export(&self) -> Result<(u32, [u8; 16], i64), Malformed> {
        AuditPublicKey::parse(field(&self.public_key, "public_key")?).map_err(|_| "public_key")?;
        let exported_at = parse_time(field(&self.exported_at, "exported_at")?).map_err(|_| "exported_at")?;
        Ok((self.format.ok_or("format")?, hex_array(&self.vault_id, "vault_id")?, exported_at))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn time_text_is_rfc3339_utc_with_milliseconds() {
        assert_eq!(format_time(0).as_deref(), Ok("1970-01-01T00:00:00.000Z"));
        assert_eq!(format_time(1_795_000_000_125).as_deref(), Ok("2026-11-18T11:06:40.125Z"));
        assert_eq!(parse_time("2026-11-18T11:06:40.125Z"), Ok(1_795_000_000_125));
        assert!(parse_time("2026-11-18 09:46:40").is_err());
        assert!(format_time(i64::MAX).is_err());
    }

    proptest! {
        #[test]
        fn time_round_trips(ms in -62_000_000_000_000i64..253_000_000_000_000) {
            prop_assert_eq!(parse_time(&format_time(ms).expect("in range")), Ok(ms));
        }
    }
}
