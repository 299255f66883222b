//! The offline verifier's speed: an export of `plan.verify_events` reveal-like events is written to a file with
//! the export code the daemon uses, then checked three times by the function `coffre audit verify` calls
//! (reading the file, parsing, hashing, chaining, checking the signed head). The median run is reported.

use std::{
    fs::File,
    io::{BufReader, BufWriter, Write},
    time::Instant,
};

use anyhow::{Context, Result};
use coffre_audit::{AuditEvent, GENESIS, Head, HeadSigner, Outcome, export};

use crate::{Plan, report::Line};

pub(crate) fn run(plan: &Plan) -> Result<()> {
    let dir = tempfile::Builder::new().prefix("coffre-bench-audit-").tempdir()?;
    let path = dir.path().join("audit.jsonl");
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| anyhow::anyhow!("the OS random source failed: {e}"))?;
    let signer = HeadSigner::from_seed(&seed);
    let mut vault_id = [0u8; 16];
    getrandom::fill(&mut vault_id).map_err(|e| anyhow::anyhow!("the OS random source failed: {e}"))?;

    let mut out = BufWriter::new(File::create(&path).context("cannot write the export")?);
    let start_ms = 1_767_225_600_000i64; // 2026-01-01T00:00:00Z
    write!(out, "{}", export::render_export_line(&vault_id, &signer.public_key(), start_ms)?)?;
    let mut hash = GENESIS;
    for seq in 1..=plan.verify_events {
        let event = AuditEvent {
            seq,
            time_ms: start_ms + i64::try_from(seq).unwrap_or(i64::MAX),
            actor: format!("member-{:03}", seq % 40),
            action: "reveal".into(),
            target: format!("platform-{:06}", seq % 1000),
            outcome: Outcome::Success,
            reason: "publish the weekly newsletter".into(),
            detail: format!("field=password version={}", seq % 5 + 1),
            client_addr: format!("192.0.2.{}:{}", seq % 250, 40_000 + seq % 20_000),
            client_agent: "coffre/0.1.0".into(),
        };
        let next = event.chain_hash(&hash);
        write!(out, "{}", export::render_event_line(&event, &hash, &next)?)?;
        hash = next;
    }
    let signed = signer.sign(Head { vault_id, seq: plan.verify_events, hash });
    write!(out, "{}", export::render_head_line(&signed))?;
    out.into_inner().context("cannot write the export")?.sync_all()?;
    let bytes = std::fs::metadata(&path)?.len();

    let key = signer.public_key();
    let mut runs = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let file = File::open(&path).context("cannot read the export back")?;
        let summary = coffre_audit::verify::verify(BufReader::new(file), &key)
            .map_err(|e| anyhow::anyhow!("the verifier refused the bench's own export: {e}"))?;
        let seconds = started.elapsed().as_secs_f64();
        anyhow::ensure!(summary.events == plan.verify_events, "the verifier counted {} events", summary.events);
        runs.push(seconds);
    }
    runs.sort_by(f64::total_cmp);
    let seconds = runs[runs.len() / 2];
    Line::phase("audit-verify")
        .int("events", plan.verify_events)
        .float("mib", bytes as f64 / 1024.0 / 1024.0, 0)
        .float("seconds", seconds, 3)
        .float("events_per_s", plan.verify_events as f64 / seconds, 0)
        .print();
    Ok(())
}
