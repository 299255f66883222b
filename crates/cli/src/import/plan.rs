//! The plan of an import: for each item of the file, create it (perhaps under another name), skip it because the
//! vault already holds it, finish an import that was cut short, or skip it with a reason. The dry run prints this
//! plan and the real run carries out exactly this plan, so what the dry run says is what happens.
//!
//! An item that clashes by name with an entry of the vault is compared with it: a different login or URL means a
//! different account, which gets a new name ("Facebook (2)"); the same login and URL mean the same account, whose
//! current password is then compared. That needs the password, which only a reveal gives (audited, with a reason
//! that says why); a caller who may not reveal it gets the item skipped with that said, never a duplicate.

use std::collections::HashMap;

use serde::Serialize;

use coffre_i18n::Lang;

use super::{
    item::SecretText,
    mapping::{Candidate, MAX_NAME_CHARS, category_label},
    note::{Clash, Note, Origin},
};
use crate::{exit::Failure, output::printable};

/// What the vault already holds under a name ([`name_key`] -> entry).
#[derive(Clone, Debug)]
pub(crate) struct Existing {
    pub(crate) platform: String,
    pub(crate) login: String,
    pub(crate) url: String,
}

/// A name as the vault tells names apart (trimmed, NFKC, lower case: `coffre_crypto::index::normalise_name`), so
/// that the plan finds every clash the daemon would refuse: a name in decomposed form, in full-width letters or
/// in another case is the same name to the vault.
pub(crate) fn name_key(name: &str) -> String {
    coffre_crypto::index::normalise_name(name).to_string()
}

/// Gives the current password of an entry of the vault, to tell the same account from another one.
pub(crate) trait Compare {
    /// The current password and its version number; `None` when the caller may not reveal it.
    async fn current_password(&mut self, platform: &str) -> Result<Option<Current>, Failure>;
}

/// An entry's current password as the vault reveals it.
#[derive(Clone)]
pub(crate) struct Current {
    pub(crate) password: SecretText,
    /// Its version number (1 for the first password).
    pub(crate) version: u32,
}

/// Where in `history` (oldest first) the vault's current password is by its version: an entry this import created
/// holds `history[v - 1]` as its version `v`. That tells apart a password the history holds twice (A, B, A: the
/// vault at version 3 has all three, at version 1 only the first), or once more as the current one (A, B, then A).
fn at_version(history: &[SecretText], current: &Current) -> Option<usize> {
    let at = usize::try_from(current.version).ok()?.checked_sub(1)?;
    history.get(at).is_some_and(|older| *older == current.password).then_some(at)
}

/// Where in `history` the vault's current password is: by its version ([`at_version`]), else its first place.
fn resumed_at(history: &[SecretText], current: &Current) -> Option<usize> {
    at_version(history, current).or_else(|| history.iter().position(|older| *older == current.password))
}

/// What happens to one item.
pub(crate) enum Action {
    /// A new entry: the older passwords become its first versions, the current one its current version.
    Create,
    /// The vault holds the entry with one of the item's older passwords (an import cut short): the later passwords
    /// are added as new versions, from `next` in the history.
    Resume { next: usize },
    /// The vault already holds this entry with the same login, URL and password.
    Identical,
    /// Not imported, for the reason given.
    Skip,
    /// The daemon refused it during the real run (the reason is the daemon's).
    Failed,
}

/// One line of the plan.
pub(crate) struct Step {
    pub(crate) origin: Origin,
    /// The name the file gives it.
    pub(crate) source_name: String,
    /// The name in the vault (empty when skipped before one was chosen).
    pub(crate) platform: String,
    pub(crate) action: Action,
    pub(crate) reasons: Vec<Note>,
    pub(crate) candidate: Option<Candidate>,
}

impl Step {
    pub(crate) fn skipped(origin: Origin, source_name: String, why: Note) -> Self {
        Step { origin, source_name, platform: String::new(), action: Action::Skip, reasons: vec![why], candidate: None }
    }

    pub(crate) fn action_name(&self) -> &'static str {
        match self.action {
            Action::Create if self.renamed() => "create-renamed",
            Action::Create => "create",
            Action::Resume { .. } => "resume",
            Action::Identical => "skip-identical",
            Action::Skip => "skip",
            Action::Failed => "failed",
        }
    }

    fn renamed(&self) -> bool {
        self.candidate.as_ref().is_some_and(|c| c.platform != self.platform)
    }

    /// How many versions the step writes (0 for skips).
    pub(crate) fn versions(&self) -> usize {
        match (&self.action, &self.candidate) {
            (Action::Create, Some(c)) => c.history.len() + 1,
            (Action::Resume { next }, Some(c)) => c.history.len().saturating_sub(*next) + 1,
            _ => 0,
        }
    }
}

/// Decides what to do with each candidate, in the file's order, against what the vault holds.
pub(crate) async fn build<C: Compare>(
    candidates: Vec<Result<Candidate, (Origin, String, Note)>>,
    existing: &HashMap<String, Existing>,
    compare: &mut C,
) -> Result<Vec<Step>, Failure> {
    let mut steps = Vec::with_capacity(candidates.len());
    // Names this plan uses already (by name_key), and where each came from.
    let mut taken: HashMap<String, Origin> = HashMap::new();
    // Accounts already planned, by (name_key, login, URL): their passwords, to skip exact duplicates in the file.
    let mut seen: HashMap<(String, String, String), Vec<(SecretText, Origin)>> = HashMap::new();
    let mut passwords: HashMap<String, Option<Current>> = HashMap::new();
    // For a name, the number from which "Name (n)" may be free: every one below is taken or in the vault.
    let mut next_free: HashMap<String, usize> = HashMap::new();
    // The vault's entries by (login, URL), to find the same account under a numbered name.
    let mut accounts: HashMap<(&str, &str), Vec<&str>> = HashMap::new();
    for (key, entry) in existing {
        accounts.entry((entry.login.as_str(), entry.url.as_str())).or_default().push(key.as_str());
    }
    for candidate in candidates {
        let candidate = match candidate {
            Ok(candidate) => candidate,
            Err((origin, name, why)) => {
                steps.push(Step::skipped(origin, name, why));
                continue;
            }
        };
        let source_name = candidate.platform.clone();
        let source_key = name_key(&source_name);
        let account = seen.entry((source_key, candidate.login.clone(), candidate.url.clone())).or_default();
        if let Some((_, first)) = account.iter().find(|(password, _)| *password == candidate.password) {
            let why = Note::SameAccountAs { first: first.clone() };
            steps.push(Step::skipped(candidate.origin, source_name, why));
            continue;
        }
        account.push((candidate.password.clone(), candidate.origin.clone()));
        let mut reasons = candidate.warnings.clone();
        // The name: the first of "Name", "Name (2)"... that is free, unless an entry of the vault with this
        // login and URL (the same account) comes first; names taken in the file and other accounts are passed.
        let first_key = name_key(&candidate.platform);
        let free = if taken.contains_key(&first_key) || existing.contains_key(&first_key) {
            let next = next_free.entry(first_key.clone()).or_insert(2);
            while {
                let key = name_key(&numbered(&candidate.platform, *next));
                taken.contains_key(&key) || existing.contains_key(&key)
            } {
                *next += 1;
            }
            *next
        } else {
            1
        };
        let same_account = accounts
            .get(&(candidate.login.as_str(), candidate.url.as_str()))
            .into_iter()
            .flatten()
            .filter(|key| !taken.contains_key(**key))
            .filter_map(|key| number_in(key, &candidate.platform))
            .min()
            .filter(|n| *n < free);
        let n = same_account.unwrap_or(free);
        let name = numbered(&candidate.platform, n);
        let key = name_key(&name);
        // Only the first clash is said: listing every earlier item of the same name made the plan quadratic.
        let clashes = match taken.get(&first_key) {
            _ if n == 1 => Vec::new(),
            Some(by) => vec![Clash::TakenBy { name: candidate.platform.clone(), origin: by.clone() }],
            None => vec![Clash::OtherAccount { name: candidate.platform.clone() }],
        };
        let (platform, action) = match existing.get(&key).filter(|_| same_account.is_some()) {
            None => (name, Action::Create),
            Some(entry) => {
                let current = match passwords.get(&key) {
                    Some(known) => known.clone(),
                    None => {
                        let fetched = compare.current_password(&entry.platform).await?;
                        passwords.insert(key.clone(), fetched.clone());
                        fetched
                    }
                };
                let action = match current {
                    None => {
                        reasons.push(Note::MayNotReveal { platform: entry.platform.clone() });
                        Action::Skip
                    }
                    Some(current)
                        if current.password == candidate.password
                            && at_version(&candidate.history, &current).is_none() =>
                    {
                        reasons.push(Note::Identical);
                        Action::Identical
                    }
                    Some(current) => match resumed_at(&candidate.history, &current) {
                        Some(at) => {
                            reasons.push(Note::Resumed { later: candidate.history.len() - at });
                            Action::Resume { next: at + 1 }
                        }
                        None => {
                            reasons.push(Note::OtherPassword { platform: entry.platform.clone() });
                            Action::Skip
                        }
                    },
                };
                (entry.platform.clone(), action)
            }
        };
        if matches!(action, Action::Create) && !clashes.is_empty() {
            reasons.insert(0, Note::Renamed { clashes });
        }
        taken.insert(name_key(&platform), candidate.origin.clone());
        steps.push(Step {
            origin: candidate.origin.clone(),
            source_name,
            platform,
            action,
            reasons,
            candidate: Some(candidate),
        });
    }
    Ok(steps)
}

/// The number `n` for which `key` is the [`name_key`] of `numbered(platform, n)`, if any.
fn number_in(key: &str, platform: &str) -> Option<usize> {
    if key == name_key(platform) {
        return Some(1);
    }
    let (_, digits) = key.strip_suffix(')')?.rsplit_once(" (")?;
    let n = digits.parse::<usize>().ok().filter(|n| *n >= 2)?;
    (name_key(&numbered(platform, n)) == key).then_some(n)
}

/// `base` for the first, "base (n)" after, cut so that it stays within the vault's 64 characters.
fn numbered(base: &str, n: usize) -> String {
    if n == 1 {
        return base.to_owned();
    }
    let suffix = format!(" ({n})");
    let room = MAX_NAME_CHARS.saturating_sub(suffix.chars().count());
    let cut: String = base.chars().take(room).collect();
    format!("{}{suffix}", cut.trim_end())
}

/// Counts of a plan, for the summary.
#[derive(Debug, Default, PartialEq, Serialize)]
pub(crate) struct Counts {
    pub(crate) create: usize,
    pub(crate) renamed: usize,
    pub(crate) resume: usize,
    pub(crate) identical: usize,
    pub(crate) skipped: usize,
}

pub(crate) fn counts(steps: &[Step]) -> Counts {
    let mut counts = Counts::default();
    for step in steps {
        match step.action {
            Action::Create => {
                counts.create += 1;
                counts.renamed += usize::from(step.renamed());
            }
            Action::Resume { .. } => counts.resume += 1,
            Action::Identical => counts.identical += 1,
            Action::Skip | Action::Failed => counts.skipped += 1,
        }
    }
    counts
}

/// One step in JSON, in English whatever the reader's language, with the reasons' stable codes beside their text.
/// Never a secret, a login or a note.
#[derive(Serialize)]
pub(crate) struct StepJson {
    pub(crate) origin: String,
    pub(crate) source_name: String,
    pub(crate) action: &'static str,
    pub(crate) platform: Option<String>,
    pub(crate) category: Option<String>,
    pub(crate) versions: usize,
    pub(crate) reasons: Vec<String>,
    pub(crate) reason_codes: Vec<&'static str>,
}

impl From<&Step> for StepJson {
    fn from(step: &Step) -> Self {
        StepJson {
            origin: step.origin.text(Lang::En),
            source_name: step.source_name.clone(),
            action: step.action_name(),
            platform: (!step.platform.is_empty()).then(|| step.platform.clone()),
            category: step.candidate.as_ref().map(|c| category_label(c.category)),
            versions: step.versions(),
            reasons: step.reasons.iter().map(|note| note.text(Lang::En)).collect(),
            reason_codes: step.reasons.iter().map(Note::code).collect(),
        }
    }
}

/// The plan for people, in `lang`: one line per item, then its reasons indented.
pub(crate) fn text(steps: &[Step], lang: Lang) -> String {
    let mut out = String::new();
    for step in steps {
        let name = if step.platform.is_empty() { &step.source_name } else { &step.platform };
        let category = step.candidate.as_ref().map(|c| category_label(c.category)).unwrap_or_default();
        let versions = match step.versions() {
            0 | 1 => String::new(),
            n => coffre_i18n::t_in!(lang, "import-versions", count = n),
        };
        let category = if category.is_empty() || step.versions() == 0 {
            String::new()
        } else {
            format!(" [{category}{versions}]")
        };
        let action = coffre_i18n::t_in!(lang, "import-action", action = step.action_name());
        out.push_str(&format!(
            "{action:<15} {}{category}  ({})\n",
            printable(name),
            printable(&step.origin.text(lang))
        ));
        for reason in &step.reasons {
            out.push_str(&format!("{:<15}   - {}\n", "", printable(&reason.text(lang))));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{import::item::SecretText, values::Category};

    /// The vault's current passwords by name, how many reveals the plan asked, and the versions that are not 1.
    struct Vault(HashMap<String, Option<&'static str>>, usize, HashMap<String, u32>);

    impl Compare for Vault {
        async fn current_password(&mut self, platform: &str) -> Result<Option<Current>, Failure> {
            self.1 += 1;
            let version = self.2.get(platform).copied().unwrap_or(1);
            Ok(self
                .0
                .get(platform)
                .copied()
                .flatten()
                .map(|p| Current { password: SecretText::new(p.to_owned()), version }))
        }
    }

    fn candidate(origin: Origin, name: &str, login: &str, password: &str) -> Result<Candidate, (Origin, String, Note)> {
        Ok(Candidate {
            origin,
            platform: name.into(),
            category: Category::Other,
            url: String::new(),
            login: login.into(),
            password: SecretText::new(password.into()),
            notes: SecretText::default(),
            totp_seed: SecretText::default(),
            tags: Vec::new(),
            history: Vec::new(),
            warnings: Vec::new(),
        })
    }

    fn existing(entries: &[(&str, &str)]) -> HashMap<String, Existing> {
        entries
            .iter()
            .map(|(name, login)| {
                let entry = Existing { platform: (*name).into(), login: (*login).into(), url: String::new() };
                (name_key(name), entry)
            })
            .collect()
    }

    async fn plan(
        candidates: Vec<Result<Candidate, (Origin, String, Note)>>,
        vault: &[(&str, &str)],
        passwords: &[(&str, Option<&'static str>)],
    ) -> (Vec<Step>, usize) {
        plan_at(candidates, vault, passwords, &[]).await
    }

    /// [`plan`] with the vault's entries at these `versions` (the others at version 1).
    async fn plan_at(
        candidates: Vec<Result<Candidate, (Origin, String, Note)>>,
        vault: &[(&str, &str)],
        passwords: &[(&str, Option<&'static str>)],
        versions: &[(&str, u32)],
    ) -> (Vec<Step>, usize) {
        let versions = versions.iter().map(|(n, v)| ((*n).to_owned(), *v)).collect();
        let mut compare = Vault(passwords.iter().map(|(n, p)| ((*n).to_owned(), *p)).collect(), 0, versions);
        let steps =
            build(candidates, &existing(vault), &mut compare).await.unwrap_or_else(|e| panic!("{}", e.message()));
        (steps, compare.1)
    }

    fn summary(steps: &[Step]) -> Vec<(String, &'static str)> {
        steps.iter().map(|s| (s.platform.clone(), s.action_name())).collect()
    }

    #[tokio::test]
    async fn clashes_in_the_file_and_in_the_vault_are_renamed_and_identical_entries_skipped() {
        let candidates = vec![
            candidate(Origin::Line(2), "Facebook", "party", "one"),
            candidate(Origin::Line(3), "facebook", "youth", "two"),
            candidate(Origin::Line(4), "Facebook", "party", "one"),
            candidate(Origin::Line(5), "Gmail", "party", "same"),
            candidate(Origin::Line(6), "X", "party", "new"),
            candidate(Origin::Line(7), "Bank", "party", "new"),
            Err((Origin::Line(8), "Visa".into(), Note::Card)),
        ];
        let vault = [("Gmail", "party"), ("X", "other"), ("Bank", "party")];
        let (steps, reveals) = plan(candidates, &vault, &[("Gmail", Some("same")), ("Bank", Some("old"))]).await;
        assert_eq!(
            summary(&steps),
            [
                ("Facebook".to_owned(), "create"),
                ("facebook (2)".to_owned(), "create-renamed"),
                (String::new(), "skip"),
                ("Gmail".to_owned(), "skip-identical"),
                ("X (2)".to_owned(), "create-renamed"),
                ("Bank".to_owned(), "skip"),
                (String::new(), "skip"),
            ]
        );
        assert_eq!(reveals, 2, "only same-login clashes are compared");
        assert!(steps[2].reasons[0].text(Lang::En).contains("the same account as line 2"));
        assert!(steps[5].reasons[0].text(Lang::En).contains("another password"));
        // The same plan for a French reader: actions, origins and reasons in French; the JSON stays English.
        let french = text(&steps, Lang::FrCa);
        assert!(french.contains("créer-renommé   facebook (2) [other]  (ligne 3)"), "{french}");
        assert!(
            french.contains("- renommé\u{a0}: «\u{a0}facebook\u{a0}» est déjà pris dans le fichier (ligne 2)"),
            "{french}"
        );
        assert!(french.contains("- le même compte que ligne 2"), "{french}");
        assert!(!french.contains("line") && !french.contains("the same"), "{french}");
        let json = StepJson::from(&steps[1]);
        assert_eq!((json.origin.as_str(), json.reason_codes.as_slice()), ("line 3", ["renamed"].as_slice()));
        assert_eq!(json.reasons, ["renamed: \"facebook\" is line 2 of the file"]);
        assert_eq!(counts(&steps), Counts { create: 3, renamed: 2, resume: 0, identical: 1, skipped: 3 });
    }

    #[tokio::test]
    async fn a_second_run_creates_nothing() {
        let candidates = || {
            vec![
                candidate(Origin::Line(2), "Facebook", "party", "one"),
                candidate(Origin::Line(3), "Facebook", "youth", "two"),
            ]
        };
        let vault = [("Facebook", "party"), ("Facebook (2)", "youth")];
        let (steps, _) = plan(candidates(), &vault, &[("Facebook", Some("one")), ("Facebook (2)", Some("two"))]).await;
        assert_eq!(
            summary(&steps),
            [("Facebook".to_owned(), "skip-identical"), ("Facebook (2)".to_owned(), "skip-identical")]
        );
    }

    #[tokio::test]
    async fn without_the_right_to_reveal_a_same_login_clash_is_skipped_not_duplicated() {
        let (steps, _) =
            plan(vec![candidate(Origin::Line(2), "Bank", "party", "x")], &[("Bank", "party")], &[("Bank", None)]).await;
        assert_eq!(summary(&steps), [("Bank".to_owned(), "skip")]);
        assert!(steps[0].reasons[0].text(Lang::En).contains("may not reveal"));
    }

    #[tokio::test]
    async fn an_import_cut_short_between_versions_resumes() {
        let mut item = candidate(Origin::Item(1), "Site", "me", "three");
        if let Ok(c) = item.as_mut() {
            c.history = vec![SecretText::new("one".into()), SecretText::new("two".into())];
        }
        let (steps, _) = plan(vec![item], &[("Site", "me")], &[("Site", Some("one"))]).await;
        assert_eq!(summary(&steps), [("Site".to_owned(), "resume")]);
        assert_eq!(steps[0].versions(), 2, "two and three are left to add");
    }

    #[tokio::test]
    async fn an_import_cut_short_after_a_password_used_twice_adds_only_what_is_missing() {
        // The history A, B, A, then C: a run stopped once A was added again holds A as version 3, and only C is
        // missing; one stopped right after creating the entry holds A as version 1, and B, A, C are missing.
        let item = || {
            let mut item = candidate(Origin::Item(1), "Site", "me", "C");
            if let Ok(c) = item.as_mut() {
                c.history = ["A", "B", "A"].map(|p| SecretText::new(p.into())).to_vec();
            }
            item
        };
        let vault = [("Site", "me")];
        let (steps, _) = plan_at(vec![item()], &vault, &[("Site", Some("A"))], &[("Site", 3)]).await;
        assert_eq!(summary(&steps), [("Site".to_owned(), "resume")]);
        assert_eq!(steps[0].versions(), 1, "only C is missing at version 3, not B and A again");
        let (steps, _) = plan_at(vec![item()], &vault, &[("Site", Some("A"))], &[("Site", 1)]).await;
        assert_eq!(steps[0].versions(), 3, "B, A and C are missing at version 1");
        // An entry changed by hand since (A at version 7): its version says nothing; the first A is taken, and no
        // password of the file is left out.
        let (steps, _) = plan_at(vec![item()], &vault, &[("Site", Some("A"))], &[("Site", 7)]).await;
        assert_eq!(steps[0].versions(), 3);
        // The history A, B, then A again as the current password: a run stopped after creating the entry holds A
        // as version 1, which is not all of it.
        let mut back = candidate(Origin::Item(1), "Site", "me", "A");
        if let Ok(c) = back.as_mut() {
            c.history = ["A", "B"].map(|p| SecretText::new(p.into())).to_vec();
        }
        let (steps, _) = plan_at(vec![back], &vault, &[("Site", Some("A"))], &[("Site", 1)]).await;
        assert_eq!(summary(&steps), [("Site".to_owned(), "resume")], "B and A are missing");
        assert_eq!(steps[0].versions(), 2);
    }

    #[tokio::test]
    async fn names_the_vault_takes_as_one_are_one_name_in_the_plan() {
        // The vault stores names in NFC and compares them in NFKC and lower case: "Cafe" with a combining accent (as
        // macOS writes text) is the "Café" an earlier run created, "Ｆacebook" in full-width letters is "Facebook",
        // and "QUÉBEC" is "québec".
        let candidates = vec![
            candidate(Origin::Line(2), "Cafe\u{301}", "party", "one"),
            candidate(Origin::Line(3), "Ｆacebook", "party", "two"),
            candidate(Origin::Line(4), "Facebook", "youth", "three"),
            candidate(Origin::Line(5), "QUÉBEC", "party", "four"),
            candidate(Origin::Line(6), "québec", "party", "four"),
        ];
        let (steps, reveals) = plan(candidates, &[("Café", "party")], &[("Café", Some("one"))]).await;
        assert_eq!(
            summary(&steps),
            [
                ("Café".to_owned(), "skip-identical"),
                ("Ｆacebook".to_owned(), "create"),
                ("Facebook (2)".to_owned(), "create-renamed"),
                ("QUÉBEC".to_owned(), "create"),
                (String::new(), "skip"),
            ]
        );
        assert_eq!(reveals, 1);
        assert!(steps[4].reasons[0].text(Lang::En).contains("the same account as line 5"));
    }

    #[tokio::test]
    async fn many_items_of_one_name_are_planned_without_listing_every_earlier_one() {
        // 2,000 accounts all named "Gmail" (a volunteers' spreadsheet, or a hostile file): each name was tried
        // from "Gmail" upwards and every earlier item was listed as a clash, a quadratic plan (4,000 items took
        // 12 s and printed 288 MB; a 64 MiB file would never finish).
        let count = 2000;
        let candidates =
            (0..count).map(|i| candidate(Origin::Line(i + 2), "Gmail", &format!("volunteer{i}"), "p")).collect();
        let (steps, _) = plan(candidates, &[("Gmail (3)", "someone else")], &[]).await;
        let names: Vec<String> = steps.iter().map(|s| s.platform.clone()).collect();
        assert_eq!(names[..4], ["Gmail", "Gmail (2)", "Gmail (4)", "Gmail (5)"]);
        assert_eq!(names.last().map(String::as_str), Some("Gmail (2001)"));
        let unique: std::collections::HashSet<String> = names.iter().map(|n| name_key(n)).collect();
        assert_eq!(unique.len(), steps.len());
        let clashes: usize = steps
            .iter()
            .flat_map(|s| &s.reasons)
            .map(|r| if let Note::Renamed { clashes } = r { clashes.len() } else { 0 })
            .sum();
        assert!(clashes <= 3 * steps.len(), "{clashes} clashes listed for {} items", steps.len());
        assert_eq!(steps[3].reasons[0].text(Lang::En), "renamed: \"Gmail\" is line 2 of the file");
        // Run again over what it created: each finds its own entry, whatever its number.
        let logins: Vec<String> = (0..count).map(|i| format!("volunteer{i}")).collect();
        let mut vault: Vec<(&str, &str)> =
            names.iter().map(String::as_str).zip(logins.iter().map(String::as_str)).collect();
        vault.push(("Gmail (3)", "someone else"));
        let passwords: Vec<(&str, Option<&'static str>)> = names.iter().map(|n| (n.as_str(), Some("p"))).collect();
        let again = (0..count).map(|i| candidate(Origin::Line(i + 2), "Gmail", &logins[i as usize], "p")).collect();
        let (steps, reveals) = plan(again, &vault, &passwords).await;
        let not_identical: Vec<_> =
            summary(&steps).into_iter().filter(|(_, a)| *a != "skip-identical").take(3).collect();
        assert!(not_identical.is_empty(), "{not_identical:?}");
        assert_eq!(reveals, count as usize);
    }

    #[test]
    fn numbered_names_stay_within_the_limit() {
        assert_eq!(numbered("X", 1), "X");
        assert_eq!(numbered("X", 2), "X (2)");
        let long = numbered(&"a".repeat(64), 12);
        assert_eq!(long.chars().count(), 64);
        assert!(long.ends_with(" (12)"));
    }
}
