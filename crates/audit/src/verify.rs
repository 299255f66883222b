//! The offline verifier: reads an export (see [`crate::export`]) and proves, with only the vault's public audit
//! key, that no event was edited, deleted, inserted, reordered or cut off after the head was signed.
//!
//! What it checks, line by line: the `export` line comes first and names a known format; event n holds sequence
//! number n (from 1, no gaps, no repeats); its `prev_hash` is the previous event's hash (GENESIS for event 1); its
//! `hash` is the chain hash of its fields; the `head` line comes last, is of the same vault, names the last event
//! and its hash, and carries a valid signature under the given key. A log rolled back as a whole to an older
//! signed head is only visible against a head kept elsewhere (a previous export, a backup, `coffre status`).

use std::{fmt, io::BufRead};

use crate::{AuditPublicKey, GENESIS, SignedHead, export::RawLine};

/// Longest line accepted (an event's strings are bounded far below this by the daemon).
const MAX_LINE: u64 = 1 << 20;

/// What a valid export holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// The vault whose log this is.
    pub vault_id: [u8; 16],
    /// Number of events (the last sequence number).
    pub events: u64,
    /// Time of the first event, milliseconds since the epoch (`None` for an empty log).
    pub first_time_ms: Option<i64>,
    /// Time of the last event.
    pub last_time_ms: Option<i64>,
    /// The signed head, valid under the key.
    pub head: SignedHead,
    /// When the export was made, as its first line says (not covered by the signature).
    pub exported_at_ms: i64,
}

/// Where and why verification failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyError {
    /// Line number in the file, from 1.
    pub line: u64,
    /// What is wrong.
    pub problem: Problem,
}

impl VerifyError {
    /// The first sequence number that cannot be trusted, when the problem points at one.
    pub fn first_bad_seq(&self) -> Option<u64> {
        match self.problem {
            Problem::Sequence { expected, .. } => Some(expected),
            Problem::BrokenLink { seq } | Problem::Edited { seq } => Some(seq),
            Problem::NoHead { last } | Problem::Truncated { last, .. } => Some(last + 1),
            Problem::PastHead { head } => Some(head + 1),
            _ => None,
        }
    }
}

impl std::error::Error for VerifyError {}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.problem)
    }
}

/// The kinds of failure, each naming the event it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The file could not be read.
    Unreadable(String),
    /// The line is not a JSON object of this format.
    NotALine(String),
    /// A field is missing or malformed.
    Malformed {
        /// The line's type.
        kind: String,
        /// The field.
        field: &'static str,
    },
    /// The file does not start with an `export` line.
    NoExportLine,
    /// The export names a format this verifier does not know.
    UnknownFormat(u32),
    /// An event holds another sequence number than its position.
    Sequence {
        /// The sequence number due here.
        expected: u64,
        /// The one found.
        found: u64,
    },
    /// An event's previous hash is not the hash of the event before it.
    BrokenLink {
        /// The event.
        seq: u64,
    },
    /// An event's fields do not hash to its hash.
    Edited {
        /// The event.
        seq: u64,
    },
    /// The file ends without a head.
    NoHead {
        /// The last event read.
        last: u64,
    },
    /// The head names a later event than the last one present.
    Truncated {
        /// The last event read.
        last: u64,
        /// The event the head names.
        head: u64,
    },
    /// The head names an earlier event than the last one present.
    PastHead {
        /// The event the head names.
        head: u64,
    },
    /// The head names the last event but another hash: the events were changed and re-chained.
    HeadMismatch {
        /// The event the head names.
        seq: u64,
    },
    /// The head is of another vault than the export line says.
    WrongVault,
    /// The head's signature is not valid under the given key.
    BadSignature,
    /// Something follows the head.
    AfterHead,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Unreadable(why) => write!(f, "cannot read the export: {why}"),
            Problem::NotALine(why) => write!(f, "not a line of a coffre audit export ({why})"),
            Problem::Malformed { kind, field } => write!(f, "{kind} line with a missing or malformed {field}"),
            Problem::NoExportLine => f.write_str("the file does not start with a coffre audit export line"),
            Problem::UnknownFormat(n) => write!(f, "export format {n} is unknown to this verifier; update coffre"),
            Problem::Sequence { expected, found } if found > expected => {
                write!(f, "event {expected} is missing here (found event {found}): events were deleted or moved")
            }
            Problem::Sequence { expected, found } => {
                write!(
                    f,
                    "event {found} appears where event {expected} belongs: events were repeated, inserted or moved"
                )
            }
            Problem::BrokenLink { seq } => write!(
                f,
                "event {seq} does not follow the event before it (its previous hash differs): an event was inserted, \
                 removed or replaced before it"
            ),
            Problem::Edited { seq } => write!(f, "event {seq} does not match its hash: it was edited"),
            Problem::NoHead { last } => {
                write!(f, "no signed head after event {last}: the export was cut off (truncated)")
            }
            Problem::Truncated { last, head } => write!(
                f,
                "the signed head covers events up to {head} but the export stops at event {last}: events {} to {head} \
                 were cut off (truncated)",
                last + 1
            ),
            Problem::PastHead { head } => {
                write!(f, "events after {head} are not covered by the signed head: they were added afterwards")
            }
            Problem::HeadMismatch { seq } => write!(
                f,
                "the signed head does not match event {seq}: events before it were changed and the chain recomputed"
            ),
            Problem::WrongVault => f.write_str("the signed head is of another vault than the export line names"),
            Problem::BadSignature => f.write_str(
                "the head's signature is not valid under this key: wrong key, or the head was forged or changed",
            ),
            Problem::AfterHead => f.write_str("lines follow the signed head: the export was appended to"),
        }
    }
}

/// Bytes read per block; the lines of a block are checked on every core, then chained in order.
const BLOCK: usize = 8 << 20;

/// Verifies an export read from `input` against `key`.
///
/// Parsing and hashing (the costly part) run on every core, a block of lines at a time; the order-dependent checks
/// then run over the block in file order, so the first problem reported is the first one in the file.
pub fn verify(mut input: impl BufRead, key: &AuditPublicKey) -> Result<Summary, VerifyError> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 16);
    let mut chain = Chain::default();
    let mut line_no = 0u64;
    let mut block: Vec<u8> = Vec::with_capacity(BLOCK + (64 << 10));
    let mut carry: Vec<u8> = Vec::new();
    loop {
        block.clear();
        block.append(&mut carry);
        let at_end = fill(&mut input, &mut block, BLOCK)
            .map_err(|e| VerifyError { line: line_no + 1, problem: Problem::Unreadable(e.to_string()) })?;
        // Keep a partial last line for the next block, unless the input has ended.
        if !at_end {
            match block.iter().rposition(|&b| b == b'\n') {
                Some(cut) => carry.extend_from_slice(&block[cut + 1..]),
                None if block.len() as u64 > MAX_LINE => {
                    return Err(VerifyError { line: line_no + 1, problem: Problem::NotALine("line too long".into()) });
                }
                None => {
                    carry = std::mem::take(&mut block);
                    continue;
                }
            }
            block.truncate(block.len() - carry.len());
        }
        let lines: Vec<&[u8]> = split_lines(&block);
        let parsed = analyse_all(&lines, workers);
        for item in parsed {
            line_no += 1;
            chain.apply(item, key).map_err(|problem| VerifyError { line: line_no, problem })?;
        }
        if at_end {
            break;
        }
    }
    chain.finish().map_err(|problem| VerifyError { line: line_no, problem })
}

/// Reads until `block` holds at least `want` bytes or the input ends; says whether it ended.
fn fill(input: &mut impl BufRead, block: &mut Vec<u8>, want: usize) -> std::io::Result<bool> {
    while block.len() < want {
        let available = input.fill_buf()?;
        if available.is_empty() {
            return Ok(true);
        }
        let n = available.len().min(want - block.len());
        block.extend_from_slice(&available[..n]);
        input.consume(n);
    }
    Ok(false)
}

/// The lines of a block, without their line ends (a final line without a newline counts).
fn split_lines(block: &[u8]) -> Vec<&[u8]> {
    let mut lines: Vec<&[u8]> = block.split(|&b| b == b'\n').collect();
    if block.last() == Some(&b'\n') || block.is_empty() {
        lines.pop();
    }
    lines.iter().map(|l| l.strip_suffix(b"\r").unwrap_or(l)).collect()
}

/// Analyses every line, on `workers` threads, keeping file order.
fn analyse_all(lines: &[&[u8]], workers: usize) -> Vec<Parsed> {
    let per = lines.len().div_ceil(workers).max(1);
    if workers == 1 || lines.len() < 1024 {
        let mut scratch = Vec::with_capacity(256);
        return lines.iter().map(|l| analyse(l, &mut scratch)).collect();
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = lines
            .chunks(per)
            .map(|chunk| {
                scope.spawn(move || {
                    let mut scratch = Vec::with_capacity(256);
                    chunk.iter().map(|l| analyse(l, &mut scratch)).collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join().unwrap_or_else(|_| vec![Parsed::Bad(Problem::NotALine("verifier thread failed".into()))])
            })
            .collect()
    })
}

/// What one line says, checked on its own (no knowledge of the lines around it).
enum Parsed {
    Export { format: u32, vault_id: [u8; 16], exported_at_ms: i64 },
    Event { seq: u64, time_ms: i64, prev_hash: [u8; 32], hash: [u8; 32], hash_matches: bool },
    Head(SignedHead),
    Bad(Problem),
}

fn analyse(line: &[u8], scratch: &mut Vec<u8>) -> Parsed {
    if line.len() as u64 > MAX_LINE {
        return Parsed::Bad(Problem::NotALine("line too long".into()));
    }
    if line.is_empty() {
        return Parsed::Bad(Problem::NotALine("empty line".into()));
    }
    let Ok(text) = std::str::from_utf8(line) else {
        return Parsed::Bad(Problem::NotALine("not UTF-8".into()));
    };
    let raw = match RawLine::parse(text) {
        Ok(raw) => raw,
        Err(why) => return Parsed::Bad(Problem::NotALine(why)),
    };
    let malformed = |field| Parsed::Bad(Problem::Malformed { kind: raw.kind.to_string(), field });
    match &*raw.kind {
        "export" => match raw.export() {
            Ok((format, vault_id, exported_at_ms)) => Parsed::Export { format, vault_id, exported_at_ms },
            Err(field) => malformed(field),
        },
        "event" => match raw.event() {
            Ok((event, prev_hash, hash)) => Parsed::Event {
                seq: event.seq,
                time_ms: event.time_ms,
                prev_hash,
                hash,
                hash_matches: event.chain_hash(&prev_hash, scratch) == hash,
            },
            Err(field) => malformed(field),
        },
        "head" => match raw.head() {
            Ok(signed) => Parsed::Head(signed),
            Err(field) => malformed(field),
        },
        other => Parsed::Bad(Problem::NotALine(format!("unknown line type {other:?}"))),
    }
}

/// The verifier's state between lines.
#[derive(Default)]
struct Chain {
    vault_id: Option<[u8; 16]>,
    last_seq: u64,
    last_hash: Option<[u8; 32]>,
    first_time_ms: Option<i64>,
    last_time_ms: Option<i64>,
    head: Option<SignedHead>,
    exported_at_ms: i64,
}

impl Chain {
    fn apply(&mut self, parsed: Parsed, key: &AuditPublicKey) -> Result<(), Problem> {
        if self.head.is_some() {
            return Err(match parsed {
                Parsed::Bad(problem) => problem,
                _ => Problem::AfterHead,
            });
        }
        match (parsed, self.vault_id) {
            (Parsed::Bad(problem), _) => Err(problem),
            (Parsed::Export { format, vault_id, exported_at_ms }, None) => {
                if format != crate::export::FORMAT {
                    return Err(Problem::UnknownFormat(format));
                }
                self.vault_id = Some(vault_id);
                self.exported_at_ms = exported_at_ms;
                Ok(())
            }
            (_, None) | (Parsed::Export { .. }, Some(_)) => Err(Problem::NoExportLine),
            (Parsed::Event { seq, time_ms, prev_hash, hash, hash_matches }, Some(_)) => {
                let expected = self.last_seq + 1;
                if seq != expected {
                    return Err(Problem::Sequence { expected, found: seq });
                }
                if prev_hash != self.last_hash.unwrap_or(GENESIS) {
                    return Err(Problem::BrokenLink { seq });
                }
                if !hash_matches {
                    return Err(Problem::Edited { seq });
                }
                self.first_time_ms.get_or_insert(time_ms);
                self.last_time_ms = Some(time_ms);
                self.last_seq = seq;
                self.last_hash = Some(hash);
                Ok(())
            }
            (Parsed::Head(signed), Some(vault_id)) => {
                if signed.head.vault_id != vault_id {
                    return Err(Problem::WrongVault);
                }
                key.verify(&signed).map_err(|_| Problem::BadSignature)?;
                if signed.head.seq > self.last_seq {
                    return Err(Problem::Truncated { last: self.last_seq, head: signed.head.seq });
                }
                if signed.head.seq < self.last_seq {
                    return Err(Problem::PastHead { head: signed.head.seq });
                }
                if signed.head.hash != self.last_hash.unwrap_or(GENESIS) {
                    return Err(Problem::HeadMismatch { seq: signed.head.seq });
                }
                self.head = Some(signed);
                Ok(())
            }
        }
    }

    fn finish(self) -> Result<Summary, Problem> {
        let Some(vault_id) = self.vault_id else { return Err(Problem::NoExportLine) };
        let Some(head) = self.head else { return Err(Problem::NoHead { last: self.last_seq }) };
        Ok(Summary {
            vault_id,
            events: self.last_seq,
            first_time_ms: self.first_time_ms,
            last_time_ms: self.last_time_ms,
            head,
            exported_at_ms: self.exported_at_ms,
        })
    }
}
