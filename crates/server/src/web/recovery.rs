//! Recovery and backups, for owners: the current share set (how many shares open the vault, who holds one, since
//! when: never a share or a key), a recovery in progress, the backups the daemon wrote on its schedule, and a backup
//! taken now and downloaded (age-encrypted to the holders: only they can open it). Who may see and do this is the
//! engine's to say.

use askama::Template;
use axum::{
    body::Body,
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse as _, Response},
};
use coffre_vault::backup::BackupSchedule;
use serde::Deserialize;
use time::{OffsetDateTime, macros::format_description};

use super::{
    Web, forms,
    pages::Visit,
    render::{Frame, page, refusal},
};

struct Holder {
    label: String,
    /// Whether the share is encrypted to an age key (such a holder also receives the backups).
    by_key: bool,
}

struct Written {
    name: String,
    when: String,
}

#[derive(Template)]
#[template(path = "recovery.html")]
struct RecoveryPage {
    frame: Frame,
    /// The share set's id, threshold, holders and issue time; `None` when the vault has none.
    set: Option<(String, u8, Vec<Holder>, String)>,
    /// A recovery in progress: shares submitted, and when it expires.
    in_progress: Option<(u8, String)>,
    /// The schedule (directory, interval, how many kept) and the backups written there, newest first.
    schedule: Option<(String, String, usize)>,
    written: Vec<Written>,
}

pub(crate) async fn overview(State(web): State<Web>, visit: Visit) -> Response {
    let frame = match visit.logged_in(&web) {
        Ok(frame) => frame,
        Err(response) => return *response,
    };
    let set = match web.vault.share_set(&visit.ctx) {
        Ok(set) => set,
        Err(err) => return refusal(frame, &err),
    };
    let written = match web.backup.as_deref().map(|schedule| schedule.written(&web.vault, &visit.ctx)).transpose() {
        Ok(written) => written.unwrap_or_default(),
        Err(err) => return refusal(frame, &err),
    };
    let status = web.vault.recovery_status();
    let in_progress = status.expires.map(|expires| (status.submitted, frame.t.time(expires)));
    let set = set.map(|set| {
        let holders = set.holders.into_iter().map(|(label, by_key)| Holder { label, by_key }).collect::<Vec<Holder>>();
        (set.id, set.threshold, holders, frame.t.time(set.issued))
    });
    let schedule = web.backup.as_deref().map(|schedule: &BackupSchedule| {
        (schedule.dir.display().to_string(), interval_text(schedule.interval), schedule.keep)
    });
    let written = written.into_iter().map(|(name, at)| Written { name, when: frame.t.time(at) }).collect();
    page(&RecoveryPage { frame, set, in_progress, schedule, written })
}

/// How often the scheduled backups are written, in hours, minutes and seconds with their SI symbols, which French and
/// English write alike ("24 h", "1 h 30 min"; a week is "168 h"): humantime's "1day" is English.
fn interval_text(interval: std::time::Duration) -> String {
    let secs = interval.as_secs();
    let parts = [(secs / 3600, "h"), (secs % 3600 / 60, "min"), (secs % 60, "s")];
    let shown: Vec<String> =
        parts.iter().filter(|(count, _)| *count > 0).map(|(count, unit)| format!("{count} {unit}")).collect();
    if shown.is_empty() { "0 s".to_owned() } else { shown.join(" ") }
}

#[derive(Deserialize)]
pub(crate) struct BackupForm {
    #[serde(default)]
    csrf: String,
}

/// A backup taken now, as a download: the engine takes it (owners only, audited) and encrypts it to the share
/// holders' age keys; the browser saves it as `coffre-<vault id>-<UTC time>.age`, the scheduled backups' name.
pub(crate) async fn create(State(web): State<Web>, visit: Visit, form: forms::Form<BackupForm>) -> Response {
    if !visit.csrf_ok(&web, &form.csrf) {
        return visit.csrf_refused(&web);
    }
    let frame = match visit.logged_in(&web) {
        Ok(frame) => frame,
        Err(response) => return *response,
    };
    let backup = match web.vault.create_backup(&visit.ctx).await {
        Ok(backup) => backup,
        Err(err) => return refusal(frame, &err),
    };
    let stamp = OffsetDateTime::from(backup.created)
        .format(format_description!("[year][month][day]T[hour][minute][second]Z"))
        .unwrap_or_default();
    let name = format!("coffre-{}-{stamp}.age", backup.vault_id);
    let mut response = Body::from(backup.file).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream"));
    if let Ok(disposition) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    response
}
