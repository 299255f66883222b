//! Tests of the audit log against real files in a temporary directory.

use std::{io::Write, path::Path};

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

struct Fixture {
    dir: tempfile::TempDir,
    vault: VaultId,
    master: MasterKey,
}

impl Fixture {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("tempdir"),
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
        let log = AuditLog::open_with(self.dir.path(), Arc::new(Faulty(faults.clone()))).expect("open log");
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
