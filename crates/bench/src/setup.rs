//! The world the phases run in, built through the daemon's API like a real organisation would: the president
//! initialises the vault (default Argon2id cost), adds entries, adds members who enrol with their own passphrase
//! and TOTP, and grants each member one category for a task.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use coffre_crypto::totp::{STEP_SECONDS, TotpSeed, step_at};
use coffre_proto::v1 as pb;
use secrecy::{ExposeSecret, SecretString};

use crate::client::{Clients, Target, Token};

/// Members created for the load phases; clients share their sessions round-robin.
pub(crate) const MEMBERS: usize = 4;

/// The categories entries are spread over (all but "unspecified").
const CATEGORIES: [pb::Category; 7] = [
    pb::Category::SocialNetwork,
    pb::Category::DataBank,
    pb::Category::Creation,
    pb::Category::Meeting,
    pb::Category::Software,
    pb::Category::Financial,
    pb::Category::Other,
];

/// A person the bench can log in as.
pub(crate) struct Account {
    pub(crate) name: String,
    pub(crate) passphrase: SecretString,
    pub(crate) seed: TotpSeed,
    /// The last TOTP step used, which the daemon will not accept again.
    pub(crate) last_step: u64,
}

impl Account {
    /// A code the daemon has not seen yet: the current step's, or the next one's (within the allowed skew), or,
    /// when both are used, the next step's after waiting for it.
    pub(crate) async fn fresh_code(&mut self) -> String {
        loop {
            let now = unix_now();
            let current = step_at(now);
            let step = current.max(self.last_step + 1);
            if step <= current + 1 {
                self.last_step = step;
                return self.seed.code_at(i64::try_from(step).unwrap_or(i64::MAX) * STEP_SECONDS);
            }
            let wait = STEP_SECONDS - now.rem_euclid(STEP_SECONDS);
            tokio::time::sleep(Duration::from_secs(u64::try_from(wait).unwrap_or(1))).await;
        }
    }

    /// Logs in and returns the session.
    pub(crate) async fn login(&mut self, clients: &mut Clients) -> Result<Token> {
        let totp_code = self.fresh_code().await;
        let answer = clients
            .auth
            .login(pb::LoginRequest {
                name: self.name.clone(),
                passphrase: self.passphrase.expose_secret().as_bytes().to_vec(),
                totp_code,
            })
            .await
            .with_context(|| format!("login of {} failed", self.name))?
            .into_inner();
        Token::new(&SecretString::from(answer.token))
    }
}

/// A member with a live grant on one category, and the entries it reveals.
pub(crate) struct Member {
    pub(crate) token: Token,
    pub(crate) entries: Vec<String>,
}

/// The vault as the phases find it.
pub(crate) struct World {
    pub(crate) target: Target,
    /// The daemon's process, when the bench started it.
    pub(crate) pid: Option<u32>,
    pub(crate) president: Account,
    pub(crate) president_token: Token,
    pub(crate) members: Vec<Member>,
}

pub(crate) fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)).unwrap_or(0)
}

/// A random passphrase: 20 bytes from the OS random source, in base32.
pub(crate) fn random_passphrase() -> Result<SecretString> {
    let mut bytes = zeroize::Zeroizing::new([0u8; 20]);
    getrandom::fill(&mut *bytes).map_err(|e| anyhow::anyhow!("the OS random source failed: {e}"))?;
    Ok(SecretString::from(data_encoding::BASE32_NOPAD.encode(&*bytes)))
}

/// Initialises the vault behind `target` with the daemon's default Argon2id cost; the president logs in.
pub(crate) async fn init(target: &Target) -> Result<(Account, Token)> {
    let mut clients = Clients::connect(target).await?;
    let passphrase = random_passphrase()?;
    let answer = clients
        .system
        .init(pb::InitRequest {
            president: "president".into(),
            passphrase: passphrase.expose_secret().as_bytes().to_vec(),
            leader: String::new(),
            kdf: None,
            recovery: None,
        })
        .await
        .context("init failed: the bench needs a daemon whose vault is not initialised yet")?
        .into_inner();
    let seed = TotpSeed::from_otpauth_uri(&answer.president_otpauth_uri).context("init returned no usable TOTP")?;
    let mut president = Account { name: "president".into(), passphrase, seed, last_step: 0 };
    let token = president.login(&mut clients).await?;
    Ok((president, token))
}

/// The name of entry `i`.
pub(crate) fn platform(i: usize) -> String {
    format!("platform-{i:06}")
}

/// The category of entry `i`.
pub(crate) fn category(i: usize) -> pb::Category {
    CATEGORIES[i % CATEGORIES.len()]
}

/// Adds `count` entries through the API, `concurrency` at a time.
pub(crate) async fn add_entries(target: &Target, token: &Token, count: usize, concurrency: usize) -> Result<()> {
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let (target, token) = (target.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            let mut clients = Clients::connect(&target).await?;
            for i in (worker..count).step_by(concurrency) {
                let entry = pb::Entry {
                    platform: platform(i),
                    category: category(i) as i32,
                    url: format!("https://example.org/{i}"),
                    login: format!("account-{i}@example.org"),
                    classification: pb::Classification::Restricted as i32,
                    lifecycle: pb::Lifecycle::Active as i32,
                    tags: vec!["bench".into()],
                    ..Default::default()
                };
                let password = random_passphrase()?;
                let secrets = pb::SecretFields {
                    password: password.expose_secret().as_bytes().to_vec(),
                    totp_seed: Vec::new(),
                    notes: b"recovery codes are in the safe".to_vec(),
                };
                clients
                    .entries
                    .create_entry(token.request(pb::CreateEntryRequest { entry: Some(entry), secrets: Some(secrets) }))
                    .await
                    .with_context(|| format!("creating entry {i} failed"))?;
            }
            anyhow::Ok(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(())
}

/// Adds `count` people with `role`, each enrolled with its own passphrase and TOTP, and returns their accounts.
pub(crate) async fn add_people(target: &Target, president: &Token, prefix: &str, count: usize) -> Result<Vec<Account>> {
    let mut clients = Clients::connect(target).await?;
    let mut accounts = Vec::with_capacity(count);
    for i in 0..count {
        let name = format!("{prefix}-{i:03}");
        let added = clients
            .access
            .add_person(president.request(pb::AddPersonRequest { name: name.clone(), role: pb::Role::Member as i32 }))
            .await
            .with_context(|| format!("adding {name} failed"))?
            .into_inner();
        let code = added.enrolment_code;
        let start = clients
            .auth
            .start_enrollment(pb::StartEnrollmentRequest { code: code.clone() })
            .await
            .with_context(|| format!("enrolment of {name} failed"))?
            .into_inner();
        let seed = TotpSeed::from_otpauth_uri(&start.otpauth_uri).context("enrolment returned no usable TOTP")?;
        let mut account = Account { name: name.clone(), passphrase: random_passphrase()?, seed, last_step: 0 };
        let totp_code = account.fresh_code().await;
        clients
            .auth
            .enroll(pb::EnrollRequest {
                code,
                passphrase: account.passphrase.expose_secret().as_bytes().to_vec(),
                totp_code,
            })
            .await
            .with_context(|| format!("enrolment of {name} failed"))?;
        accounts.push(account);
    }
    Ok(accounts)
}

/// Adds the load phases' members: each gets a 30-day grant on one category and logs in.
pub(crate) async fn add_members(target: &Target, president: &Token, entries: usize) -> Result<Vec<Member>> {
    let accounts = add_people(target, president, "member", MEMBERS).await?;
    let mut clients = Clients::connect(target).await?;
    let mut members = Vec::with_capacity(MEMBERS);
    for (i, mut account) in accounts.into_iter().enumerate() {
        let category = member_category(i);
        clients
            .access
            .add_grant(president.request(pb::AddGrantRequest {
                person: account.name.clone(),
                scope: Some(pb::add_grant_request::Scope::Category(category as i32)),
                until: Some(pb::add_grant_request::Until::DurationSeconds(30 * 24 * 3600)),
                task: "coffre-bench load".into(),
            }))
            .await
            .with_context(|| format!("granting {} failed", account.name))?;
        let token = account.login(&mut clients).await?;
        members.push(Member { token, entries: working_set(i, entries) });
    }
    Ok(members)
}

/// The category member `i` is granted.
fn member_category(i: usize) -> pb::Category {
    CATEGORIES[i % CATEGORIES.len()]
}

/// Entries each member reveals: the same number at every vault size, spread evenly over the entries its grant
/// covers, so that a larger vault is compared on the same work (each first reveal of an entry by a person also
/// writes that person's reveal mark, which offboarding needs; that one-time cost would otherwise dominate a large
/// vault's figure).
pub(crate) const WORKING_SET: usize = 128;

/// The entries, among the first `entries`, that member `i`'s grant covers.
pub(crate) fn covered(i: usize, entries: usize) -> Vec<String> {
    (0..entries).filter(|e| category(*e) == member_category(i)).map(platform).collect()
}

/// Member `i`'s working set: at most [`WORKING_SET`] of the entries it covers, evenly spread.
pub(crate) fn working_set(i: usize, entries: usize) -> Vec<String> {
    let covered = covered(i, entries);
    if covered.len() <= WORKING_SET {
        return covered;
    }
    (0..WORKING_SET).map(|k| covered[k * covered.len() / WORKING_SET].clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_member_covers_its_own_category_and_together_they_cover_whole_categories() {
        let entries = 100;
        let mut seen = std::collections::HashSet::new();
        for i in 0..MEMBERS {
            let covered = covered(i, entries);
            assert!(!covered.is_empty());
            for name in &covered {
                let n: usize = name.trim_start_matches("platform-").parse().expect("a bench platform name");
                assert_eq!(category(n), member_category(i));
                assert!(seen.insert(name.clone()), "{name} is covered by two members");
            }
        }
        let expected = (0..entries).filter(|e| (0..MEMBERS).any(|i| category(*e) == member_category(i))).count();
        assert_eq!(seen.len(), expected);
    }

    #[test]
    fn a_working_set_has_the_same_size_at_every_scale_and_spans_the_vault() {
        let small = working_set(0, 1000);
        let large = working_set(0, 100_000);
        assert_eq!(small.len(), WORKING_SET.min(covered(0, 1000).len()));
        assert_eq!(large.len(), WORKING_SET);
        let covered = covered(0, 100_000);
        assert!(large.iter().all(|name| covered.contains(name)));
        let last: usize = large[WORKING_SET - 1].trim_start_matches("platform-").parse().expect("a bench name");
        assert!(last > 90_000, "the working set reaches the end of the vault, not just its start");
        let distinct: std::collections::HashSet<_> = large.iter().collect();
        assert_eq!(distinct.len(), WORKING_SET);
    }

    #[tokio::test]
    async fn fresh_codes_never_reuse_a_step_and_match_the_seed() {
        let seed = TotpSeed::generate().expect("random");
        let mut account =
            Account { name: "x".into(), passphrase: SecretString::from("p".to_owned()), seed, last_step: 0 };
        let first = account.fresh_code().await;
        let first_step = account.last_step;
        let second = account.fresh_code().await;
        assert_eq!(account.last_step, first_step + 1, "the next step is within the daemon's allowed skew");
        let at = |step: u64| account.seed.code_at(i64::try_from(step).expect("small") * STEP_SECONDS);
        assert_eq!(first, at(first_step));
        assert_eq!(second, at(first_step + 1));
    }
}
