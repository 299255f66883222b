//! Tests of the audit log against real files in a temporary directory.

use std::{
    io::Write,
    path::{Path, PathBuf},
};

use coffre_crypto::keys::{MasterKey, VaultId};

use super::{
    faulty::{Faults, Faulty},
    *,
};

fn new_event(actor: &str) -> NewEvent {
    NewEvent {
        actor: actor.into(),
        action: "reveal",
        target: "Facebook".into(),
        outcome: Outcome::Success,
        reason: "weekly post".into(),
        detail: "field=password version=1".into(),
        client_addr: "127.0.0.1:1".into(),
        client_agent: "test".into(),
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime")
}

/// The log's directory, `audit/` in a temporary data directory (its head witness goes beside it).
struct LogDir {
    _root: tempfile::TempDir,
    path: PathBuf,
}

impl LogDir {
    fn path(&self) -> &Path {
        &self.path
    }
}

struct Fixture {
    dir: LogDir,
    vault: VaultId,
    master: MasterKey,
}

impl Fixture {
    fn new() -> Self {
        Self {
            dir: {
                let root = tempfile::tempdir().expect("tempdir");
                let path = root.path().join("audit");
                LogDir { _root: root, path }
            },
            vault: VaultId::generate().expect("vault id"),
            master: MasterKey::generate().expect("master key"),
        }
    }

    fn keys(&self) -> Arc<AuditKeys> {
        Arc::new(AuditKeys::derive(self.vault, &self.master))
    }

    fn open(&self) -> AuditLog {
        let log = AuditLog::open(self.dir.path()).expect("open log");
        log.set_key(Some(AuditKeys::derive(self.vault, &self.master)));
        log
    }

    fn open_faulty(&self, faults: &Arc<Faults>) -> AuditLog {
        let log = AuditLog::open_with(
            self.dir.path(),
            &self.dir.path().with_file_name(witness::FILE_NAME),
            Arc::new(Faulty(faults.clone())),
            None,
        )
        .expect("open log");
        log.set_key(Some(AuditKeys::derive(self.vault, &self.master)));
        log
    }

    fn events(&self) -> Vec<AuditEvent> {
        let log = AuditLog::open(self.dir.path()).expect("open log");
        read_all(&log, &self.keys()).expect("read log")
    }

    fn check(&self) -> Result<Option<SignedHead>> {
        let written = AuditLog::open(self.dir.path())?.written();
        read::check_from_last_head(self.dir.path(), self.keys(), written)
    }
}

#[test]
fn appended_events_are_durable_chained_and_survive_reopen() {
    let fx = Fixture::new();
    let rt = runtime();
    {
        let log = fx.open();
        let seqs: Vec<u64> = rt.block_on(async {
            let mut seqs = Vec::new();
            for name in ["alice", "bob", "carol"] {
                seqs.push(log.append(new_event(name), 1).await.expect("append"));
            }
            seqs
        });
        assert_eq!(seqs, vec![1, 2, 3]);
        assert_eq!(log.written(), 3);
    }
    let log = fx.open();
    assert_eq!(log.written(), 3);
    assert_eq!(rt.block_on(log.append(new_event("dave"), 2)).expect("append"), 4);
    let actors: Vec<String> = fx.events().into_iter().map(|e| e.actor).collect();
    assert_eq!(actors, ["alice", "bob", "carol", "dave"]);
}

#[test]
fn concurrent_appends_all_get_distinct_sequence_numbers() {
    let fx = Fixture::new();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("rt");
    let log = fx.open();
    let mut seqs = rt.block_on(async {
        let tasks: Vec<_> = (0..200)
            .map(|i| {
                let log = log.clone();
                tokio::spawn(async move { log.append(new_event(&format!("p{i}")), 1).await })
            })
            .collect();
        let mut seqs = Vec::new();
        for t in tasks {
            seqs.push(t.await.expect("join").expect("append"));
        }
        seqs
    });
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=200).collect::<Vec<_>>());
    assert_eq!(fx.events().len(), 200);
}

#[test]
fn a_torn_final_record_is_cut_off_and_the_log_continues() {
    let fx = Fixture::new();
    let rt = runtime();
    {
        let log = fx.open();
        rt.block_on(async {
            log.append(new_event("alice"), 1).await.expect("append");
            log.append(new_event("bob"), 1).await.expect("append");
        });
    }
    // A crash in the middle of a write leaves half a frame at the end of the segment.
    let path = segment::segment_path(fx.dir.path(), 1);
    let mut file = std::fs::OpenOptions::new().append(true).open(&path).expect("open segment");
    file.write_all(&[0x50, 0, 0, 0, 1, 2, 3]).expect("write garbage");
    drop(file);
    let log = fx.open();
    assert_eq!(log.written(), 2);
    assert_eq!(quarantined(fx.dir.path())[0].1, [0x50, 0, 0, 0, 1, 2, 3], "the torn bytes are kept aside");
    assert_eq!(rt.block_on(log.append(new_event("carol"), 1)).expect("append"), 3);
    assert_eq!(fx.events().len(), 3);
}

#[test]
fn events_sent_while_sealed_are_written_at_unseal() {
    let fx = Fixture::new();
    let rt = runtime();
    let log = AuditLog::open(fx.dir.path()).expect("open");
    log.append_detached(new_event("intruder"), 1);
    // While sealed nothing can be sealed, so nothing is on disk.
    log.set_key(Some(AuditKeys::derive(fx.vault, &fx.master)));
    assert_eq!(rt.block_on(log.append(new_event("alice"), 1)).expect("append"), 2);
    let actors: Vec<String> = fx.events().into_iter().map(|e| e.actor).collect();
    assert_eq!(actors, ["intruder", "alice"]);
}

#[test]
fn events_are_encrypted_on_disk() {
    let fx = Fixture::new();
    let rt = runtime();
    let log = fx.open();
    rt.block_on(log.append(new_event("alice-the-president"), 1)).expect("append");
    let bytes = std::fs::read(segment::segment_path(fx.dir.path(), 1)).expect("read");
    assert!(!bytes.windows(5).any(|w| w == b"alice"));
    assert!(!bytes.windows(8).any(|w| w == b"Facebook"));
}

#[test]
fn a_record_from_another_vault_does_not_open() {
    let fx = Fixture::new();
    let rt = runtime();
    let log = fx.open();
    rt.block_on(log.append(new_event("alice"), 1)).expect("append");
    let other = Arc::new(AuditKeys::derive(VaultId::generate().expect("vault id"), &fx.master));
    assert!(matches!(read_all(&log, &other), Err(Error::AuditChainBroken { seq: 1, .. })));
}

#[test]
fn a_full_disk_acknowledges_nothing_leaves_no_partial_frame_and_recovers_by_itself() {
    let fx = Fixture::new();
    let rt = runtime();
    let faults = Arc::new(Faults::default());
    let log = fx.open_faulty(&faults);
    assert_eq!(rt.block_on(log.append(new_event("alice"), 1)).expect("append"), 1);
    faults.full.store(true, Ordering::Release);
    for _ in 0..3 {
        let err = rt.block_on(log.append(new_event("bob"), 1)).expect_err("the disk is full");
        assert!(matches!(err, Error::AuditUnavailable(ref why) if why.contains("No space left")), "{err}");
    }
    assert_eq!(log.written(), 1);
    // What is on disk is exactly the acknowledged event and its head: the half-written batches were cut back.
    assert_eq!(fx.events().len(), 1);
    assert!(fx.check().expect("chain").is_some());
    faults.full.store(false, Ordering::Release);
    assert_eq!(rt.block_on(log.append(new_event("carol"), 1)).expect("append after recovery"), 2);
    let actors: Vec<String> = fx.events().into_iter().map(|e| e.actor).collect();
    assert_eq!(actors, ["alice", "carol"]);
}

#[test]
fn a_failed_fsync_acknowledges_nothing_and_the_next_batch_succeeds() {
    let fx = Fixture::new();
    let rt = runtime();
    let faults = Arc::new(Faults::default());
    let log = fx.open_faulty(&faults);
    faults.fsync_failures.store(1, Ordering::Release);
    let err = rt.block_on(log.append(new_event("alice"), 1)).expect_err("fsync fails");
    assert!(matches!(err, Error::AuditUnavailable(ref why) if why.contains("Input/output error")), "{err}");
    assert_eq!(log.written(), 0);
    assert_eq!(rt.block_on(log.append(new_event("bob"), 1)).expect("append"), 1);
    let actors: Vec<String> = fx.events().into_iter().map(|e| e.actor).collect();
    assert_eq!(actors, ["bob"]);
    assert_eq!(fx.check().expect("chain").map(|h| h.head.seq), Some(1));
}

#[test]
fn every_batch_ends_with_a_head_signed_by_the_vault_audit_key() {
    let fx = Fixture::new();
    let rt = runtime();
    let log = fx.open();
    rt.block_on(async {
        for name in ["alice", "bob"] {
            log.append(new_event(name), 1).await.expect("append");
        }
    });
    let signed = fx.check().expect("chain").expect("a head");
    assert_eq!((signed.head.seq, signed.head.hash), log.head());
    assert_eq!(signed.head.vault_id, fx.vault.0);
    assert_eq!(fx.keys().public_key().verify(&signed), Ok(()));
    let fresh = rt.block_on(log.sign_head()).expect("sign");
    assert_eq!(fresh.head, signed.head);
}

/// Rewrites the sealed body of event `seq`'s frame (keeping the frame's CRC valid), as someone with write access
/// to the disk but not the key could.
fn tamper_event(dir: &Path, seq: u64) {
    segment::rewrite(&segment::segment_path(dir, 1), |frame| {
        if let (true, Body::Event(sealed)) = (frame.seq == seq, &mut frame.body) {
            sealed[30] ^= 1;
        }
        true
    });
}

#[test]
fn a_changed_event_after_the_last_head_stops_the_check_at_unseal_naming_it() {
    let fx = Fixture::new();
    let rt = runtime();
    let log = fx.open();
    rt.block_on(async {
        for name in ["alice", "bob", "carol"] {
            log.append(new_event(name), 1).await.expect("append");
        }
    });
    drop(log);
    // Drop the last head, as a crash between a batch's events and its head would, then change the last event.
    let path = segment::segment_path(fx.dir.path(), 1);
    let bytes = std::fs::read(&path).expect("read");
    std::fs::write(&path, &bytes[..bytes.len() - 113]).expect("cut the head");
    assert_eq!(fx.check().expect("chain").map(|h| h.head.seq), Some(2));
    tamper_event(fx.dir.path(), 3);
    let err = fx.check().expect_err("tampered");
    assert!(matches!(err, Error::AuditChainBroken { seq: 3, .. }), "{err}");
}

#[test]
fn a_changed_event_before_the_last_head_is_found_when_the_log_is_read() {
    let fx = Fixture::new();
    let rt = runtime();
    let log = fx.open();
    rt.block_on(async {
        for name in ["alice", "bob", "carol"] {
            log.append(new_event(name), 1).await.expect("append");
        }
    });
    drop(log);
    tamper_event(fx.dir.path(), 2);
    let log = AuditLog::open(fx.dir.path()).expect("open");
    let err = read_all(&log, &fx.keys()).expect_err("tampered");
    assert!(matches!(err, Error::AuditChainBroken { seq: 2, .. }), "{err}");
}

#[test]
fn a_missing_event_is_named() {
    let fx = Fixture::new();
    let rt = runtime();
    let log = fx.open();
    rt.block_on(async {
        for name in ["alice", "bob", "carol"] {
            log.append(new_event(name), 1).await.expect("append");
        }
    });
    drop(log);
    segment::rewrite(&segment::segment_path(fx.dir.path(), 1), |frame| frame.seq != 2);
    let err = AuditLog::open(fx.dir.path()).expect_err("gap");
    assert!(matches!(err, Error::AuditChainBroken { seq: 2, .. }), "{err}");
}

/// Writes three batches of one event each, so the segment holds `e1 H1 e2 H2 e3 H3`; returns the segment's bytes
/// and where each frame starts.
fn three_batches(fx: &Fixture) -> (PathBuf, Vec<u8>, Vec<usize>) {
    let rt = runtime();
    let log = fx.open();
    rt.block_on(async {
        for name in ["alice", "bob", "carol"] {
            log.append(new_event(name), 1).await.expect("append");
        }
    });
    drop(log);
    let path = segment::segment_path(fx.dir.path(), 1);
    let bytes = std::fs::read(&path).expect("read");
    let mut starts = vec![0];
    for frame in segment::decode_frames(&bytes).0 {
        let body = match frame.body {
            Body::Event(sealed) => sealed.len(),
            Body::Head(_) => 64,
            Body::Change(b) => b.len(),
        };
        starts.push(starts.last().copied().unwrap_or(0) + 8 + 41 + body);
    }
    assert_eq!(starts.len(), 7, "three events and three heads");
    (path, bytes, starts)
}

/// The quarantine files beside the segments, with their bytes.
fn quarantined(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().contains(".torn-at-"))
        .map(|p| {
            (
                p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                std::fs::read(&p).expect("read"),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn a_cut_of_1_7_or_40_bytes_is_a_torn_write_kept_aside_and_the_log_continues() {
    for cut in [1usize, 7, 40] {
        let fx = Fixture::new();
        let (path, bytes, starts) = three_batches(&fx);
        std::fs::write(&path, &bytes[..bytes.len() - cut]).expect("cut");
        let log = fx.open();
        assert_eq!(log.written(), 3, "cut {cut}: every event is still there (only the last head was torn)");
        let at = starts[5];
        assert_eq!(
            quarantined(fx.dir.path()),
            vec![(format!("00000000000000000001.log.torn-at-{at}.0"), bytes[at..bytes.len() - cut].to_vec())],
            "cut {cut}: the torn bytes are kept beside the segment"
        );
        assert_eq!(std::fs::read(&path).expect("read"), bytes[..at], "cut {cut}: cut after the last whole frame");
        assert_eq!(runtime().block_on(log.append(new_event("dave"), 1)).expect("append"), 4);
        assert_eq!(fx.events().len(), 4);
    }
}

#[test]
fn a_zero_filled_tail_is_a_torn_write_kept_aside() {
    let fx = Fixture::new();
    let (path, mut bytes, _) = three_batches(&fx);
    let whole = bytes.len();
    bytes.extend_from_slice(&[0; 4096]);
    std::fs::write(&path, &bytes).expect("write");
    let log = fx.open();
    assert_eq!(log.written(), 3);
    assert_eq!(std::fs::read(&path).expect("read").len(), whole);
    assert_eq!(quarantined(fx.dir.path()).len(), 1);
}

/// Opens the log expecting damage, and checks that nothing was cut or set aside.
fn expect_damage(fx: &Fixture, path: &Path) -> Error {
    let before = std::fs::read(path).expect("read");
    let err = AuditLog::open(fx.dir.path()).expect_err("damage must be refused");
    assert_eq!(std::fs::read(path).expect("read"), before, "nothing may be cut before the check");
    assert!(quarantined(fx.dir.path()).is_empty());
    err
}

#[test]
fn a_flipped_byte_in_the_first_event_of_a_segment_is_damage_not_a_torn_tail() {
    let fx = Fixture::new();
    let (path, mut bytes, _) = three_batches(&fx);
    bytes[60] ^= 0x40;
    std::fs::write(&path, &bytes).expect("write");
    let err = expect_damage(&fx, &path);
    assert!(
        matches!(&err, Error::AuditDamaged { offset: 0, last_good: 0, file, .. } if *file == path.display().to_string()),
        "{err}"
    );
    let message = err.to_string();
    assert!(
        message.contains("00000000000000000001.log at byte 0") && message.contains("docs/recovery.md"),
        "{message}"
    );
}

#[test]
fn an_impossible_length_in_the_first_frame_is_damage() {
    let fx = Fixture::new();
    let (path, mut bytes, _) = three_batches(&fx);
    bytes[3] = 0xff;
    std::fs::write(&path, &bytes).expect("write");
    let err = expect_damage(&fx, &path);
    assert!(matches!(err, Error::AuditDamaged { offset: 0, .. }), "{err}");
}

#[test]
fn a_length_that_runs_past_the_end_is_damage_when_acknowledged_events_follow() {
    let fx = Fixture::new();
    let (path, mut bytes, starts) = three_batches(&fx);
    // Event 2's length grows within bounds, past the end of the file: it looks torn, but head 3 follows it.
    bytes[starts[2] + 2] = 0x0f;
    std::fs::write(&path, &bytes).expect("write");
    let err = expect_damage(&fx, &path);
    assert!(matches!(err, Error::AuditDamaged { last_good: 1, .. }), "{err}");
}

#[test]
fn a_flipped_byte_in_the_last_event_is_damage_since_its_head_follows() {
    let fx = Fixture::new();
    let (path, mut bytes, starts) = three_batches(&fx);
    bytes[starts[4] + 50] ^= 1;
    std::fs::write(&path, &bytes).expect("write");
    let err = expect_damage(&fx, &path);
    assert!(matches!(err, Error::AuditDamaged { last_good: 2, offset, .. } if offset == starts[4] as u64), "{err}");
}

#[test]
fn a_flipped_byte_in_the_last_head_is_cut_and_no_event_is_lost() {
    let fx = Fixture::new();
    let (path, mut bytes, starts) = three_batches(&fx);
    bytes[starts[5] + 50] ^= 1;
    std::fs::write(&path, &bytes).expect("write");
    let log = fx.open();
    assert_eq!(log.written(), 3);
    assert_eq!(quarantined(fx.dir.path()).len(), 1);
}

/// Splits the three-batch segment in two after `H1`, as rotation would have.
fn two_segments(fx: &Fixture) -> (PathBuf, PathBuf) {
    let (path, bytes, starts) = three_batches(fx);
    let second = segment::segment_path(fx.dir.path(), 2);
    std::fs::write(&path, &bytes[..starts[2]]).expect("write");
    std::fs::write(&second, &bytes[starts[2]..]).expect("write");
    (path, second)
}

#[test]
fn two_whole_segments_open_and_read_back() {
    let fx = Fixture::new();
    two_segments(&fx);
    assert_eq!(fx.open().written(), 3);
    assert_eq!(fx.events().len(), 3);
}

#[test]
fn damage_at_the_end_of_an_earlier_segment_is_refused() {
    let fx = Fixture::new();
    let (first, _) = two_segments(&fx);
    let mut bytes = std::fs::read(&first).expect("read");
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&first, &bytes).expect("write");
    let err = expect_damage(&fx, &first);
    assert!(matches!(&err, Error::AuditDamaged { file, .. } if *file == first.display().to_string()), "{err}");
}

#[test]
fn an_earlier_segment_cut_short_or_missing_is_refused() {
    let fx = Fixture::new();
    let (first, _) = two_segments(&fx);
    let bytes = std::fs::read(&first).expect("read");
    std::fs::write(&first, &bytes[..bytes.len() - 113]).expect("cut the head");
    let err = expect_damage(&fx, &first);
    assert!(matches!(err, Error::AuditDamaged { .. }), "{err}");
    std::fs::remove_file(&first).expect("remove");
    let err = AuditLog::open(fx.dir.path()).expect_err("a missing first segment");
    assert!(err.to_string().contains("first segment is missing"), "{err}");
}

#[test]
fn a_log_cut_at_a_frame_boundary_is_damage_against_the_head_witness() {
    let fx = Fixture::new();
    let (path, bytes, starts) = three_batches(&fx);
    // Event 3 and its head are gone; what is left reads back cleanly.
    std::fs::write(&path, &bytes[..starts[4]]).expect("cut");
    let err = expect_damage(&fx, &path);
    assert!(matches!(err, Error::AuditDamaged { last_good: 2, .. }), "{err}");
    assert!(err.to_string().contains("event 3 was acknowledged"), "{err}");
}

#[test]
fn a_torn_end_that_held_a_witnessed_event_is_damage_and_is_not_cut() {
    let fx = Fixture::new();
    let (path, bytes, starts) = three_batches(&fx);
    // A cut inside event 3 looks like a torn write, but the witness says event 3 was acknowledged.
    std::fs::write(&path, &bytes[..starts[4] + 30]).expect("cut");
    let err = expect_damage(&fx, &path);
    assert!(matches!(err, Error::AuditDamaged { last_good: 2, .. }), "{err}");
}

#[test]
fn a_log_without_a_witness_opens_and_gets_one_at_unseal() {
    let fx = Fixture::new();
    three_batches(&fx);
    let witness_path = fx.dir.path().with_file_name(witness::FILE_NAME);
    std::fs::remove_file(&witness_path).expect("remove the witness");
    let log = AuditLog::open(fx.dir.path()).expect("open");
    assert_eq!(log.written(), 3);
    log.set_key(Some(AuditKeys::derive(fx.vault, &fx.master)));
    assert_eq!(runtime().block_on(log.append(new_event("dave"), 1)).expect("append"), 4);
    assert_eq!(witness::read(&witness_path).expect("read").map(|w| w.map(|w| w.seq)), Ok(Some(4)));
}

#[test]
fn a_witness_not_signed_by_this_vault_is_refused_at_unseal() {
    let fx = Fixture::new();
    three_batches(&fx);
    let other = Fixture::new();
    three_batches(&other);
    // Another vault's witness, with this log's own head copied in: only the signature can tell.
    let here = fx.dir.path().with_file_name(witness::FILE_NAME);
    let mut bytes = std::fs::read(other.dir.path().with_file_name(witness::FILE_NAME)).expect("read");
    let own = witness::read(&here).expect("read").expect("whole").expect("a witness");
    for slot in bytes.chunks_mut(128) {
        slot[8..16].copy_from_slice(&own.seq.to_be_bytes());
        slot[16..48].copy_from_slice(&own.hash);
        let crc = crc32fast::hash(&slot[..112]);
        slot[112..116].copy_from_slice(&crc.to_le_bytes());
    }
    std::fs::write(&here, &bytes).expect("write");
    let log = AuditLog::open(fx.dir.path()).expect("the log itself is whole");
    assert!(log.check_witness(&fx.keys()).is_err(), "a foreign witness must be refused");
    assert!(other.open().check_witness(&other.keys()).is_ok());
}

#[test]
fn a_damaged_witness_is_refused_naming_it() {
    let fx = Fixture::new();
    three_batches(&fx);
    let witness_path = fx.dir.path().with_file_name(witness::FILE_NAME);
    std::fs::write(&witness_path, [0x55; 100]).expect("damage");
    let err = AuditLog::open(fx.dir.path()).expect_err("damaged witness");
    assert!(err.to_string().contains("audit-head"), "{err}");
}

/// A group commit of events `first..=last` as the writer encodes it (the bodies are not sealed here: the checks
/// below read frames, not events), with `head` as its head frame's seq.
fn group_commit_bytes(first: u64, last: u64, head: Option<u64>) -> Vec<u8> {
    let mut out = Vec::new();
    for seq in first..=last {
        segment::encode_event(&mut out, seq, &[seq as u8; 32], b"sealed event");
        segment::encode_change(&mut out, seq, &[seq as u8; 32], b"a change chunk");
    }
    if let Some(head) = head {
        segment::encode_head(&mut out, head, &[head as u8; 32], &[7; 64]);
    }
    out
}

#[test]
fn a_segments_group_commits_are_found_with_their_bytes_and_a_tail_without_its_head_is_left_out() {
    let one = group_commit_bytes(1, 3, Some(3));
    let two = group_commit_bytes(4, 4, Some(4));
    let unfinished = group_commit_bytes(5, 6, None);
    let bytes = [one.clone(), two.clone(), unfinished].concat();
    let commits = segment::group_commits(&bytes);
    assert_eq!(
        commits,
        [
            segment::GroupCommit { first: 1, last: 3, bytes: 0..one.len() },
            segment::GroupCommit { first: 4, last: 4, bytes: one.len()..one.len() + two.len() },
        ]
    );
    // A torn frame ends the reading.
    let torn = [one.clone(), two[..two.len() - 3].to_vec()].concat();
    assert_eq!(segment::group_commits(&torn).len(), 1);
}

#[test]
fn a_group_commit_from_the_databases_copy_is_written_back_only_whole_and_in_order() {
    let batch = |first_seq, last_seq, frames| coffre_store::LogBatch { first_seq, last_seq, frames };
    assert!(whole_group_commit(&batch(5, 7, group_commit_bytes(5, 7, Some(7))), 5));
    // Not the next one, or not what its row says.
    assert!(!whole_group_commit(&batch(5, 7, group_commit_bytes(5, 7, Some(7))), 4));
    assert!(!whole_group_commit(&batch(5, 8, group_commit_bytes(5, 7, Some(7))), 5));
    assert!(!whole_group_commit(&batch(4, 7, group_commit_bytes(5, 7, Some(7))), 5));
    // No head, a head for another event, two heads, an event missing, a torn or trailing frame, nothing at all.
    assert!(!whole_group_commit(&batch(5, 7, group_commit_bytes(5, 7, None)), 5));
    assert!(!whole_group_commit(&batch(5, 7, group_commit_bytes(5, 7, Some(6))), 5));
    let two_heads = [group_commit_bytes(5, 6, Some(6)), group_commit_bytes(7, 7, Some(7))].concat();
    assert!(!whole_group_commit(&batch(5, 7, two_heads), 5));
    let gap = [group_commit_bytes(5, 5, None), group_commit_bytes(7, 7, Some(7))].concat();
    assert!(!whole_group_commit(&batch(5, 7, gap), 5));
    let mut torn = group_commit_bytes(5, 7, Some(7));
    torn.truncate(torn.len() - 1);
    assert!(!whole_group_commit(&batch(5, 7, torn), 5));
    let mut trailing = group_commit_bytes(5, 7, Some(7));
    trailing.extend_from_slice(&group_commit_bytes(8, 8, None));
    assert!(!whole_group_commit(&batch(5, 8, trailing), 5));
    assert!(!whole_group_commit(&batch(5, 7, Vec::new()), 5));
}
