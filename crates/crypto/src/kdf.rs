//! Argon2id (RFC 9106): bounded parameters, key slots that wrap the master key under a passphrase, and PHC
//! passphrase hashes for login.
//!
//! Every Argon2 call here is Argon2id, version 0x13 (RFC 9106 section 3.1), and every set of parameters is checked
//! against [`KdfParams`]' bounds before any memory is allocated: parameters read back from disk may have been
//! tampered with, and must not be able to make the daemon allocate 64 GiB or spin for an hour.

use argon2::{ARGON2ID_IDENT, Algorithm, Argon2, Params, PasswordHash, PasswordHasher, Version};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::{
    CryptoError,
    keys::{KEY_LEN, MasterKey, SubKey, VaultId},
    record::{self, RecordAad, RecordKind},
    rng,
    secret::Passphrase,
};

/// Argon2id cost parameters. Stored beside every slot and hash; bounded when read back, so a tampered header
/// cannot ask for 64 GiB.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl KdfParams {
    /// The defaults: m = 65536 KiB (64 MiB), t = 3, p = 1 (RFC 9106 section 4, second recommended option).
    pub const DEFAULT: Self = Self { memory_kib: 65_536, iterations: 3, parallelism: 1 };
    /// Smallest memory accepted (8 MiB).
    pub const MIN_MEMORY_KIB: u32 = 8_192;
    /// Largest memory accepted (4 GiB).
    pub const MAX_MEMORY_KIB: u32 = 4 * 1024 * 1024;
    /// Most passes accepted.
    pub const MAX_ITERATIONS: u32 = 64;
    /// Most lanes accepted.
    pub const MAX_PARALLELISM: u32 = 16;

    /// Refuses parameters outside the bounds above (iterations >= 1, parallelism >= 1).
    pub fn validate(&self) -> Result<(), CryptoError> {
        let check = |name: &str, value: u32, min: u32, max: u32| {
            if (min..=max).contains(&value) {
                Ok(())
            } else {
                Err(CryptoError::KdfParams(format!("{name} = {value} is outside {min}..={max}")))
            }
        };
        check("memory_kib", self.memory_kib, Self::MIN_MEMORY_KIB, Self::MAX_MEMORY_KIB)?;
        check("iterations", self.iterations, 1, Self::MAX_ITERATIONS)?;
        check("parallelism", self.parallelism, 1, Self::MAX_PARALLELISM)
    }

    /// The Argon2id context for these parameters, after [`Self::validate`]. `output_len` is the tag length.
    fn argon2(&self, output_len: usize) -> Result<Argon2<'static>, CryptoError> {
        self.validate()?;
        // Within our bounds argon2's own checks (m >= 8p, t >= 1, 1 <= p < 2^24) always pass; an error is still
        // reported rather than assumed away.
        let params = Params::new(self.memory_kib, self.iterations, self.parallelism, Some(output_len))
            .map_err(|e| CryptoError::KdfParams(e.to_string()))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

/// One owner's key slot: the master key wrapped (XChaCha20-Poly1305, AAD = vault id and slot id) under a key
/// derived from the owner's passphrase with Argon2id. Stored in the seal header; holds nothing in clear but salt,
/// parameters and nonce.
///
/// The wrapped key is a [`crate::record`] of kind [`RecordKind::KeySlot`], id = slot id, version 1. Salt and
/// parameters need no binding of their own: changing either changes the Argon2id output, so the slot no longer opens.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
pub struct KeySlot {
    /// Random slot id (16 bytes); not secret.
    pub id: [u8; 16],
    /// Random Argon2 salt.
    pub salt: [u8; 16],
    /// Argon2id parameters used for this slot.
    pub params: KdfParams,
    /// The sealed master key (format of [`crate::record`]).
    pub wrapped: Vec<u8>,
}

/// The version bound into a key slot's associated data. Rewrapping makes a new slot (new id and salt) instead.
const SLOT_VERSION: u64 = 1;

impl KeySlot {
    /// Wraps `master` under `passphrase` with fresh salt and slot id. Validates `params` first.
    pub fn wrap(
        master: &MasterKey,
        passphrase: &Passphrase,
        params: KdfParams,
        vault: &VaultId,
    ) -> Result<Self, CryptoError> {
        params.validate()?;
        let id = rng::array()?;
        let salt = rng::array()?;
        let wrapping_key = slot_key(passphrase, &salt, &params)?;
        let wrapped = record::seal(&wrapping_key, &slot_aad(vault, &id), master.expose_secret())?;
        Ok(Self { id, salt, params, wrapped })
    }

    /// Opens the slot. `WrongPassphrase` when the passphrase does not open it; `KdfParams` when the stored
    /// parameters are out of bounds (checked before any Argon2 work).
    ///
    /// A slot of another vault also fails with `WrongPassphrase` (its AAD differs), as does any altered byte;
    /// `Credential` when the wrapped key does not even have the shape of a sealed record.
    pub fn unwrap(&self, passphrase: &Passphrase, vault: &VaultId) -> Result<MasterKey, CryptoError> {
        // Both checks are cheap and come before Argon2, so a tampered or truncated slot costs nothing to refuse.
        self.params.validate()?;
        if self.wrapped.len() != record::OVERHEAD + KEY_LEN {
            return Err(CryptoError::Credential("key slot's wrapped key has the wrong length".into()));
        }
        record::check_shape(&self.wrapped)
            .map_err(|_| CryptoError::Credential("key slot's wrapped key is malformed".into()))?;

        // The normalised passphrase first; then the forms a slot wrapped before passphrases were normalised may
        // hold (none for ASCII), so that no owner is locked out. The owner's next login wraps the slot again
        // under the normalised form.
        let mut opened = self.open_with(passphrase, vault);
        for form in passphrase.legacy_forms() {
            if !matches!(opened, Err(CryptoError::WrongPassphrase)) {
                break;
            }
            opened = self.open_with(&form, vault);
        }
        let opened = opened?;
        // The length was checked above, so this only guards against a future change of the record format.
        if opened.expose_secret().len() != KEY_LEN {
            return Err(CryptoError::Credential("key slot holds a key of the wrong length".into()));
        }
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        bytes.copy_from_slice(opened.expose_secret());
        Ok(MasterKey::from_bytes(&mut bytes))
    }
}

impl KeySlot {
    /// One Argon2id run and one AEAD opening with exactly these bytes.
    fn open_with(&self, passphrase: &Passphrase, vault: &VaultId) -> Result<crate::secret::SecretBytes, CryptoError> {
        let wrapping_key = slot_key(passphrase, &self.salt, &self.params)?;
        record::open(&wrapping_key, &slot_aad(vault, &self.id), &self.wrapped).map_err(|e| match e {
            CryptoError::Open => CryptoError::WrongPassphrase,
            other => other,
        })
    }
}

/// The associated data of a slot's wrapped key: the vault and the slot id.
fn slot_aad<'a>(vault: &'a VaultId, id: &'a [u8; 16]) -> RecordAad<'a> {
    RecordAad { vault, kind: RecordKind::KeySlot, id, version: SLOT_VERSION }
}

/// Argon2id(passphrase, salt) as a 32-byte wrapping key, written straight into its zeroizing home.
fn slot_key(passphrase: &Passphrase, salt: &[u8; 16], params: &KdfParams) -> Result<SubKey, CryptoError> {
    let argon2 = params.argon2(KEY_LEN)?;
    SubKey::try_init(|key| {
        argon2.hash_password_into(passphrase.expose_secret(), salt, key).map_err(|e| CryptoError::Kdf(e.to_string()))
    })
}

/// Hashes a passphrase for login as an Argon2id PHC string (`$argon2id$v=19$m=...`). Validates `params` first.
pub fn hash_passphrase(passphrase: &Passphrase, params: KdfParams) -> Result<String, CryptoError> {
    let argon2 = params.argon2(HASH_LEN)?;
    let salt: [u8; SALT_LEN] = rng::array()?;
    let hash = argon2
        .hash_password_with_salt(passphrase.expose_secret(), &salt)
        .map_err(|e| CryptoError::Kdf(e.to_string()))?;
    Ok(hash.to_string())
}

/// Salt length of new passphrase hashes (RFC 9106 section 3.1 recommends 16 bytes).
const SALT_LEN: usize = 16;
/// Tag length of new passphrase hashes.
const HASH_LEN: usize = 32;

/// Checks `passphrase` against a PHC string from [`hash_passphrase`]. The stored parameters are bounded before any
/// work. Returns `WrongPassphrase` on mismatch. The comparison is constant-time (`subtle`).
///
/// The PHC string must be Argon2id, version 19, with exactly the parameters m, t and p: anything else is
/// `Credential`, so a tampered hash cannot downgrade to Argon2d/Argon2i or smuggle in other parameters. Parameters
/// out of bounds are `KdfParams`. The tag is recomputed here rather than by argon2's `PasswordVerifier`, which would
/// accept any algorithm named in the string and compute before this crate could bound the parameters.
pub fn verify_passphrase(passphrase: &Passphrase, phc: &str) -> Result<(), CryptoError> {
    let hash = PasswordHash::new(phc).map_err(|e| CryptoError::Credential(format!("passphrase hash: {e}")))?;
    if hash.algorithm != ARGON2ID_IDENT {
        return Err(CryptoError::Credential("passphrase hash is not argon2id".into()));
    }
    if hash.version != Some(Version::V0x13 as u32) {
        return Err(CryptoError::Credential("passphrase hash is not argon2 version 19".into()));
    }
    let params = phc_params(&hash)?;
    let (Some(salt), Some(expected)) = (&hash.salt, &hash.hash) else {
        return Err(CryptoError::Credential("passphrase hash lacks its salt or its tag".into()));
    };

    // Bounded (inside `argon2`) before any memory is allocated.
    let argon2 = params.argon2(expected.len())?;
    let mut computed = Zeroizing::new(vec![0u8; expected.len()]);
    argon2
        .hash_password_into(passphrase.expose_secret(), salt.as_ref(), &mut computed)
        .map_err(|e| CryptoError::Kdf(e.to_string()))?;
    if bool::from(computed.ct_eq(expected.as_bytes())) { Ok(()) } else { Err(CryptoError::WrongPassphrase) }
}

/// Which form of a passphrase matched its stored hash.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Verified {
    /// The normalised form (NFC): the hash is current.
    Current,
    /// A form an older hash may hold (the bytes as typed, or NFD): hash the passphrase again, so that the
    /// normalised form matches from now on.
    Legacy,
}

/// [`verify_passphrase`] with the normalised form, then with each of [`Passphrase::legacy_forms`] (none for ASCII),
/// so that a hash made before passphrases were normalised still opens and can be migrated. A wrong passphrase costs
/// one Argon2 run per form, as [`verify_dummy`] does for the same passphrase.
pub fn verify_passphrase_migrating(passphrase: &Passphrase, phc: &str) -> Result<Verified, CryptoError> {
    let mut outcome = verify_passphrase(passphrase, phc).map(|()| Verified::Current);
    for form in passphrase.legacy_forms() {
        if !matches!(outcome, Err(CryptoError::WrongPassphrase)) {
            break;
        }
        outcome = verify_passphrase(&form, phc).map(|()| Verified::Legacy);
    }
    outcome
}

/// Burns the same Argon2 work as a real verification and always fails with `WrongPassphrase`: used when the
/// account does not exist, so the answer's timing does not tell.
///
/// Parameters outside the bounds do no work at all (the daemon's configured parameters are validated at start, so
/// this only guards against a bug turning into a 64 GiB allocation).
pub fn verify_dummy(passphrase: &Passphrase, params: KdfParams) -> CryptoError {
    // A fixed salt is fine: the output is thrown away, only the cost matters.
    const DUMMY_SALT: [u8; SALT_LEN] = *b"coffre/dummy/v1!";
    if let Ok(argon2) = params.argon2(HASH_LEN) {
        // As many runs as `verify_passphrase_migrating` makes for a wrong passphrase: one per form.
        for form in std::iter::once(passphrase.expose_secret().to_vec())
            .chain(passphrase.legacy_forms().map(|form| form.expose_secret().to_vec()))
        {
            let form = Zeroizing::new(form);
            let mut computed = Zeroizing::new([0u8; HASH_LEN]);
            // The result does not matter, only the work: even an Argon2 failure ends in the same answer.
            let _ = argon2.hash_password_into(&form, &DUMMY_SALT, computed.as_mut_slice());
        }
    }
    CryptoError::WrongPassphrase
}

/// Reads m, t and p from a PHC string's parameters, refusing anything else, duplicates or missing ones.
fn phc_params(hash: &PasswordHash) -> Result<KdfParams, CryptoError> {
    let malformed = |what: &str| CryptoError::Credential(format!("passphrase hash parameters: {what}"));
    let (mut m, mut t, mut p) = (None, None, None);
    for (name, value) in hash.params.iter() {
        let slot = match name.as_str() {
            "m" => &mut m,
            "t" => &mut t,
            "p" => &mut p,
            _ => return Err(malformed("unexpected parameter")),
        };
        if slot.is_some() {
            return Err(malformed("repeated parameter"));
        }
        *slot = Some(value.decimal().map_err(|_| malformed("not a decimal number"))?);
    }
    match (m, t, p) {
        (Some(memory_kib), Some(iterations), Some(parallelism)) => {
            Ok(KdfParams { memory_kib, iterations, parallelism })
        }
        _ => Err(malformed("m, t and p are all required")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params_of(phc: &str) -> Result<KdfParams, CryptoError> {
        let hash = PasswordHash::new(phc).map_err(|e| CryptoError::Credential(e.to_string()))?;
        phc_params(&hash)
    }

    #[test]
    fn phc_params_reads_m_t_p_in_any_order() -> Result<(), CryptoError> {
        let expected = KdfParams { memory_kib: 8192, iterations: 2, parallelism: 3 };
        assert_eq!(params_of("$argon2id$v=19$m=8192,t=2,p=3$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo")?, expected);
        assert_eq!(params_of("$argon2id$v=19$p=3,m=8192,t=2$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo")?, expected);
        Ok(())
    }

    #[test]
    fn phc_params_does_not_bound_but_reads_huge_values() -> Result<(), CryptoError> {
        // Reading must not refuse large values itself: `verify_passphrase` refuses them as `KdfParams`, which is what
        // a tampered hash deserves (distinct from a merely unparsable one).
        let params = params_of("$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo")?;
        assert_eq!(params.memory_kib, u32::MAX);
        assert!(matches!(params.validate(), Err(CryptoError::KdfParams(_))));
        Ok(())
    }

    const LOW: KdfParams = KdfParams { memory_kib: KdfParams::MIN_MEMORY_KIB, iterations: 1, parallelism: 1 };

    #[test]
    fn a_hash_and_a_slot_made_before_normalisation_open_with_the_normalised_passphrase() -> Result<(), CryptoError> {
        let typed_nfd = "E\u{301}lise a\u{300} l'e\u{301}cole 2026".as_bytes().to_vec();
        // What an older version stored: the bytes as typed, here NFD.
        let legacy = Passphrase::new(typed_nfd)?.legacy_forms().next().ok_or(CryptoError::WrongPassphrase)?;
        let typed_nfc = Passphrase::new("\u{c9}lise \u{e0} l'\u{e9}cole 2026".as_bytes().to_vec())?;
        let old_hash = hash_passphrase(&legacy, LOW)?;
        assert!(matches!(verify_passphrase(&typed_nfc, &old_hash), Err(CryptoError::WrongPassphrase)));
        assert_eq!(verify_passphrase_migrating(&typed_nfc, &old_hash)?, Verified::Legacy);
        let new_hash = hash_passphrase(&typed_nfc, LOW)?;
        assert_eq!(verify_passphrase_migrating(&typed_nfc, &new_hash)?, Verified::Current);
        let wrong = Passphrase::new("\u{c9}lise \u{e0} l'\u{e9}cole 2027".as_bytes().to_vec())?;
        assert!(matches!(verify_passphrase_migrating(&wrong, &old_hash), Err(CryptoError::WrongPassphrase)));

        let vault = VaultId::generate()?;
        let master = MasterKey::generate()?;
        let old_slot = KeySlot::wrap(&master, &legacy, LOW, &vault)?;
        let opened = old_slot.unwrap(&typed_nfc, &vault)?;
        assert_eq!(opened.expose_secret(), master.expose_secret());
        assert!(matches!(old_slot.unwrap(&wrong, &vault), Err(CryptoError::WrongPassphrase)));
        Ok(())
    }

    #[test]
    fn kdf_params_error_names_the_field() {
        let error = KdfParams { parallelism: 99, ..KdfParams::DEFAULT }.validate();
        assert!(matches!(&error, Err(CryptoError::KdfParams(m)) if m.contains("parallelism = 99")), "{error:?}");
    }
}
