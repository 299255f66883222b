//! Property tests of the typed-by-people inputs: enrolment codes, lookup names, and redacted `Debug` output.

use coffre_crypto::{
    index::{IndexDomain, lookup_id},
    keys::{MasterKey, Purpose, SubKey},
    secret::{Passphrase, SecretBytes, SecretString},
    token,
};
use proptest::prelude::*;

fn index_key(seed: [u8; 32]) -> SubKey {
    let mut bytes = seed;
    MasterKey::from_bytes(&mut bytes).subkey(Purpose::Index)
}

/// Re-types a code the way a person might: random case, and random '-', spaces and tabs between characters.
fn retyped(code: &str, noise: &[(bool, u8)]) -> String {
    let mut out = String::new();
    for (c, (lower, sep)) in code.chars().filter(|c| *c != '-').zip(noise.iter().cycle()) {
        out.push(if *lower { c.to_ascii_lowercase() } else { c });
        match sep % 5 {
            0 => out.push('-'),
            1 => out.push(' '),
            2 => out.push_str("\t "),
            _ => {}
        }
    }
    out
}

proptest! {
    #[test]
    fn a_retyped_enrolment_code_has_the_same_hash(noise in prop::collection::vec(any::<(bool, u8)>(), 1..24)) {
        let (code, hash) = token::new_enrolment_code()?;
        prop_assert_eq!(token::hash_enrolment_code(&retyped(code.expose_secret(), &noise)), hash);
    }

    #[test]
    fn a_different_enrolment_code_has_another_hash(code in "[A-Z2-7]{20}", other in "[A-Z2-7]{20}") {
        prop_assume!(code != other);
        prop_assert_ne!(token::hash_enrolment_code(&code), token::hash_enrolment_code(&other));
    }

    #[test]
    fn lookup_ignores_ascii_case_and_surrounding_space(
        seed in any::<[u8; 32]>(), name in "[a-zA-Z0-9 ._-]{1,40}", pad in "[ \t\n]{0,3}",
    ) {
        let key = index_key(seed);
        for domain in [IndexDomain::Platform, IndexDomain::Person] {
            let id = lookup_id(&key, domain, &name);
            prop_assert_eq!(lookup_id(&key, domain, &format!("{pad}{}{pad}", name.to_uppercase())), id);
            prop_assert_eq!(lookup_id(&key, domain, &name.to_lowercase()), id);
        }
    }

    #[test]
    fn lookup_separates_domains_names_and_keys(
        seed in any::<[u8; 32]>(), other_seed in any::<[u8; 32]>(), name in "\\PC{1,30}", other in "\\PC{1,30}",
    ) {
        let key = index_key(seed);
        let id = lookup_id(&key, IndexDomain::Platform, &name);
        prop_assert_ne!(lookup_id(&key, IndexDomain::Person, &name), id);
        if name.trim().to_lowercase() != other.trim().to_lowercase() {
            prop_assert_ne!(lookup_id(&key, IndexDomain::Platform, &other), id);
        }
        if seed != other_seed {
            prop_assert_ne!(lookup_id(&index_key(other_seed), IndexDomain::Platform, &name), id);
        }
    }

    #[test]
    fn debug_output_is_fixed_whatever_the_secret(secret in prop::collection::vec(any::<u8>(), 12..64), text in ".{0,40}") {
        // Comparing with the exact redacted text is stronger than "does not contain the secret" (and does not
        // trip over a secret such as "red", which "redacted" contains).
        let passphrase = Passphrase::new(secret.clone())?;
        prop_assert_eq!(format!("{passphrase:?}"), "Passphrase(<redacted>)");
        prop_assert_eq!(format!("{:?}", SecretBytes::new(secret.clone())), format!("SecretBytes(<{} bytes redacted>)", secret.len()));
        prop_assert_eq!(format!("{:?}", SecretString::new(text)), "SecretString(<redacted>)");
        let mut key = [0u8; 32];
        key.copy_from_slice(&secret[..12].repeat(3)[..32]);
        let master = MasterKey::from_bytes(&mut key);
        prop_assert_eq!(format!("{master:?} {:?}", master.subkey(Purpose::Entries)), "MasterKey(<redacted>) SubKey(<redacted>)");
    }
}
