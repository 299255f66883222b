//! Keyed lookup ids: HMAC-SHA256 under the index subkey over a domain tag and a normalised name, so that storage
//! keys reveal equality at most, never the name.

use zeroize::Zeroizing;

use crate::{keys::SubKey, mac};

/// What is being indexed; part of the MAC input so that a person and a platform of the same name differ.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum IndexDomain {
    /// Entry platform names.
    Platform,
    /// People's names.
    Person,
    /// The holder of grants (a person's id in hex), to find a person's grants.
    GrantHolder,
    /// The person of reveal marks (a person's id in hex), to find what a person revealed.
    RevealHolder,
    /// One (person, entry) pair of reveal marks (both ids in hex), so each pair is marked once.
    RevealPair,
    /// The requester of approvals (a person's id in hex), to find a person's requests.
    ApprovalHolder,
    /// The person of stored sessions (a person's id in hex), to find a person's sessions.
    SessionHolder,
    /// One stored session (its token's hash in hex), so its key names neither the person nor the hash.
    SessionToken,
}

impl IndexDomain {
    /// The domain tag byte. Part of every stored lookup id: never reuse or renumber one.
    fn tag(self) -> u8 {
        match self {
            IndexDomain::Platform => 1,
            IndexDomain::Person => 2,
            IndexDomain::GrantHolder => 3,
            IndexDomain::RevealHolder => 4,
            IndexDomain::RevealPair => 5,
            IndexDomain::ApprovalHolder => 6,
            IndexDomain::SessionHolder => 7,
            IndexDomain::SessionToken => 8,
        }
    }
}

/// The 32-byte lookup id of `name` in `domain`. Names are normalised first ([`normalise_name`]): surrounding white
/// space trimmed, NFKC, lower case (so "Facebook", " facebook" and "Ｆacebook" are the same entry, and "Élise"
/// typed with a combining accent is the same person as "Élise" typed with one key).
///
/// The MAC input is `tag (1 byte) || normalised name (UTF-8)`. The tag has a fixed length, so no two
/// (domain, name) pairs share an input. Names are secret too (they are not in storage in clear), so the
/// normalised copy is wiped after use.
pub fn lookup_id(key: &SubKey, domain: IndexDomain, name: &str) -> [u8; 32] {
    mac_of(key, domain, &normalise_name(name))
}

/// The lookup id an older version computed: trimmed and lower-cased, without Unicode normalisation. Only to find,
/// and move to [`lookup_id`], an index written before names were normalised; equal to [`lookup_id`] for any name
/// that NFKC leaves as it is (every ASCII name, and any name typed in NFC without compatibility characters).
pub fn legacy_lookup_id(key: &SubKey, domain: IndexDomain, name: &str) -> [u8; 32] {
    mac_of(key, domain, &Zeroizing::new(name.trim().to_lowercase()))
}

/// The form of a name that lookups compare: trimmed, NFKC, lower case, NFKC again (lower-casing can leave a
/// string that is not in NFKC).
///
/// NFKC rather than NFC because names are identifiers people type again from memory on any keyboard: full-width
/// letters of an East Asian input method, ligatures ("ﬁ") and other compatibility characters are the same name to a
/// person, and treating them as one also keeps two entries from differing only by a look-alike (UAX #31 section 5,
/// and the identifier profiles of RFC 8264 map width likewise). The name shown stays as it was typed.
pub fn normalise_name(name: &str) -> Zeroizing<String> {
    use unicode_normalization::UnicodeNormalization;
    let compatible = Zeroizing::new(name.trim().nfkc().collect::<String>());
    let lower = Zeroizing::new(compatible.to_lowercase());
    Zeroizing::new(lower.nfkc().collect::<String>())
}

/// Whether `c` is a bidirectional embedding, override or isolate (U+202A to U+202E, U+2066 to U+2069): text holding
/// one shows its letters in another order than it is stored ("Trojan Source"). The vault refuses them in names and
/// text; the clients show them replaced, for values stored before it did. One predicate for all three.
pub fn reorders_text(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn mac_of(key: &SubKey, domain: IndexDomain, normalised: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    mac::hmac_sha256(key.expose_secret(), &[&[domain.tag()], normalised.as_bytes()], &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{MasterKey, Purpose};

    fn key(seed: u8) -> SubKey {
        MasterKey::from_bytes(&mut [seed; 32]).subkey(Purpose::Index)
    }

    #[test]
    fn case_and_surrounding_space_do_not_matter() {
        let k = key(1);
        let id = lookup_id(&k, IndexDomain::Platform, "Facebook");
        for same in ["facebook", " FACEBOOK ", "\tFaceBook\n", "facebook\u{a0}"] {
            assert_eq!(lookup_id(&k, IndexDomain::Platform, same), id, "{same:?}");
        }
        assert_eq!(lookup_id(&k, IndexDomain::Person, "ÉLODIE"), lookup_id(&k, IndexDomain::Person, "élodie"));
    }

    #[test]
    fn a_name_typed_decomposed_or_full_width_is_the_same_name() {
        let k = key(1);
        let composed = "\u{c9}lise \u{e0} l'\u{e9}cole";
        let id = lookup_id(&k, IndexDomain::Person, composed);
        assert_eq!(lookup_id(&k, IndexDomain::Person, "E\u{301}lise a\u{300} l'e\u{301}cole"), id, "NFD");
        assert_eq!(lookup_id(&k, IndexDomain::Person, "\u{c9}LISE \u{c0} L'\u{c9}COLE"), id, "upper case");
        assert_eq!(
            lookup_id(&k, IndexDomain::Platform, "\u{ff26}acebook"),
            lookup_id(&k, IndexDomain::Platform, "facebook")
        );
        // The older id is the new one for names that normalisation leaves alone, so most indexes need no move.
        assert_eq!(legacy_lookup_id(&k, IndexDomain::Person, composed), id);
        assert_ne!(
            legacy_lookup_id(&k, IndexDomain::Person, "E\u{301}lise"),
            lookup_id(&k, IndexDomain::Person, "E\u{301}lise")
        );
    }

    #[test]
    fn different_names_domains_and_keys_differ() {
        let k = key(1);
        let id = lookup_id(&k, IndexDomain::Platform, "facebook");
        assert_ne!(lookup_id(&k, IndexDomain::Platform, "face book"), id);
        assert_ne!(lookup_id(&k, IndexDomain::Platform, "facebook2"), id);
        assert_ne!(lookup_id(&k, IndexDomain::Person, "facebook"), id);
        assert_ne!(lookup_id(&key(2), IndexDomain::Platform, "facebook"), id);
    }

    #[test]
    fn is_hmac_sha256_of_tag_and_name() {
        use hmac::{Hmac, KeyInit, Mac};
        let k = key(3);
        let mut reference =
            <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(k.expose_secret()).expect("HMAC takes any key length");
        reference.update(b"\x02alice");
        assert_eq!(
            lookup_id(&k, IndexDomain::Person, " Alice ").as_slice(),
            reference.finalize().as_bytes().as_slice()
        );
    }
}
