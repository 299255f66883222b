//! `coffre reveal PLATFORM --reason TEXT`: one secret field of an entry, recorded in the audit log with the
//! reason before the daemon answers.
//!
//! Standard output gets exactly the secret followed by one newline (whether or not it is a terminal), so that
//! `coffre reveal X --reason r | head -c -1` gives the bare secret. With `--copy` the secret goes to the clipboard
//! instead and is cleared after 30 seconds, if the clipboard still holds it.

use std::{ffi::OsString, time::Duration};

use clap::Args;
use coffre_i18n::t;
use coffre_proto::v1::RevealRequest;
use serde::Serialize;
use zeroize::Zeroizing;

use crate::{
    Context,
    config::Env,
    exit::Failure,
    output::{note, printable, write_stdout},
    values::{SecretField, name},
};

/// How long a copied secret stays on the clipboard.
const CLIPBOARD_SECONDS: u64 = 30;

/// Options of `coffre reveal`.
#[derive(Debug, Args)]
#[command(after_help = "The secret is printed on standard output followed by one newline. It is never logged.")]
pub(crate) struct RevealArgs {
    /// The platform's name, as in `coffre entry list`
    #[arg(value_name = "PLATFORM")]
    platform: String,
    /// Why you need the secret; recorded in the audit log (required)
    #[arg(long, value_name = "TEXT")]
    reason: String,
    /// Which secret to reveal
    #[arg(long, value_enum, default_value_t = SecretField::Password)]
    field: SecretField,
    /// An older version (owners only; see `coffre entry history`) [default: the current one]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..), conflicts_with = "pending")]
    version: Option<u32>,
    /// The password of the rotation staged for this entry, to set it on the platform (owners only)
    #[arg(long)]
    pending: bool,
    /// Put the secret on the clipboard instead of printing it; cleared after 30 seconds
    #[arg(long)]
    copy: bool,
}

/// What `reveal` prints with `--json`. The secret is borrowed from a wiping buffer; `null` with `--copy`.
#[derive(Serialize)]
struct Revealed<'a> {
    platform: &'a str,
    field: String,
    version: u32,
    audit_seq: u64,
    secret: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    copied: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pending: bool,
    /// For a TOTP code: seconds it stays valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    valid_for_secs: Option<u32>,
}

pub(crate) async fn run(args: &RevealArgs, ctx: &Context) -> Result<(), Failure> {
    if args.reason.trim().is_empty() {
        return Err(Failure::invalid(t!("reveal-reason-empty")));
    }
    // The clipboard is checked before the reveal, so that a reveal is not recorded for a secret nobody gets.
    let mut clipboard = if args.copy { Some(open_clipboard(ctx.env())?) } else { None };
    let daemon = ctx.daemon_with_session().await?;
    let request = RevealRequest {
        platform: args.platform.clone(),
        field: args.field.to_proto(),
        reason: args.reason.clone(),
        version: args.version.unwrap_or(0),
        pending: args.pending,
    };
    let mut response = match daemon.entries().reveal(daemon.request(request)?).await {
        Ok(response) => response.into_inner(),
        Err(status) => {
            return Err(crate::suggest::entry_not_found(&daemon, daemon.fail(status), &args.platform).await);
        }
    };
    let secret = Zeroizing::new(std::mem::take(&mut response.secret));
    let field = name(args.field);
    let mut report = Revealed {
        platform: &args.platform,
        field,
        version: response.version,
        audit_seq: response.audit_seq,
        secret: None,
        copied: false,
        pending: args.pending,
        valid_for_secs: (response.valid_for_secs > 0).then_some(response.valid_for_secs),
    };

    if let Some(clipboard) = clipboard.as_mut() {
        let text = as_text(&secret, "--copy")?;
        clipboard
            .set_text(text)
            .map_err(|err| Failure::other(t!("clipboard-cannot-copy", reason = err.to_string())))?;
        report.copied = true;
        if ctx.json() {
            write_json(&report)?;
        } else {
            let mut line = t!("clipboard-copied", seconds = CLIPBOARD_SECONDS);
            line.push('\n');
            write_stdout(line.as_bytes())?;
        }
        wait_then_clear(clipboard, text).await;
        return Ok(());
    }

    if ctx.json() {
        report.secret = Some(as_text(&secret, "--json")?);
        write_json(&report)?;
    } else {
        let mut out = Zeroizing::new(Vec::with_capacity(secret.len() + 1));
        out.extend_from_slice(&secret);
        out.push(b'\n');
        write_stdout(&out)?;
    }
    let what = if args.pending { "staged" } else { report.field.as_str() };
    let what = t!("secret-field", field = what);
    let line = match report.valid_for_secs {
        Some(secs) => t!(
            "reveal-done-valid",
            what = what,
            platform = printable(&args.platform),
            version = report.version,
            seconds = secs,
            seq = report.audit_seq
        ),
        None => t!(
            "reveal-done",
            what = what,
            platform = printable(&args.platform),
            version = report.version,
            seq = report.audit_seq
        ),
    };
    note(&line);
    Ok(())
}

/// JSON and the clipboard carry text; a secret that is not UTF-8 can only be printed as it is.
fn as_text<'a>(secret: &'a [u8], option: &str) -> Result<&'a str, Failure> {
    std::str::from_utf8(secret).map_err(|_| Failure::invalid(t!("reveal-not-text", option = option)))
}

/// Writes the JSON object through a buffer that is wiped afterwards, sized so it never reallocates.
fn write_json(report: &Revealed<'_>) -> Result<(), Failure> {
    let capacity = 512 + report.platform.len() * 6 + report.secret.map_or(0, |s| s.len() * 6);
    let mut out = Zeroizing::new(Vec::with_capacity(capacity));
    serde_json::to_writer(&mut *out, report)
        .map_err(|err| Failure::other(t!("json-cannot-encode", reason = err.to_string())))?;
    out.push(b'\n');
    write_stdout(&out)
}

/// Opens the clipboard, or says plainly that there is none (a server, an ssh session).
fn open_clipboard(env: &dyn Env) -> Result<arboard::Clipboard, Failure> {
    if !has_display(|name| env.var(name)) {
        return Err(Failure::other(t!("clipboard-no-display")));
    }
    arboard::Clipboard::new().map_err(|err| Failure::other(t!("clipboard-unavailable", reason = err.to_string())))
}

/// Whether a graphical session is there to own a clipboard. macOS and Windows always have one.
fn has_display(var: impl Fn(&str) -> Option<OsString>) -> bool {
    if cfg!(any(target_os = "macos", target_os = "windows")) {
        return true;
    }
    var("DISPLAY").is_some() || var("WAYLAND_DISPLAY").is_some()
}

/// Keeps the secret on the clipboard for 30 seconds (or until Ctrl-C), then clears it if it is still ours: a
/// person who copied something else meanwhile keeps it.
async fn wait_then_clear(clipboard: &mut arboard::Clipboard, secret: &str) {
    tokio::select! {
        () = tokio::time::sleep(Duration::from_secs(CLIPBOARD_SECONDS)) => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    let current = clipboard.get_text().map(Zeroizing::new);
    match current {
        Ok(current) if current.as_str() == secret => match clipboard.clear() {
            Ok(()) => note(&t!("clipboard-cleared")),
            Err(err) => note(&t!("clipboard-cannot-clear", reason = err.to_string())),
        },
        _ => note(&t!("clipboard-changed")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reveal_json_has_the_documented_keys() -> Result<(), serde_json::Error> {
        let report = Revealed {
            platform: "Facebook",
            field: "password".into(),
            version: 3,
            audit_seq: 41,
            secret: Some("hunter2 \"quoted\""),
            copied: false,
            pending: false,
            valid_for_secs: None,
        };
        let expected = serde_json::json!({
            "platform": "Facebook", "field": "password", "version": 3, "audit_seq": 41,
            "secret": "hunter2 \"quoted\"",
        });
        assert_eq!(serde_json::to_value(&report)?, expected);
        Ok(())
    }

    #[test]
    fn no_display_means_no_clipboard() {
        let none = |_: &str| None;
        let x11 = |name: &str| (name == "DISPLAY").then(|| OsString::from(":0"));
        if cfg!(not(any(target_os = "macos", target_os = "windows"))) {
            assert!(!has_display(none));
        }
        assert!(has_display(x11));
        let err = open_clipboard(&crate::config::TableEnv(Default::default())).err();
        if cfg!(not(any(target_os = "macos", target_os = "windows"))) {
            assert_eq!(
                err.map(|e| e.message().to_owned()).as_deref(),
                Some("no clipboard available (no display); reveal without --copy")
            );
        }
    }

    #[test]
    fn binary_secrets_are_refused_for_json_and_the_clipboard() {
        assert!(as_text(&[0xff, 0xfe], "--json").is_err());
        assert_eq!(as_text(b"ok", "--json").ok(), Some("ok"));
    }
}
