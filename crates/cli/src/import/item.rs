//! What every format's parser produces: one [`Item`] per record of the source file, its secrets in wiping buffers.
//!
//! An item is what the file said, cleaned only of surrounding blanks; turning it into an entry the vault accepts
//! (a valid, unique platform name, a category, the engine's limits) is [`super::mapping`]'s job, and deciding what
//! to do with it is [`super::plan`]'s.

use zeroize::Zeroizing;

use super::note::{Note, Origin};

/// Text that is secret (a password, notes, a TOTP seed or URI): wiped when dropped, no `Debug`, read through
/// `expose_secret`.
#[derive(Clone, Default)]
pub(crate) struct SecretText(Zeroizing<String>);

impl SecretText {
    /// Takes a string that came out of a parser; its buffer is now wiped on drop.
    pub(crate) fn new(text: String) -> Self {
        SecretText(Zeroizing::new(text))
    }

    pub(crate) fn expose_secret(&self) -> &str {
        &self.0
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}

impl PartialEq for SecretText {
    /// Constant time in the contents (the lengths are not hidden; the vault's limits make them public anyway).
    fn eq(&self, other: &Self) -> bool {
        use subtle::ConstantTimeEq;
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

/// One record of the source file.
#[derive(Default)]
pub(crate) struct Item {
    /// Where it is in the source, for messages: "line 12", "item 3", "Social/Facebook".
    pub(crate) origin: Origin,
    /// The name the source gives it (becomes the platform name).
    pub(crate) name: String,
    pub(crate) url: String,
    pub(crate) login: String,
    pub(crate) password: SecretText,
    pub(crate) notes: SecretText,
    /// An otpauth URI or bare base32, as the source has it.
    pub(crate) totp: SecretText,
    /// The folder, collection or group path it was in, outermost first (mapped to a category and kept as tags).
    pub(crate) folders: Vec<String>,
    pub(crate) tags: Vec<String>,
    /// Older passwords, oldest first (the current one is `password`).
    pub(crate) history: Vec<SecretText>,
    /// Set when the item is not something coffre imports (a card, an identity, a secure note...), with why.
    pub(crate) unsupported: Option<Note>,
}

impl Item {
    /// An item that is skipped whatever its contents, with the reason.
    pub(crate) fn unsupported(origin: Origin, name: String, why: Note) -> Self {
        Item { origin, name, unsupported: Some(why), ..Item::default() }
    }
}

/// Trims a value from a file: spaces at either end are never meaningful in a name, a login or a URL.
pub(crate) fn clean(text: &str) -> String {
    text.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_texts_compare_by_content() {
        assert!(SecretText::new("pâté".into()) == SecretText::new("pâté".into()));
        assert!(SecretText::new("a".into()) != SecretText::new("b".into()));
        assert!(SecretText::new("a".into()) != SecretText::new("ab".into()));
    }
}
