//! Test support for the `fuzzing` modules of coffre's crates: the committed inputs of `fuzz/` (its seed corpus and
//! the crashes found, in `fuzz/corpus/<target>/` and `fuzz/regressions/<target>/`), replayed by `cargo test`, and the
//! seeds each crate makes with its real encoders, written there when `COFFRE_FUZZ_WRITE_SEEDS=1` is set. A
//! dev-dependency only: tests may panic, so these functions do when a file cannot be read or written.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
};

/// A fuzz target: its name in `fuzz/` and the function its binary calls.
pub type Target = (&'static str, fn(&[u8]));

/// `fuzz/`, the fuzz workspace at the root of the repository.
pub fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// Every committed input of `target`, each with its path.
pub fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut inputs = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(files) = std::fs::read_dir(fuzz_dir().join(dir).join(target)) else { continue };
        for file in files {
            let path = file.expect("a readable directory").path();
            let bytes = std::fs::read(&path).expect("a readable input");
            inputs.push((path, bytes));
        }
    }
    inputs
}

/// Runs every committed input of each target through it; fails when a target has no seed or panics on an input.
pub fn replay(targets: &[Target]) {
    for (target, run) in targets {
        let inputs = inputs(target);
        assert!(!inputs.is_empty(), "fuzz/corpus/{target}/ holds no seed");
        for (path, bytes) in inputs {
            let outcome = std::panic::catch_unwind(|| run(&bytes));
            assert!(outcome.is_ok(), "{target} panics on {}", path.display());
        }
    }
}

/// With `COFFRE_FUZZ_WRITE_SEEDS=1`, (re)writes `seeds` to `fuzz/corpus/<target>/seed-<n>`, numbered from 1 for each
/// target (after a format change); otherwise does nothing.
pub fn write_seeds_when_asked(seeds: &[(&str, Vec<u8>)]) {
    if std::env::var_os("COFFRE_FUZZ_WRITE_SEEDS").is_none() {
        return;
    }
    let corpus = fuzz_dir().join("corpus");
    let mut counts = HashMap::new();
    for (target, bytes) in seeds {
        let n = counts.entry(*target).or_insert(0);
        *n += 1;
        std::fs::create_dir_all(corpus.join(target)).expect("a corpus directory");
        std::fs::write(corpus.join(target).join(format!("seed-{n}")), bytes).expect("a seed written");
    }
}
