//! Names and passphrases typed on another keyboard or OS: "Élise" with one precomposed letter (NFC) or with "E"
//! and a combining accent (NFD) is the same name and the same passphrase, for login, unseal (a key slot) and the
//! names of entries.

mod support;

use coffre_vault::{InitParams, Role, Vault};
use support::*;

/// "Élise à l'école 2026", precomposed (NFC), as most keyboards type it.
const NFC_PASS: &str = "\u{c9}lise \u{e0} l'\u{e9}cole 2026";
/// The same text decomposed (NFD), as another input method may send it.
const NFD_PASS: &str = "E\u{301}lise a\u{300} l'e\u{301}cole 2026";
const NFC_NAME: &str = "\u{c9}lise Lef\u{e8}vre";
const NFD_NAME: &str = "E\u{301}lise Lefe\u{300}vre";

async fn init_elise(fx: &Fixture) -> Vault {
    let vault = fx.open();
    let params = InitParams {
        president: NFC_NAME.into(),
        passphrase: passphrase(NFC_PASS.as_bytes()),
        leader: None,
        kdf: Some(TEST_KDF),
    };
    let outcome = vault.init(&anonymous(), params).await.expect("init");
    fx.remember(NFC_NAME, outcome.president_totp_uri.expose_secret());
    vault
}

/// Logs in typing `typed` as the name; the second factor is the one enrolled under `name`.
async fn login_typed(fx: &Fixture, vault: &Vault, name: &str, typed: &str, pass: &str) -> coffre_vault::RequestContext {
    let code = fx.code(name);
    let login = vault.login(&anonymous(), typed, passphrase(pass.as_bytes()), &code).await.expect("login");
    session(login.token.expose_secret())
}

#[tokio::test]
async fn a_passphrase_and_a_name_set_in_nfc_are_accepted_typed_in_nfd() {
    assert_ne!(NFC_PASS.as_bytes(), NFD_PASS.as_bytes());
    let fx = Fixture::new();
    let vault = init_elise(&fx).await;

    // Login: the name and the passphrase typed decomposed.
    let elise = login_typed(&fx, &vault, NFC_NAME, NFD_NAME, NFD_PASS).await;
    assert_eq!(vault.whoami(&elise).expect("whoami").name, NFC_NAME);

    // A key slot: unseal with the passphrase typed decomposed.
    vault.seal(&elise).await.expect("seal");
    vault.unseal(&anonymous(), passphrase(NFD_PASS.as_bytes())).await.expect("unseal typed in NFD");

    // A person added in one form is the same person in the other, and enrols and logs in either way.
    let elise = login_typed(&fx, &vault, NFC_NAME, NFD_NAME, NFD_PASS).await;
    let enrolment = vault.add_person(&elise, "Zo\u{e9} Nadeau", Role::Member).await.expect("add");
    let again = vault.add_person(&elise, "Zoe\u{301} Nadeau", Role::Member).await.expect_err("the same name");
    assert_eq!(again.kind(), coffre_vault::ErrorKind::AlreadyExists);
    fx.enroll(&vault, enrolment.code.expose_secret(), NFD_PASS.as_bytes()).await;
    login_typed(&fx, &vault, "Zo\u{e9} Nadeau", "Zoe\u{301} Nadeau", NFC_PASS).await;

    // An entry's name too.
    vault.create_entry(&elise, entry("T\u{e9}l\u{e9}-Qu\u{e9}bec"), secrets(b"tq-password")).await.expect("entry");
    let found = vault.get_entry(&elise, "Te\u{301}le\u{301}-Que\u{301}bec").expect("found typed in NFD");
    assert_eq!(found.platform, "T\u{e9}l\u{e9}-Qu\u{e9}bec");
}
