//! Tests of the audit log against real files in a temporary directory.

use std::io::Write;

use coffre_crypto::keys::{MasterKey, Purpose, VaultId};

use super::*;

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

    fn open(&self) -> AuditLog {
        let log = AuditLog::open(self.dir.path()).expect("open log");
        log.set_key(Some((self.vault, self.master.subkey(Purpose::Audit))));
        log
    }

    fn events(&self) -> Vec<AuditEvent> {
        read_all(self.dir.path(), &self.vault, &self.master.subkey(Purpose::Audit)).expect("read log")
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
    log.set_key(Some((fx.vault, fx.master.subkey(Purpose::Audit))));
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
    let other = VaultId::generate().expect("vault id");
    assert!(read_all(fx.dir.path(), &other, &fx.master.subkey(Purpose::Audit)).is_err());
}
