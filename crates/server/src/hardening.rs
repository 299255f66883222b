//! Process hardening at start: no core dumps, so that a crash never writes keys, passphrases or revealed secrets
//! to disk (DESIGN.md, "Memory").

use rustix::process::{Resource, Rlimit, setrlimit};

/// Sets the core-file size limit to zero (soft and hard, so it cannot be raised again) and, on Linux, marks the
/// process non-dumpable (`PR_SET_DUMPABLE` 0), which also keeps other processes of the same user from attaching
/// to it or reading its memory through /proc. A failure is logged as a warning: the daemon still starts.
pub fn disable_core_dumps() {
    if let Err(err) = setrlimit(Resource::Core, Rlimit { current: Some(0), maximum: Some(0) }) {
        tracing::warn!(error = %err, "cannot set the core-dump size limit to zero");
    }
    #[cfg(target_os = "linux")]
    if let Err(err) = rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable) {
        tracing::warn!(error = %err, "cannot mark the process non-dumpable");
    }
}

/// Sets the process's file-creation mask to 077, so every file and directory created from now on, by coffred or by
/// a library it uses (sled creates its own files), is private to the daemon's user (0600 / 0700) whatever umask
/// the service was started with. Returns the mask it replaces.
pub fn private_files() -> u32 {
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077)).as_raw_mode()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_dumps_are_off_afterwards() {
        disable_core_dumps();
        assert_eq!(rustix::process::getrlimit(Resource::Core), Rlimit { current: Some(0), maximum: Some(0) });
        #[cfg(target_os = "linux")]
        assert_eq!(
            rustix::process::dumpable_behavior().expect("readable"),
            rustix::process::DumpableBehavior::NotDumpable
        );
    }
}
