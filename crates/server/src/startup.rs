//! The lines coffred prints on standard output when it starts, in the language of its environment (`COFFRE_LANG`,
//! `LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`): the data directory, the CA certificate with the fingerprint members
//! compare when they run `coffre connect`, and the address it listens on (always the last line).

use std::{net::SocketAddr, path::Path};

use coffre_i18n::{Lang, t_in};

/// What the start-up lines show.
pub struct Startup<'a> {
    /// The test clock file, when time comes from one (tests only).
    pub test_clock: Option<&'a Path>,
    /// The data directory.
    pub data_dir: &'a Path,
    /// The CA certificate clients pin.
    pub ca_path: &'a Path,
    /// Its SHA-256 fingerprint, hex: the last word of its line.
    pub ca_fingerprint: &'a str,
    /// The address the daemon listens on.
    pub listening: SocketAddr,
}

/// The language of the daemon's messages, from its environment.
pub fn language() -> Lang {
    Lang::choose(None, |name| std::env::var(name).ok())
}

impl Startup<'_> {
    /// The lines, each ending with a newline.
    pub fn lines(&self, lang: Lang) -> String {
        let mut lines = Vec::new();
        if let Some(path) = self.test_clock {
            let path = path.display().to_string();
            lines.push(t_in!(lang, "coffred-test-clock", path = path, var = crate::test_clock::TEST_CLOCK_VAR));
        }
        lines.push(t_in!(lang, "coffred-data-dir", path = self.data_dir.display().to_string()));
        lines.push(t_in!(
            lang,
            "coffred-ca",
            path = self.ca_path.display().to_string(),
            fingerprint = self.ca_fingerprint
        ));
        lines.push(t_in!(lang, "coffred-listening", url = format!("https://{}", self.listening)));
        let mut text = lines.join("\n");
        text.push('\n');
        text
    }
}

/// The line coffred prints on standard error when it cannot start, or one of its commands fails, in `lang`: the
/// contexts (already in the reader's language), joined as the language writes them, and at the end of the chain the
/// engine's refusal rendered from its code through the catalogue, as a client renders it (an internal fault, or a
/// lower layer's error such as the system's, keeps its English detail). In English, the whole chain as it is.
pub fn failure_line(err: &anyhow::Error, lang: Lang) -> String {
    if lang == Lang::En {
        return format!("coffred: {err:#}");
    }
    let mut parts = err.chain().map(|cause| match cause.downcast_ref::<coffre_vault::Error>() {
        Some(engine) => crate::status::engine_message(lang, engine).unwrap_or_else(|| engine.to_string()),
        None => cause.to_string(),
    });
    let first = parts.next().unwrap_or_default();
    let message = parts.fold(first, |what, why| t_in!(lang, "coffred-failed-because", what = what, why = why));
    t_in!(lang, "coffred-failed", message = message)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A start that fails on the database reads in French to its end: the context, the engine's refusal from its
    /// code, the joins with French spacing; the database's own words stay as it gave them.
    #[test]
    fn a_failure_to_start_reads_in_the_language_of_the_environment() {
        let refused = coffre_vault::StoreError::Unavailable { op: "connect", detail: "connection refused".into() };
        let err =
            anyhow::Error::new(coffre_vault::Error::from(refused)).context("impossible d’ouvrir le coffre dans /srv");
        assert_eq!(
            failure_line(&err, Lang::FrCa),
            "coffred\u{a0}: impossible d’ouvrir le coffre dans /srv\u{a0}: la base de données du coffre est \
             indisponible, rien n’a été affiché ni changé (connect: connection refused). coffred se reconnecte de \
             lui-même\u{a0}: réessayez dans un moment\u{a0}; si cela dure, vérifiez que PostgreSQL est en marche et \
             joignable depuis coffred"
        );
        assert_eq!(failure_line(&err, Lang::En), format!("coffred: {err:#}"));
        assert!(
            failure_line(&err, Lang::En).ends_with(
                "(connect: connection refused). coffred reconnects by itself: try again in a moment; if this lasts, \
                 check that PostgreSQL is running and reachable from coffred"
            ),
            "says what to do in English too: {err:#}"
        );
        let internal = anyhow::Error::new(coffre_vault::Error::Internal("cannot prepare /srv".into())).context("ctx");
        assert_eq!(
            failure_line(&internal, Lang::FrCa),
            "coffred\u{a0}: ctx\u{a0}: internal error: cannot prepare /srv"
        );
    }

    fn startup() -> Startup<'static> {
        Startup {
            test_clock: None,
            data_dir: Path::new("/var/lib/coffre"),
            ca_path: Path::new("/var/lib/coffre/tls/ca.pem"),
            ca_fingerprint: "3f1c00",
            listening: SocketAddr::from(([127, 0, 0, 1], 7443)),
        }
    }

    #[test]
    fn the_start_up_lines_speak_the_language_of_the_environment() {
        let english = startup().lines(Lang::En);
        assert_eq!(
            english,
            "coffred: data directory /var/lib/coffre\n\
             coffred: CA certificate /var/lib/coffre/tls/ca.pem, SHA-256 fingerprint 3f1c00\n\
             coffred: listening on https://127.0.0.1:7443\n"
        );
        let french = startup().lines(Lang::FrCa);
        assert_eq!(
            french,
            "coffred\u{a0}: dossier de données /var/lib/coffre\n\
             coffred\u{a0}: certificat de l’autorité de certification /var/lib/coffre/tls/ca.pem, empreinte SHA-256 \
             3f1c00\n\
             coffred\u{a0}: à l’écoute sur https://127.0.0.1:7443\n"
        );
    }

    #[test]
    fn the_fingerprint_is_the_last_word_and_the_address_the_last_line_in_both_languages() {
        for lang in Lang::ALL {
            let text = startup().lines(lang);
            let lines: Vec<&str> = text.lines().collect();
            assert!(lines.iter().any(|l| l.rsplit(' ').next() == Some("3f1c00")), "{lang:?}: {text}");
            assert!(lines.last().is_some_and(|l| l.ends_with(" https://127.0.0.1:7443")), "{lang:?}: {text}");
        }
    }
}
