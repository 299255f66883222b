//! What an import says about an item, and where the item is in its file: a code and values, shown to people in
//! their language (the plan's text) and in English in `--json`, beside a stable code. Nothing secret is ever a
//! value here: names, logins' and URLs' lengths, tags, numbers.

use coffre_i18n::{Lang, t_in};

/// Where an item is in its source, for the plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// A line of a CSV file.
    Line(u64),
    /// The n-th item of a JSON or 1PUX export (from 1).
    Item(usize),
    /// The root group of a KeePass database.
    RootGroup,
    /// A path in the source: a KeePass group path, a pass entry's name.
    Path(String),
}

impl Origin {
    /// In `lang`.
    pub(crate) fn text(&self, lang: Lang) -> String {
        match self {
            Origin::Line(line) => t_in!(lang, "import-origin-line", line = line),
            Origin::Item(n) => t_in!(lang, "import-origin-item", n = n),
            Origin::RootGroup => t_in!(lang, "import-origin-root-group"),
            Origin::Path(path) => path.clone(),
        }
    }
}

impl Default for Origin {
    fn default() -> Self {
        Origin::Path(String::new())
    }
}

/// Why an item is not imported, or what was changed or left out on the way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Note {
    // What the file holds that coffre does not import.
    SecureNoteItem,
    Card,
    Identity,
    Document,
    SshKey,
    UnknownKind,
    UnknownCategory,
    OtherType {
        kind: String,
    },
    Archived,
    RecycleBin,
    /// A KeePass field reference ("{REF:P@I:...}") that cannot be followed.
    KeepassReference,
    // What pass gives.
    PassCannotRun {
        program: String,
        reason: String,
    },
    PassCannotRead {
        detail: String,
    },
    PassUnfinished {
        detail: String,
    },
    PassFailed {
        exit: String,
    },
    /// `pass show` was stopped by a signal (it has no exit code).
    PassStopped,
    PassTooLong {
        kib: u64,
    },
    PassNotText,
    // Values the vault refuses (the item is skipped).
    NoPassword,
    PasswordLineBreak,
    PasswordTooLong {
        bytes: usize,
        max: usize,
    },
    LoginTooLong {
        chars: usize,
        max: usize,
    },
    LoginControl,
    UrlTooLong {
        chars: usize,
        max: usize,
    },
    UrlControl,
    NotesTooLong {
        bytes: usize,
        max: usize,
    },
    NoName,
    // What was changed or left out (the item is imported).
    TotpLeftOut {
        why: Totp,
    },
    NamedAfterHost {
        host: String,
    },
    NameCut {
        max: usize,
    },
    TagLeftOut {
        tag: String,
        max: usize,
    },
    TagsLeftOut {
        max: usize,
    },
    OlderPasswordsTooLong {
        max: usize,
    },
    HistoryCut {
        max: usize,
    },
    // The plan.
    SameAccountAs {
        first: Origin,
    },
    Renamed {
        clashes: Vec<Clash>,
    },
    MayNotReveal {
        platform: String,
    },
    Identical,
    Resumed {
        later: usize,
    },
    OtherPassword {
        platform: String,
    },
    /// The daemon refused it in the real run; its message is already in the reader's language (in `--json` too).
    Refused {
        message: String,
    },
}

/// Why a TOTP value was left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Totp {
    NotTimeBased { kind: String },
    Algorithm { value: String },
    Digits { value: String },
    Period { value: String },
    NoSecret,
    NotAUri,
    NotASeed,
}

/// Why a name was not free, when an item is renamed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Clash {
    /// Another item of the file takes it.
    TakenBy { name: String, origin: Origin },
    /// Another account of the vault has it.
    OtherAccount { name: String },
}

impl Note {
    /// The stable code, in `--json` beside the English text.
    pub(crate) fn code(&self) -> &'static str {
        match self {
            Note::SecureNoteItem => "secure-note",
            Note::Card => "card",
            Note::Identity => "identity",
            Note::Document => "document",
            Note::SshKey => "ssh-key",
            Note::UnknownKind => "unknown-kind",
            Note::UnknownCategory => "unknown-category",
            Note::OtherType { .. } => "other-type",
            Note::Archived => "archived",
            Note::RecycleBin => "recycle-bin",
            Note::KeepassReference => "keepass-reference",
            Note::PassCannotRun { .. } => "pass-cannot-run",
            Note::PassCannotRead { .. } => "pass-cannot-read",
            Note::PassUnfinished { .. } => "pass-unfinished",
            Note::PassFailed { .. } => "pass-failed",
            Note::PassStopped => "pass-stopped",
            Note::PassTooLong { .. } => "pass-too-long",
            Note::PassNotText => "pass-not-text",
            Note::NoPassword => "no-password",
            Note::PasswordLineBreak => "password-line-break",
            Note::PasswordTooLong { .. } => "password-too-long",
            Note::LoginTooLong { .. } => "login-too-long",
            Note::LoginControl => "login-control",
            Note::UrlTooLong { .. } => "url-too-long",
            Note::UrlControl => "url-control",
            Note::NotesTooLong { .. } => "notes-too-long",
            Note::NoName => "no-name",
            Note::TotpLeftOut { .. } => "totp-left-out",
            Note::NamedAfterHost { .. } => "named-after-host",
            Note::NameCut { .. } => "name-cut",
            Note::TagLeftOut { .. } => "tag-left-out",
            Note::TagsLeftOut { .. } => "tags-left-out",
            Note::OlderPasswordsTooLong { .. } => "older-passwords-too-long",
            Note::HistoryCut { .. } => "history-cut",
            Note::SameAccountAs { .. } => "same-account",
            Note::Renamed { .. } => "renamed",
            Note::MayNotReveal { .. } => "may-not-reveal",
            Note::Identical => "identical",
            Note::Resumed { .. } => "resumed",
            Note::OtherPassword { .. } => "other-password",
            Note::Refused { .. } => "refused",
        }
    }

    /// The note in `lang`.
    pub(crate) fn text(&self, lang: Lang) -> String {
        match self {
            Note::SecureNoteItem => t_in!(lang, "import-note-secure-note"),
            Note::Card => t_in!(lang, "import-note-card"),
            Note::Identity => t_in!(lang, "import-note-identity"),
            Note::Document => t_in!(lang, "import-note-document"),
            Note::SshKey => t_in!(lang, "import-note-ssh-key"),
            Note::UnknownKind => t_in!(lang, "import-note-unknown-kind"),
            Note::UnknownCategory => t_in!(lang, "import-note-unknown-category"),
            Note::OtherType { kind } => t_in!(lang, "import-note-other-type", kind = kind.as_str()),
            Note::Archived => t_in!(lang, "import-note-archived"),
            Note::RecycleBin => t_in!(lang, "import-note-recycle-bin"),
            Note::KeepassReference => t_in!(lang, "import-note-keepass-reference"),
            Note::PassCannotRun { program, reason } => {
                t_in!(lang, "import-note-pass-cannot-run", program = program.as_str(), reason = reason.as_str())
            }
            Note::PassCannotRead { detail } => t_in!(lang, "import-note-pass-cannot-read", detail = detail.as_str()),
            Note::PassUnfinished { detail } => t_in!(lang, "import-note-pass-unfinished", detail = detail.as_str()),
            Note::PassFailed { exit } => t_in!(lang, "import-note-pass-failed", exit = exit.as_str()),
            Note::PassStopped => t_in!(lang, "import-note-pass-stopped"),
            Note::PassTooLong { kib } => t_in!(lang, "import-note-pass-too-long", kib = kib),
            Note::PassNotText => t_in!(lang, "import-note-pass-not-text"),
            Note::NoPassword => t_in!(lang, "import-note-no-password"),
            Note::PasswordLineBreak => t_in!(lang, "import-note-password-line-break"),
            Note::PasswordTooLong { bytes, max } => {
                t_in!(lang, "import-note-password-too-long", bytes = bytes, max = max)
            }
            Note::LoginTooLong { chars, max } => t_in!(lang, "import-note-login-too-long", chars = chars, max = max),
            Note::LoginControl => t_in!(lang, "import-note-login-control"),
            Note::UrlTooLong { chars, max } => t_in!(lang, "import-note-url-too-long", chars = chars, max = max),
            Note::UrlControl => t_in!(lang, "import-note-url-control"),
            Note::NotesTooLong { bytes, max } => t_in!(lang, "import-note-notes-too-long", bytes = bytes, max = max),
            Note::NoName => t_in!(lang, "import-note-no-name"),
            Note::TotpLeftOut { why } => t_in!(lang, "import-note-totp-left-out", why = why.text(lang)),
            Note::NamedAfterHost { host } => t_in!(lang, "import-note-named-after-host", host = host.as_str()),
            Note::NameCut { max } => t_in!(lang, "import-note-name-cut", max = max),
            Note::TagLeftOut { tag, max } => t_in!(lang, "import-note-tag-left-out", tag = tag.as_str(), max = max),
            Note::TagsLeftOut { max } => t_in!(lang, "import-note-tags-left-out", max = max),
            Note::OlderPasswordsTooLong { max } => t_in!(lang, "import-note-older-passwords-too-long", max = max),
            Note::HistoryCut { max } => t_in!(lang, "import-note-history-cut", max = max),
            Note::SameAccountAs { first } => t_in!(lang, "import-note-same-account", first = first.text(lang)),
            Note::Renamed { clashes } => {
                let clashes: Vec<String> = clashes.iter().map(|clash| clash.text(lang)).collect();
                t_in!(lang, "import-note-renamed", clashes = clashes.join("; "))
            }
            Note::MayNotReveal { platform } => t_in!(lang, "import-note-may-not-reveal", platform = platform.as_str()),
            Note::Identical => t_in!(lang, "import-note-identical"),
            Note::Resumed { later } => t_in!(lang, "import-note-resumed", later = later),
            Note::OtherPassword { platform } => {
                t_in!(lang, "import-note-other-password", platform = platform.as_str())
            }
            Note::Refused { message } => t_in!(lang, "import-note-refused", message = message.as_str()),
        }
    }

    /// One of each, for the test that renders them all in both languages.
    #[cfg(test)]
    pub(crate) fn examples() -> Vec<Note> {
        let s = |text: &str| text.to_owned();
        let mut all = vec![
            Note::SecureNoteItem,
            Note::Card,
            Note::Identity,
            Note::Document,
            Note::SshKey,
            Note::UnknownKind,
            Note::UnknownCategory,
            Note::OtherType { kind: s("wifi") },
            Note::Archived,
            Note::RecycleBin,
            Note::KeepassReference,
            Note::PassCannotRun { program: s("pass"), reason: s("no such file") },
            Note::PassCannotRead { detail: s("broken pipe") },
            Note::PassUnfinished { detail: s("interrupted") },
            Note::PassFailed { exit: s("2") },
            Note::PassStopped,
            Note::PassTooLong { kib: 64 },
            Note::PassNotText,
            Note::NoPassword,
            Note::PasswordLineBreak,
            Note::PasswordTooLong { bytes: 2000, max: 1024 },
            Note::LoginTooLong { chars: 600, max: 512 },
            Note::LoginControl,
            Note::UrlTooLong { chars: 700, max: 512 },
            Note::UrlControl,
            Note::NotesTooLong { bytes: 20000, max: 16384 },
            Note::NoName,
            Note::NamedAfterHost { host: s("www.example.org") },
            Note::NameCut { max: 64 },
            Note::TagLeftOut { tag: s("a-very-long-tag"), max: 32 },
            Note::TagsLeftOut { max: 16 },
            Note::OlderPasswordsTooLong { max: 1024 },
            Note::HistoryCut { max: 50 },
            Note::SameAccountAs { first: Origin::Line(2) },
            Note::Renamed {
                clashes: vec![
                    Clash::TakenBy { name: s("Facebook"), origin: Origin::Item(3) },
                    Clash::OtherAccount { name: s("Facebook (2)") },
                ],
            },
            Note::MayNotReveal { platform: s("Facebook") },
            Note::Identical,
            Note::Resumed { later: 3 },
            Note::OtherPassword { platform: s("Facebook") },
            Note::Refused { message: s("…") },
        ];
        for why in [
            Totp::NotTimeBased { kind: s("hotp") },
            Totp::Algorithm { value: s("SHA256") },
            Totp::Digits { value: s("8") },
            Totp::Period { value: s("60") },
            Totp::NoSecret,
            Totp::NotAUri,
            Totp::NotASeed,
        ] {
            all.push(Note::TotpLeftOut { why });
        }
        all
    }
}

impl Totp {
    fn text(&self, lang: Lang) -> String {
        match self {
            Totp::NotTimeBased { kind } => t_in!(lang, "import-totp-not-time-based", kind = kind.as_str()),
            Totp::Algorithm { value } => t_in!(lang, "import-totp-algorithm", value = value.as_str()),
            Totp::Digits { value } => t_in!(lang, "import-totp-digits", value = value.as_str()),
            Totp::Period { value } => t_in!(lang, "import-totp-period", value = value.as_str()),
            Totp::NoSecret => t_in!(lang, "import-totp-no-secret"),
            Totp::NotAUri => t_in!(lang, "import-totp-not-a-uri"),
            Totp::NotASeed => t_in!(lang, "import-totp-not-a-seed"),
        }
    }
}

impl Clash {
    fn text(&self, lang: Lang) -> String {
        match self {
            Clash::TakenBy { name, origin } => {
                t_in!(lang, "import-clash-taken", name = name.as_str(), origin = origin.text(lang))
            }
            Clash::OtherAccount { name } => t_in!(lang, "import-clash-other-account", name = name.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_note_reads_in_both_languages_and_differs_between_them() {
        let mut codes = std::collections::HashSet::new();
        for note in Note::examples() {
            let (english, french) = (note.text(Lang::En), note.text(Lang::FrCa));
            assert!(!english.is_empty() && !english.contains('{'), "{english}");
            assert_ne!(english, french, "{} is English in French", note.code());
            if !matches!(note, Note::TotpLeftOut { .. }) {
                assert!(codes.insert(note.code()), "{} twice", note.code());
            }
        }
        assert_eq!(Origin::Line(12).text(Lang::FrCa), "ligne 12");
        assert_eq!(Origin::Line(12).text(Lang::En), "line 12");
    }
}
