//! Carrying out the plan through the normal calls: `CreateEntry` with the oldest password, then one
//! `UpdateEntry` per later password, so that a password history becomes the entry's older versions (dated and
//! signed by the import, since the API makes versions now; the history's own dates are not kept). Each call is
//! audited by the daemon as done by the person importing.
//!
//! An entry the daemon refuses (a value it finds invalid, a name taken meanwhile) is reported and the import goes
//! on; a failure that would make every later call fail too (session ended, vault sealed, daemon gone) stops it,
//! and running the same import again finishes it: what is already there is skipped or completed.

use std::io::IsTerminal;

use coffre_i18n::t;
use coffre_proto::v1::{CreateEntryRequest, Entry, SecretFields, UpdateEntryRequest};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use super::{
    item::SecretText,
    note::Note,
    plan::{Action, Step},
};
use crate::{
    client::Daemon,
    exit::{Failure, Kind},
    values::{Classification, Lifecycle},
};

/// What the real run did.
#[derive(Debug, Default, Serialize)]
pub(crate) struct Done {
    pub(crate) created: usize,
    pub(crate) resumed: usize,
    pub(crate) versions: usize,
    pub(crate) failed: usize,
    /// Why the import stopped before the end, when it did.
    pub(crate) stopped_because: Option<String>,
    #[serde(skip)]
    pub(crate) stopped: Option<(Kind, String)>,
}

/// Carries out every create and resume step of `steps`, in order; a progress bar on a terminal when `bar`.
pub(crate) async fn apply(
    daemon: &Daemon,
    steps: &mut [Step],
    classification: Option<Classification>,
    bar: bool,
) -> Done {
    let work = steps.iter().filter(|s| matches!(s.action, Action::Create | Action::Resume { .. })).count();
    let progress = if bar && std::io::stderr().is_terminal() {
        let progress = ProgressBar::with_draw_target(Some(work as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} entries {msg}") {
            progress.set_style(style);
        }
        progress
    } else {
        ProgressBar::hidden()
    };
    let mut done = Done::default();
    for step in steps.iter_mut() {
        let result = match step.action {
            Action::Create => create(daemon, step, classification).await,
            Action::Resume { next } => resume(daemon, step, next).await,
            Action::Identical | Action::Skip | Action::Failed => continue,
        };
        progress.inc(1);
        match result {
            Ok(versions) => {
                done.versions += versions;
                if matches!(step.action, Action::Create) {
                    done.created += 1;
                } else {
                    done.resumed += 1;
                }
            }
            Err(failure) => {
                done.failed += 1;
                step.reasons.push(Note::Refused { message: failure.message().to_owned() });
                step.action = Action::Failed;
                let goes_on =
                    matches!(failure.kind(), Kind::Invalid | Kind::AlreadyExists | Kind::Exhausted | Kind::NotFound);
                if !goes_on {
                    done.stopped_because = Some(failure.message().to_owned());
                    done.stopped = Some((failure.kind(), t!("import-stopped", reason = failure.message())));
                    break;
                }
            }
        }
    }
    progress.finish_and_clear();
    done
}

/// The passwords to write, oldest first, from `from` in the history, the current one last.
fn passwords(step: &Step, from: usize) -> Vec<&SecretText> {
    let Some(candidate) = step.candidate.as_ref() else { return Vec::new() };
    candidate.history.iter().skip(from).chain(std::iter::once(&candidate.password)).collect()
}

async fn create(daemon: &Daemon, step: &Step, classification: Option<Classification>) -> Result<usize, Failure> {
    let Some(candidate) = step.candidate.as_ref() else { return Ok(0) };
    let passwords = passwords(step, 0);
    let Some((first, later)) = passwords.split_first() else { return Ok(0) };
    let entry = Entry {
        platform: step.platform.clone(),
        category: candidate.category.to_proto(),
        url: candidate.url.clone(),
        login: candidate.login.clone(),
        classification: classification.map_or(0, Classification::to_proto),
        lifecycle: Lifecycle::Active.to_proto(),
        tags: candidate.tags.clone(),
        ..Entry::default()
    };
    // prost messages cannot wipe themselves; tonic drops each request as soon as it is encoded.
    let secrets = SecretFields {
        password: first.expose_secret().as_bytes().to_vec(),
        totp_seed: candidate.totp_seed.expose_secret().as_bytes().to_vec(),
        notes: candidate.notes.expose_secret().as_bytes().to_vec(),
    };
    let request = CreateEntryRequest { entry: Some(entry), secrets: Some(secrets) };
    daemon.entries().create_entry(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?;
    for password in later {
        update_password(daemon, &step.platform, password).await?;
    }
    Ok(passwords.len())
}

async fn resume(daemon: &Daemon, step: &Step, next: usize) -> Result<usize, Failure> {
    let passwords = passwords(step, next);
    for password in &passwords {
        update_password(daemon, &step.platform, password).await?;
    }
    Ok(passwords.len())
}

async fn update_password(daemon: &Daemon, platform: &str, password: &SecretText) -> Result<(), Failure> {
    let request = UpdateEntryRequest {
        platform: platform.to_owned(),
        password: Some(password.expose_secret().as_bytes().to_vec()),
        ..UpdateEntryRequest::default()
    };
    daemon.entries().update_entry(daemon.request(request)?).await.map_err(|s| daemon.fail(s))?;
    Ok(())
}
