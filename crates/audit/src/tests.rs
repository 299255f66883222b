//! The five attacks on an exported log (edit, delete, insert, reorder, truncate), each detected and named.

use proptest::prelude::*;

use crate::{
    AuditEvent, GENESIS, Head, HeadSigner, Outcome, export,
    verify::{Problem, verify},
};

const VAULT: [u8; 16] = [4; 16];

fn signer() -> HeadSigner {
    HeadSigner::from_seed(&[9; 32])
}

fn event(seq: u64) -> AuditEvent {
    AuditEvent {
        seq,
        time_ms: 1_795_000_000_000 + seq as i64 * 1000,
        actor: if seq.is_multiple_of(2) { "alice".into() } else { "bob \"the builder\"".into() },
        action: "reveal".into(),
        target: "Facebook".into(),
        outcome: Outcome::Success,
        reason: format!("post number {seq}"),
        detail: "field=password version=1".into(),
        client_addr: "127.0.0.1:5000".into(),
        client_agent: "coffre/0.1.0".into(),
    }
}

/// A valid export of `n` events, as lines (each ending in a newline).
fn export_lines(n: u64) -> Vec<String> {
    let signer = signer();
    let mut lines = vec![export::render_export_line(&VAULT, &signer.public_key(), 1_795_000_000_000).expect("time")];
    let mut prev = GENESIS;
    for seq in 1..=n {
        let e = event(seq);
        let hash = e.chain_hash(&prev);
        lines.push(export::render_event_line(&e, &prev, &hash).expect("time"));
        prev = hash;
    }
    lines.push(export::render_head_line(&signer.sign(Head { vault_id: VAULT, seq: n, hash: prev })));
    lines
}

fn check(lines: &[String]) -> Result<u64, (Problem, Option<u64>)> {
    let text = lines.concat();
    verify(text.as_bytes(), &signer().public_key())
        .map(|s| s.events)
        .map_err(|e| (e.problem.clone(), e.first_bad_seq()))
}

/// Line index of event `seq` (the export line is index 0).
fn at(seq: u64) -> usize {
    seq as usize
}

#[test]
fn a_valid_export_verifies_with_its_summary() {
    let text = export_lines(5).concat();
    let summary = verify(text.as_bytes(), &signer().public_key()).expect("valid");
    assert_eq!(summary.events, 5);
    assert_eq!(summary.vault_id, VAULT);
    assert_eq!(summary.first_time_ms, Some(1_795_000_001_000));
    assert_eq!(summary.last_time_ms, Some(1_795_000_005_000));
}

#[test]
fn an_edited_event_is_named() {
    let mut lines = export_lines(6);
    lines[at(3)] = lines[at(3)].replace("post number 3", "post number 4");
    assert_eq!(check(&lines), Err((Problem::Edited { seq: 3 }, Some(3))));
}

#[test]
fn an_edited_outcome_or_time_is_named() {
    let mut lines = export_lines(4);
    lines[at(2)] = lines[at(2)].replace("\"success\"", "\"denied\"");
    assert_eq!(check(&lines), Err((Problem::Edited { seq: 2 }, Some(2))));
    let mut lines = export_lines(4);
    lines[at(4)] = lines[at(4)].replace(".000Z", ".001Z");
    assert_eq!(check(&lines), Err((Problem::Edited { seq: 4 }, Some(4))));
}

#[test]
fn an_added_field_is_refused() {
    let mut lines = export_lines(3);
    lines[at(2)] = lines[at(2)].replacen("{", "{\"note\":\"harmless\",", 1);
    assert!(matches!(check(&lines), Err((Problem::NotALine(_), None))));
}

#[test]
fn a_deleted_event_is_named() {
    let mut lines = export_lines(6);
    lines.remove(at(4));
    assert_eq!(check(&lines), Err((Problem::Sequence { expected: 4, found: 5 }, Some(4))));
}

#[test]
fn a_deleted_first_event_is_named() {
    let mut lines = export_lines(3);
    lines.remove(at(1));
    assert_eq!(check(&lines), Err((Problem::Sequence { expected: 1, found: 2 }, Some(1))));
}

#[test]
fn an_inserted_event_is_named_even_when_its_own_hash_is_right() {
    // The forger chains a new event 3 correctly onto event 2 and renumbers the rest: the old event 3 (now 4) no
    // longer follows it.
    let mut lines = export_lines(5);
    let prev = hash_of(&lines[at(2)]);
    let mut forged = event(3);
    forged.reason = "nothing to see".into();
    let forged_hash = forged.chain_hash(&prev);
    lines.insert(at(3), export::render_event_line(&forged, &prev, &forged_hash).expect("time"));
    for (i, line) in lines.iter_mut().enumerate().skip(at(4)).take(3) {
        *line = line.replacen(&format!("\"seq\":{}", i - 1), &format!("\"seq\":{i}"), 1);
    }
    assert_eq!(check(&lines), Err((Problem::BrokenLink { seq: 4 }, Some(4))));
}

#[test]
fn an_inserted_event_without_renumbering_is_named() {
    let mut lines = export_lines(5);
    let copy = lines[at(2)].clone();
    lines.insert(at(3), copy);
    assert_eq!(check(&lines), Err((Problem::Sequence { expected: 3, found: 2 }, Some(3))));
}

#[test]
fn reordered_events_are_named() {
    let mut lines = export_lines(6);
    lines.swap(at(2), at(3));
    assert_eq!(check(&lines), Err((Problem::Sequence { expected: 2, found: 3 }, Some(2))));
}

#[test]
fn reordered_events_with_swapped_numbers_are_named() {
    let mut lines = export_lines(6);
    lines.swap(at(2), at(3));
    lines[at(2)] = lines[at(2)].replacen("\"seq\":3", "\"seq\":2", 1);
    lines[at(3)] = lines[at(3)].replacen("\"seq\":2", "\"seq\":3", 1);
    assert_eq!(check(&lines), Err((Problem::BrokenLink { seq: 2 }, Some(2))));
}

#[test]
fn a_truncated_export_keeping_its_head_is_named() {
    let mut lines = export_lines(6);
    lines.drain(at(5)..at(7));
    assert_eq!(check(&lines), Err((Problem::Truncated { last: 4, head: 6 }, Some(5))));
}

#[test]
fn a_truncated_export_without_its_head_is_named() {
    let mut lines = export_lines(6);
    lines.truncate(at(5));
    assert_eq!(check(&lines), Err((Problem::NoHead { last: 4 }, Some(5))));
}

#[test]
fn a_cut_in_the_middle_of_a_line_is_refused() {
    let text = export_lines(3).concat();
    let cut = &text[..text.len() - 20];
    let result = verify(cut.as_bytes(), &signer().public_key());
    assert!(matches!(result.map_err(|e| e.problem), Err(Problem::NotALine(_))));
}

#[test]
fn a_rechained_log_is_caught_at_the_head() {
    // The forger edits event 2 and recomputes every hash after it, but cannot sign a new head.
    let mut lines = export_lines(4);
    let mut prev = hash_of(&lines[at(1)]);
    for seq in 2..=4 {
        let mut e = event(seq);
        if seq == 2 {
            e.reason = "rewritten".into();
        }
        let hash = e.chain_hash(&prev);
        lines[at(seq)] = export::render_event_line(&e, &prev, &hash).expect("time");
        prev = hash;
    }
    assert_eq!(check(&lines), Err((Problem::HeadMismatch { seq: 4 }, None)));
}

#[test]
fn a_head_under_another_key_or_for_another_vault_is_refused() {
    let lines = export_lines(3);
    let text = lines.concat();
    let other = HeadSigner::from_seed(&[1; 32]).public_key();
    assert_eq!(verify(text.as_bytes(), &other).map_err(|e| e.problem), Err(Problem::BadSignature));

    let mut lines = export_lines(3);
    let n = lines.len();
    lines[n - 1] = lines[n - 1].replace(&"04".repeat(16), &"05".repeat(16));
    assert_eq!(check(&lines).map_err(|e| e.0), Err(Problem::WrongVault));
}

#[test]
fn events_after_the_head_are_refused() {
    let mut lines = export_lines(3);
    let head = lines.pop().expect("head");
    lines.push(head.clone());
    lines.push(head);
    assert_eq!(check(&lines).map_err(|e| e.0), Err(Problem::AfterHead));
}

#[test]
fn a_file_that_is_not_an_export_is_refused() {
    assert_eq!(check(&[]).map_err(|e| e.0), Err(Problem::NoExportLine));
    let lines = export_lines(2);
    assert_eq!(check(&lines[1..]).map_err(|e| e.0), Err(Problem::NoExportLine));
    let mut lines = export_lines(2);
    lines[0] = lines[0].replace("\"format\":1", "\"format\":2");
    assert_eq!(check(&lines).map_err(|e| e.0), Err(Problem::UnknownFormat(2)));
}

fn hash_of(line: &str) -> [u8; 32] {
    let hex = line.split("\"hash\":\"").nth(1).and_then(|s| s.get(..64)).expect("hash");
    let bytes = data_encoding::HEXLOWER.decode(hex.as_bytes()).expect("hex");
    bytes.try_into().expect("32 bytes")
}

proptest! {
    #[test]
    fn any_change_to_any_byte_is_refused_or_harmless(line in 0usize..6, pos in any::<prop::sample::Index>(), byte in any::<u8>()) {
        // Changing one byte of an export either still verifies to the very same events (a JSON-equivalent
        // spelling, e.g. an escaped character) or is refused; it never panics and never verifies to a different
        // log.
        let lines = export_lines(4);
        let mut bytes = lines[line].clone().into_bytes();
        let i = pos.index(bytes.len());
        prop_assume!(bytes[i] != byte);
        bytes[i] = byte;
        let mut changed = lines.clone();
        changed[line] = String::from_utf8_lossy(&bytes).into_owned();
        let original = verify(lines.concat().as_bytes(), &signer().public_key()).expect("valid");
        if let Ok(summary) = verify(changed.concat().as_bytes(), &signer().public_key()) {
            prop_assert_eq!(summary.head, original.head);
            prop_assert_eq!(summary.events, original.events);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = verify(bytes.as_slice(), &signer().public_key());
    }
}

#[test]
fn an_export_of_several_blocks_verifies_and_damage_in_a_later_block_is_named() {
    // About 400 bytes a line: 60,000 events are three blocks of 8 MiB, read while the one before is analysed.
    let n = 60_000;
    let mut lines = export_lines(n);
    assert!(lines.concat().len() > 2 * (8 << 20), "the export spans more than two blocks");
    assert_eq!(check(&lines), Ok(n));
    let victim = 55_000;
    lines[at(victim)] = lines[at(victim)].replace("post number", "post NUMBER");
    assert_eq!(check(&lines).map_err(|(_, seq)| seq), Err(Some(victim)));
}

#[test]
fn an_unreadable_input_names_the_first_line_not_checked() {
    struct FailsAfter(Vec<u8>, usize);
    impl std::io::Read for FailsAfter {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.1 >= self.0.len() {
                return Err(std::io::Error::other("disk gone"));
            }
            let n = buf.len().min(self.0.len() - self.1);
            buf[..n].copy_from_slice(&self.0[self.1..self.1 + n]);
            self.1 += n;
            Ok(n)
        }
    }
    // The first block's lines all check; the failure is reported at the line after them.
    let text = export_lines(30_000).concat().into_bytes();
    let first_block = text[..8 << 20].iter().rposition(|&b| b == b'\n').expect("a line end") + 1;
    let whole_lines = text[..first_block].iter().filter(|&&b| b == b'\n').count() as u64;
    let input = std::io::BufReader::new(FailsAfter(text[..first_block + 100].to_vec(), 0));
    let err = verify(input, &signer().public_key()).expect_err("unreadable");
    assert!(matches!(err.problem, Problem::Unreadable(_)), "{:?}", err.problem);
    assert_eq!(err.line, whole_lines + 1);
}
