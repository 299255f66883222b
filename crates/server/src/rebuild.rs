//! `coffred rebuild-store` (a new data directory whose store is rebuilt from this one's audit log alone),
//! `coffred salvage` (the same from the part of a damaged log before the damage) and `coffred migrate` (the store
//! moved from sled into PostgreSQL), offline. The engine does the work
//! (`coffre_vault::rebuild_store`, `coffre_vault::salvage`) and never writes to the source; this reads the owner's
//! passphrase (from a file, standard input or the terminal: never from the command line) and says what was done
//! and what comes next.

use std::{fmt::Write as _, io::BufRead as _, path::Path, sync::Arc};

use anyhow::Context as _;
use coffre_crypto::secret::Passphrase;
use coffre_i18n::{Lang, t_in};
use coffre_vault::clock::SystemClock;
use zeroize::Zeroizing;

use coffre_vault::StoreBackend;

use crate::{
    cli::{MigrateArgs, RebuildArgs},
    config::ServerConfig,
};

/// The longest passphrase line read.
const MAX_LINE: u64 = 4096;

/// Rebuilds `data_dir` into `args.into`; returns the lines to print, in `lang`.
pub async fn run(args: &RebuildArgs, data_dir: &Path, lang: Lang) -> anyhow::Result<String> {
    let passphrase = read_passphrase(args.passphrase_file.as_deref(), args.passphrase_stdin, lang)?;
    let report = coffre_vault::rebuild_store(data_dir, &args.into, passphrase, Arc::new(SystemClock))
        .await
        .with_context(|| failed(args, lang))?;
    let into = args.into.display().to_string();
    let done = t_in!(
        lang,
        "rebuild-done",
        vault = report.vault_id.as_str(),
        path = into.as_str(),
        changes = report.changes.to_string(),
        records = report.records.to_string(),
        events = report.audit_events.to_string()
    );
    Ok(lines(done, &into, data_dir, lang))
}

/// Salvages `data_dir` into `args.into`; returns the lines to print, in `lang`.
pub async fn salvage(args: &RebuildArgs, data_dir: &Path, lang: Lang) -> anyhow::Result<String> {
    let passphrase = read_passphrase(args.passphrase_file.as_deref(), args.passphrase_stdin, lang)?;
    let report = coffre_vault::salvage(data_dir, &args.into, passphrase, Arc::new(SystemClock))
        .await
        .with_context(|| failed(args, lang))?;
    let into = args.into.display().to_string();
    let done = t_in!(
        lang,
        "salvage-done",
        vault = report.vault_id.as_str(),
        path = into.as_str(),
        event = report.last_good_event.to_string(),
        bytes = report.bytes_kept_aside.to_string(),
        records = report.records.to_string()
    );
    Ok(lines(done, &into, data_dir, lang))
}

/// Moves the store of `config`'s vault from sled into the PostgreSQL schema `config` names; returns the lines to
/// print, in `lang`.
pub async fn migrate(args: &MigrateArgs, config: &ServerConfig, lang: Lang) -> anyhow::Result<String> {
    let StoreBackend::Postgres(target) = config.vault_config()?.store else {
        anyhow::bail!("{}", t_in!(lang, "migrate-no-target"));
    };
    let passphrase = read_passphrase(args.passphrase_file.as_deref(), args.passphrase_stdin, lang)?;
    let data_dir = config.data_dir.display().to_string();
    let report = coffre_vault::migrate_store(&config.data_dir, &target, passphrase, Arc::new(SystemClock))
        .await
        .map_err(|e| in_language(lang, &e))
        .with_context(|| t_in!(lang, "migrate-failed", path = data_dir.as_str()))?;
    let mut out = String::new();
    let done = t_in!(
        lang,
        "migrate-done",
        vault = report.vault_id.as_str(),
        place = report.place.as_str(),
        records = report.records.to_string(),
        events = report.audit_events.to_string()
    );
    let moved = config.data_dir.join(coffre_vault::MOVED_DB).display().to_string();
    let _ = writeln!(out, "{done}");
    let _ = writeln!(out, "{}", t_in!(lang, "migrate-next", moved = moved.as_str()));
    Ok(out)
}

/// The engine's refusal `err` in `lang`, from its code and arguments through the catalogue, as a client renders a
/// daemon's refusal; an internal fault (its detail is for the operator running this command) or a code the catalogue
/// does not know, in the engine's own words.
pub(crate) fn in_language(lang: Lang, err: &coffre_vault::Error) -> anyhow::Error {
    anyhow::anyhow!(crate::status::engine_message(lang, err).unwrap_or_else(|| err.to_string()))
}

fn failed(args: &RebuildArgs, lang: Lang) -> String {
    t_in!(lang, "rebuild-failed", path = args.into.display().to_string())
}

/// What was done, then what comes next (the same for a rebuild and a salvage).
fn lines(done: String, into: &str, data_dir: &Path, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{done}");
    let _ = writeln!(out, "{}", t_in!(lang, "rebuild-next", path = into, old = data_dir.display().to_string()));
    out
}

pub(crate) fn read_passphrase(file: Option<&Path>, stdin: bool, lang: Lang) -> anyhow::Result<Passphrase> {
    let line = if let Some(file) = file {
        let file = std::fs::File::open(file).with_context(|| format!("{}", file.display()))?;
        first_line(std::io::BufReader::new(file))?
    } else if stdin {
        first_line(std::io::stdin().lock())?
    } else {
        Zeroizing::new(
            rpassword::prompt_password(format!("{} ", t_in!(lang, "rebuild-prompt")))
                .context("cannot read the passphrase")?,
        )
    };
    Passphrase::new(line.as_bytes().to_vec()).map_err(|e| anyhow::anyhow!("{e}"))
}

fn first_line(reader: impl std::io::BufRead) -> anyhow::Result<Zeroizing<String>> {
    let mut line = Zeroizing::new(String::new());
    std::io::Read::take(reader, MAX_LINE).read_line(&mut line).context("cannot read the passphrase")?;
    let trimmed = line.trim_end_matches(['\n', '\r']).len();
    line.truncate(trimmed);
    Ok(line)
}

#[cfg(test)]
mod tests {
    use coffre_i18n::Lang;
    use coffre_vault::{Error, ErrorKind, MigrateRefusal};

    use super::in_language;

    /// The president who runs `coffred migrate` in French reads its refusals in French, with what to do next.
    #[test]
    fn a_migrate_refusal_is_told_in_the_operators_language() {
        let full = Error::MigrateRefused(MigrateRefusal::SchemaNotEmpty {
            place: "PostgreSQL db.example/coffre, schema coffre".into(),
        });
        assert_eq!(full.kind(), ErrorKind::FailedPrecondition);
        assert_eq!(in_language(Lang::En, &full).to_string(), full.to_string(), "the English is the engine's own");
        let french = in_language(Lang::FrCa, &full).to_string();
        assert!(french.contains("schéma vide") && french.contains("schema coffre"), "{french}");
        assert!(!french.contains("empty schema"), "{french}");
        let none = Error::MigrateRefused(MigrateRefusal::NoSledStore { path: "/srv/coffre/db".into() });
        let french = in_language(Lang::FrCa, &none).to_string();
        assert!(french.contains("pas de base sled") && french.contains("/srv/coffre/db"), "{french}");
        // An internal fault keeps its detail, for the operator.
        let internal = in_language(Lang::FrCa, &Error::Internal("the copy task stopped".into())).to_string();
        assert!(internal.contains("the copy task stopped"), "{internal}");
    }

    /// What is damaged, and what is wrong with it, are told in the operator's language too: a damaged log or store
    /// found by `coffred rebuild-store` or `restore`, or an invalid value shown by the web client (the same renderer),
    /// has no English sentence inside the French one.
    #[test]
    fn a_damage_and_an_invalid_value_are_told_whole_in_the_operators_language() {
        use coffre_vault::Problem;
        let damaged = Error::AuditDamaged {
            file: "/srv/coffre/audit/00000000000000000001.seg".into(),
            offset: 96,
            last_good: 3,
            problem: Problem::AuditBadFrame,
        };
        assert_eq!(in_language(Lang::En, &damaged).to_string(), damaged.to_string());
        let french = in_language(Lang::FrCa, &damaged).to_string();
        assert!(french.contains("une trame échoue à sa somme de contrôle") && french.contains("96"), "{french}");
        assert!(!french.contains("a frame fails"), "{french}");
        let store = Error::StoreDamaged { file: "/srv/coffre/db".into(), problem: Problem::StoreMarkerMalformed };
        assert!(!in_language(Lang::FrCa, &store).to_string().contains("its applied marker"));
        let invalid = Error::Invalid { field: coffre_vault::problems::PLATFORM, problem: Problem::Empty };
        assert_eq!(in_language(Lang::En, &invalid).to_string(), invalid.to_string());
        let french = crate::web::render::refusal_text(Lang::FrCa, &invalid);
        assert_eq!(french, "valeur invalide pour la plateforme\u{a0}: ne doit pas être vide");
    }
}
