//! The closed-loop load generator: `clients` tasks, each on its own connection, each sending its next request as
//! soon as the previous one is answered, for a fixed time after a warm-up. Latency is measured per request, from
//! just before the call to the answer, into an HDR histogram (microseconds, 3 significant digits).

use std::{
    future::Future,
    pin::Pin,
    sync::Arc,
    time::{Duration, Instant},
};

use hdrhistogram::Histogram;

use crate::report::Line;

/// One request of a client: `(client index, request number) -> outcome`.
pub(crate) type Op =
    Arc<dyn Fn(usize, u64) -> Pin<Box<dyn Future<Output = Result<(), tonic::Status>> + Send>> + Send + Sync>;

/// What one run measured.
pub(crate) struct Stats {
    pub(crate) clients: usize,
    pub(crate) seconds: f64,
    pub(crate) ops: u64,
    pub(crate) errors: u64,
    pub(crate) latency_us: Histogram<u64>,
    pub(crate) first_error: Option<String>,
    /// Requests answered, warm-up included (what the daemon's CPU time is divided by).
    pub(crate) answered: u64,
    /// CPU time the daemon spent during the run, warm-up included, when the bench knows its process.
    pub(crate) daemon_cpu_s: Option<f64>,
}

impl Stats {
    pub(crate) fn ops_per_s(&self) -> f64 {
        if self.seconds > 0.0 { self.ops as f64 / self.seconds } else { 0.0 }
    }

    /// Adds `clients`, `seconds`, `ops`, `ops_per_s`, the percentiles and `errors` to `line`.
    pub(crate) fn describe(&self, line: &mut Line) {
        line.int("clients", self.clients as u64);
        line.float("seconds", self.seconds, 1);
        line.int("ops", self.ops);
        line.float("ops_per_s", self.ops_per_s(), 0);
        for (key, q) in [("p50_ms", 0.50), ("p99_ms", 0.99), ("p999_ms", 0.999)] {
            line.float(key, self.latency_us.value_at_quantile(q) as f64 / 1000.0, 3);
        }
        line.int("errors", self.errors);
        if let Some(cpu) = self.daemon_cpu_s.filter(|_| self.answered > 0) {
            line.float("daemon_cpu_us_per_op", cpu * 1e6 / self.answered as f64, 1);
        }
    }
}

/// Runs `op` from `clients` concurrent tasks: `warmup` unmeasured, then `duration` measured. With `daemon`, the
/// daemon's CPU time over the run is measured too.
pub(crate) async fn run(clients: usize, warmup: Duration, duration: Duration, daemon: Option<u32>, op: Op) -> Stats {
    let cpu_before = daemon.and_then(|pid| crate::daemon::cpu_seconds(pid).ok());
    let start = Instant::now() + warmup;
    let end = start + duration;
    let mut tasks = Vec::with_capacity(clients);
    for client in 0..clients {
        let op = op.clone();
        tasks.push(tokio::spawn(async move {
            let mut latency = new_histogram();
            let (mut ops, mut errors, mut first_error, mut answered) = (0u64, 0u64, None, 0u64);
            let mut n = 0u64;
            loop {
                let sent = Instant::now();
                if sent >= end {
                    break;
                }
                let outcome = op(client, n).await;
                n += 1;
                answered += u64::from(outcome.is_ok());
                let done = Instant::now();
                if sent < start || done > end {
                    continue;
                }
                match outcome {
                    Ok(()) => {
                        ops += 1;
                        let _ = latency.record(u64::try_from((done - sent).as_micros()).unwrap_or(u64::MAX));
                    }
                    Err(status) => {
                        errors += 1;
                        if first_error.is_none() {
                            first_error = Some(format!("{:?}: {}", status.code(), status.message()));
                        }
                    }
                }
            }
            (latency, ops, errors, first_error, answered)
        }));
    }
    let mut stats = Stats {
        clients,
        seconds: duration.as_secs_f64(),
        ops: 0,
        errors: 0,
        latency_us: new_histogram(),
        first_error: None,
        answered: 0,
        daemon_cpu_s: None,
    };
    for task in tasks {
        match task.await {
            Ok((latency, ops, errors, first_error, answered)) => {
                stats.answered += answered;
                let _ = stats.latency_us.add(&latency);
                stats.ops += ops;
                stats.errors += errors;
                if stats.first_error.is_none() {
                    stats.first_error = first_error;
                }
            }
            Err(err) => {
                stats.errors += 1;
                stats.first_error.get_or_insert_with(|| format!("a client task failed: {err}"));
            }
        }
    }
    let cpu_after = daemon.and_then(|pid| crate::daemon::cpu_seconds(pid).ok());
    stats.daemon_cpu_s = cpu_before.zip(cpu_after).map(|(before, after)| after - before);
    stats
}

pub(crate) fn new_histogram() -> Histogram<u64> {
    // 1 us to 10 min, 3 significant digits: the bounds are constants, so this cannot fail.
    Histogram::new_with_bounds(1, 600_000_000, 3).expect("constant, valid histogram bounds")
}
