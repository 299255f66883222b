//! The password generator: characters from chosen classes, or a passphrase of words from the EFF Long Wordlist.
//!
//! Every choice is uniform: an index below `n` is drawn by rejection sampling over 32-bit values from the OS random
//! source (a value in the incomplete last block of `n` is drawn again), so there is no modulo bias. A password must
//! hold at least one character of each chosen class; a candidate that lacks one is thrown away whole and drawn
//! again, which keeps the result uniform over the passwords the policy allows (drawing the "missing" characters
//! afterwards, as some generators do, would not). The entropy reported is exactly that of this distribution:
//! log2 of the number of passwords the policy allows, counted by inclusion-exclusion.
//!
//! ```
//! use coffre_crypto::generator::{Policy, generate};
//!
//! let generated = generate(&Policy::default()).unwrap();
//! assert_eq!(generated.password.expose_secret().len(), 24);
//! assert!(generated.entropy_bits > 150.0);
//! ```

use zeroize::Zeroizing;

use crate::{CryptoError, rng, secret::SecretString};

/// Length of a password when none is asked for.
pub const DEFAULT_LENGTH: usize = 24;
/// Shortest password the generator makes (12 lower-case letters are still 56 bits).
pub const MIN_LENGTH: usize = 12;
/// Longest password the generator makes.
pub const MAX_LENGTH: usize = 256;
/// Words in a passphrase when none is asked for (6 words: 77.5 bits).
pub const DEFAULT_WORDS: usize = 6;
/// Fewest words in a passphrase (5 words: 64.6 bits).
pub const MIN_WORDS: usize = 5;
/// Most words in a passphrase.
pub const MAX_WORDS: usize = 20;
/// Separator between words when none is asked for.
pub const DEFAULT_SEPARATOR: &str = "-";
/// Longest separator, in characters.
pub const MAX_SEPARATOR_CHARS: usize = 3;

const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS: &str = "0123456789";
/// ASCII punctuation without the quotes, the backslash and the backtick, which platforms' forms and shells most
/// often mangle.
pub const SYMBOLS: &str = "!#$%&()*+,-./:;<=>?@[]^_{|}~";

/// The EFF Long Wordlist: 7,776 words, CC BY 3.0 US (see words/NOTICE.md).
const EFF_LARGE: &str = include_str!("words/eff_large_wordlist.txt");
/// Number of words in [`EFF_LARGE`] (6^5).
pub const WORDLIST_LEN: usize = 7_776;

/// Which character classes a password draws from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Classes {
    /// a-z.
    pub lower: bool,
    /// A-Z.
    pub upper: bool,
    /// 0-9.
    pub digits: bool,
    /// [`SYMBOLS`].
    pub symbols: bool,
}

impl Classes {
    /// Every class.
    pub const ALL: Classes = Classes { lower: true, upper: true, digits: true, symbols: true };

    fn chosen(self) -> Vec<&'static str> {
        [(self.lower, LOWER), (self.upper, UPPER), (self.digits, DIGITS), (self.symbols, SYMBOLS)]
            .into_iter()
            .filter_map(|(on, set)| on.then_some(set))
            .collect()
    }
}

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Policy {
    /// `length` characters from the chosen classes, at least one of each.
    Characters {
        /// 12..=256.
        length: usize,
        /// At least one class.
        classes: Classes,
    },
    /// `count` words of the EFF Long Wordlist joined by `separator`.
    Words {
        /// 5..=20.
        count: usize,
        /// 1..=3 characters, no letter and no control character (so that words stay apart).
        separator: String,
    },
}

/// Why a generator policy is refused. `Display` is the English text; [`PolicyError::code`] and
/// [`PolicyError::arguments`] let a client show it in its reader's language (`policy-<...>` in coffre-i18n's
/// catalogue).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// A password length out of bounds.
    #[error("a generated password is {min} to {max} characters long, not {length}")]
    Length {
        /// Fewest characters.
        min: usize,
        /// Most characters.
        max: usize,
        /// The length asked for.
        length: usize,
    },
    /// No character class chosen.
    #[error("choose at least one character class (lower, upper, digits, symbols)")]
    NoClass,
    /// More classes than characters: one of each cannot fit.
    #[error("more character classes than characters")]
    MoreClassesThanCharacters,
    /// A word count out of bounds.
    #[error("a generated passphrase has {min} to {max} words, not {count}")]
    Words {
        /// Fewest words.
        min: usize,
        /// Most words.
        max: usize,
        /// The count asked for.
        count: usize,
    },
    /// A separator empty or too long.
    #[error("the separator is 1 to {max} characters long")]
    SeparatorLength {
        /// Most characters.
        max: usize,
    },
    /// A separator with a letter or a control character.
    #[error("the separator may not hold a letter or a control character")]
    SeparatorCharacters,
    /// An alphabet the uniform draw cannot use (never for a checked policy).
    #[error("alphabet size out of range")]
    Alphabet,
}

impl PolicyError {
    /// The stable code, kebab-case, starting with `policy-`.
    pub fn code(&self) -> &'static str {
        match self {
            PolicyError::Length { .. } => "policy-length",
            PolicyError::NoClass => "policy-no-class",
            PolicyError::MoreClassesThanCharacters => "policy-more-classes-than-characters",
            PolicyError::Words { .. } => "policy-words",
            PolicyError::SeparatorLength { .. } => "policy-separator-length",
            PolicyError::SeparatorCharacters => "policy-separator-characters",
            PolicyError::Alphabet => "policy-alphabet",
        }
    }

    /// The values the text shows, by name.
    pub fn arguments(&self) -> Vec<(&'static str, String)> {
        match self {
            PolicyError::Length { min, max, length } => {
                vec![("min", min.to_string()), ("max", max.to_string()), ("length", length.to_string())]
            }
            PolicyError::Words { min, max, count } => {
                vec![("min", min.to_string()), ("max", max.to_string()), ("count", count.to_string())]
            }
            PolicyError::SeparatorLength { max } => vec![("max", max.to_string())],
            PolicyError::NoClass
            | PolicyError::MoreClassesThanCharacters
            | PolicyError::SeparatorCharacters
            | PolicyError::Alphabet => Vec::new(),
        }
    }

    /// One of each, with distinct numbers: for the tests that check every code renders in every language.
    pub fn examples() -> Vec<PolicyError> {
        vec![
            PolicyError::Length { min: 12, max: 256, length: 8 },
            PolicyError::NoClass,
            PolicyError::MoreClassesThanCharacters,
            PolicyError::Words { min: 5, max: 20, count: 3 },
            PolicyError::SeparatorLength { max: 4 },
            PolicyError::SeparatorCharacters,
            PolicyError::Alphabet,
        ]
    }
}

impl Default for Policy {
    /// 24 characters of every class: about 155 bits.
    fn default() -> Self {
        Policy::Characters { length: DEFAULT_LENGTH, classes: Classes::ALL }
    }
}

impl Policy {
    /// A passphrase of the default 6 words joined by '-'.
    pub fn default_words() -> Self {
        Policy::Words { count: DEFAULT_WORDS, separator: DEFAULT_SEPARATOR.to_owned() }
    }

    /// Checks the bounds; the error says what is allowed.
    pub fn check(&self) -> Result<(), CryptoError> {
        let refuse = |problem: PolicyError| Err(CryptoError::Policy(problem));
        match self {
            Policy::Characters { length, classes } => {
                if !(MIN_LENGTH..=MAX_LENGTH).contains(length) {
                    return refuse(PolicyError::Length { min: MIN_LENGTH, max: MAX_LENGTH, length: *length });
                }
                let chosen = classes.chosen();
                if chosen.is_empty() {
                    return refuse(PolicyError::NoClass);
                }
                if chosen.len() > *length {
                    return refuse(PolicyError::MoreClassesThanCharacters);
                }
                Ok(())
            }
            Policy::Words { count, separator } => {
                if !(MIN_WORDS..=MAX_WORDS).contains(count) {
                    return refuse(PolicyError::Words { min: MIN_WORDS, max: MAX_WORDS, count: *count });
                }
                let chars = separator.chars().count();
                if chars == 0 || chars > MAX_SEPARATOR_CHARS {
                    return refuse(PolicyError::SeparatorLength { max: MAX_SEPARATOR_CHARS });
                }
                if separator.chars().any(|c| c.is_alphabetic() || c.is_control()) {
                    return refuse(PolicyError::SeparatorCharacters);
                }
                Ok(())
            }
        }
    }

    /// The entropy of a password drawn under this policy, in bits: log2 of the number of passwords it allows.
    pub fn entropy_bits(&self) -> f64 {
        match self {
            Policy::Words { count, .. } => *count as f64 * (WORDLIST_LEN as f64).log2(),
            Policy::Characters { length, classes } => {
                let sets = classes.chosen();
                let sizes: Vec<usize> = sets.iter().map(|s| s.len()).collect();
                let n: usize = sizes.iter().sum();
                if n == 0 {
                    return 0.0;
                }
                // Inclusion-exclusion over the subsets S of classes left out: the share of the n^L strings that
                // hold every class is sum over S of (-1)^|S| ((n - |S's characters|) / n)^L. Computed as a share,
                // so that n^L (up to 10^505) never has to be represented.
                let mut share = 0.0;
                for mask in 0u32..(1 << sizes.len()) {
                    let left_out: usize =
                        sizes.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, s)| s).sum();
                    let sign = if mask.count_ones() % 2 == 0 { 1.0 } else { -1.0 };
                    share += sign * ((n - left_out) as f64 / n as f64).powi(i32::try_from(*length).unwrap_or(i32::MAX));
                }
                *length as f64 * (n as f64).log2() + share.log2()
            }
        }
    }
}

/// A generated password and its entropy.
pub struct Generated {
    /// The password (wiped on drop).
    pub password: SecretString,
    /// Bits of entropy of the policy it was drawn under.
    pub entropy_bits: f64,
}

impl std::fmt::Debug for Generated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Generated").field("password", &"<redacted>").field("entropy_bits", &self.entropy_bits).finish()
    }
}

/// Draws a password under `policy` from the OS random source.
pub fn generate(policy: &Policy) -> Result<Generated, CryptoError> {
    policy.check()?;
    let password = match policy {
        Policy::Characters { length, classes } => characters(*length, &classes.chosen())?,
        Policy::Words { count, separator } => words(*count, separator)?,
    };
    Ok(Generated { password, entropy_bits: policy.entropy_bits() })
}

fn characters(length: usize, sets: &[&str]) -> Result<SecretString, CryptoError> {
    let alphabet: Vec<u8> = sets.iter().flat_map(|s| s.bytes()).collect();
    loop {
        // Every character is ASCII, so `length` bytes of capacity never reallocate (no copy left behind).
        let mut candidate = Zeroizing::new(String::with_capacity(length));
        for _ in 0..length {
            candidate.push(char::from(alphabet[uniform_below(alphabet.len())?]));
        }
        if sets.iter().all(|set| candidate.chars().any(|c| set.contains(c))) {
            return Ok(SecretString::new(std::mem::take(&mut *candidate)));
        }
        // A class is missing: the whole candidate is drawn again (it is wiped as it drops).
    }
}

fn words(count: usize, separator: &str) -> Result<SecretString, CryptoError> {
    let list: Vec<&str> = wordlist();
    let longest = list.iter().map(|w| w.len()).max().unwrap_or(0);
    let mut phrase = Zeroizing::new(String::with_capacity(count * (longest + separator.len())));
    for i in 0..count {
        if i > 0 {
            phrase.push_str(separator);
        }
        phrase.push_str(list[uniform_below(list.len())?]);
    }
    Ok(SecretString::new(std::mem::take(&mut *phrase)))
}

/// The EFF Long Wordlist, one word per element.
pub fn wordlist() -> Vec<&'static str> {
    EFF_LARGE.lines().map(str::trim).filter(|w| !w.is_empty()).collect()
}

/// A uniform index below `n` (1 <= n <= 2^32): 32-bit values from the OS random source, those in the last,
/// incomplete block of `n` values drawn again.
fn uniform_below(n: usize) -> Result<usize, CryptoError> {
    let n = u64::try_from(n).map_err(|_| CryptoError::Policy(PolicyError::Alphabet))?;
    if n == 0 || n > 1 << 32 {
        return Err(CryptoError::Policy(PolicyError::Alphabet));
    }
    let zone = (1u64 << 32) / n * n;
    loop {
        let value = u64::from(u32::from_le_bytes(rng::array::<4>()?));
        if value < zone {
            return usize::try_from(value % n).map_err(|_| CryptoError::Policy(PolicyError::Alphabet));
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn the_wordlist_is_the_eff_long_list() {
        let list = wordlist();
        assert_eq!(list.len(), WORDLIST_LEN);
        assert_eq!((list[0], list[WORDLIST_LEN - 1]), ("abacus", "zoom"));
        let mut unique = list.clone();
        unique.dedup();
        assert_eq!(unique.len(), WORDLIST_LEN, "sorted and without repeats");
        assert!(list.windows(2).all(|w| w[0] < w[1]));
        assert!(list.iter().all(|w| w.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')));
    }

    #[test]
    fn defaults_are_strong() {
        assert_eq!(Policy::default(), Policy::Characters { length: 24, classes: Classes::ALL });
        // 24 characters over 90 symbols, at least one of each class: just under 24 * log2(90) = 155.8 bits.
        let bits = Policy::default().entropy_bits();
        assert!((155.0..155.8).contains(&bits), "{bits}");
        let words = Policy::default_words().entropy_bits();
        assert!((77.5..77.6).contains(&words), "{words}");
    }

    #[test]
    fn entropy_counts_exactly_the_passwords_allowed() {
        // 12 digits only: 10^12 passwords.
        let digits = Policy::Characters {
            length: 12,
            classes: Classes { lower: false, upper: false, digits: true, symbols: false },
        };
        assert!((digits.entropy_bits() - 12.0 * 10f64.log2()).abs() < 1e-9);
        // Lower and digits, 12 long: 36^12 - 26^12 - 10^12 passwords hold both.
        let two = Policy::Characters {
            length: 12,
            classes: Classes { lower: true, upper: false, digits: true, symbols: false },
        };
        let count = 36f64.powi(12) - 26f64.powi(12) - 10f64.powi(12);
        assert!((two.entropy_bits() - count.log2()).abs() < 1e-6);
    }

    #[test]
    fn bad_policies_say_what_is_allowed() {
        let short = Policy::Characters { length: 8, classes: Classes::ALL };
        assert_eq!(
            short.check().err().map(|e| e.to_string()).as_deref(),
            Some("password policy: a generated password is 12 to 256 characters long, not 8")
        );
        let none = Policy::Characters {
            length: 20,
            classes: Classes { lower: false, upper: false, digits: false, symbols: false },
        };
        assert!(generate(&none).is_err());
        assert!(generate(&Policy::Words { count: 4, separator: "-".into() }).is_err());
        assert!(generate(&Policy::Words { count: 6, separator: String::new() }).is_err());
        assert!(generate(&Policy::Words { count: 6, separator: "a".into() }).is_err());
        assert!(generate(&Policy::Words { count: 6, separator: "\n".into() }).is_err());
    }

    #[test]
    fn uniform_below_covers_every_index() {
        let mut seen = [false; 7];
        for _ in 0..500 {
            seen[uniform_below(7).expect("random")] = true;
        }
        assert!(seen.iter().all(|s| *s));
        assert!(uniform_below(0).is_err());
        assert_eq!(uniform_below(1).expect("random"), 0);
    }

    #[test]
    fn two_passwords_differ() {
        let a = generate(&Policy::default()).expect("random");
        let b = generate(&Policy::default()).expect("random");
        assert_ne!(a.password.expose_secret(), b.password.expose_secret());
        assert!(!format!("{a:?}").contains(a.password.expose_secret()));
    }

    fn classes() -> impl Strategy<Value = Classes> {
        (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>())
            .prop_map(|(lower, upper, digits, symbols)| Classes { lower, upper, digits, symbols })
            .prop_filter("at least one class", |c| !c.chosen().is_empty())
    }

    /// Whether `text` is exactly `count` words of `list` joined by `separator`.
    fn splits_into(text: &str, count: usize, separator: &str, list: &[&str]) -> bool {
        list.iter().filter(|w| text.starts_with(**w)).any(|w| {
            let rest = &text[w.len()..];
            match count {
                0 => false,
                1 => rest.is_empty(),
                _ => rest.strip_prefix(separator).is_some_and(|rest| splits_into(rest, count - 1, separator, list)),
            }
        })
    }

    proptest! {
        #[test]
        fn characters_respect_the_policy(length in MIN_LENGTH..=MAX_LENGTH, classes in classes()) {
            let generated = generate(&Policy::Characters { length, classes }).expect("valid policy");
            let password = generated.password.expose_secret();
            prop_assert_eq!(password.chars().count(), length);
            let sets = classes.chosen();
            for c in password.chars() {
                prop_assert!(sets.iter().any(|set| set.contains(c)), "{c:?} is of no chosen class");
            }
            for set in sets {
                prop_assert!(password.chars().any(|c| set.contains(c)), "no character of {set}");
            }
            prop_assert!(generated.entropy_bits > 0.0);
        }

        #[test]
        fn passphrases_respect_the_policy(count in MIN_WORDS..=MAX_WORDS, separator in "[-_. +0-9]{1,3}") {
            let generated = generate(&Policy::Words { count, separator: separator.clone() }).expect("valid policy");
            let phrase = generated.password.expose_secret();
            let list = wordlist();
            // Words may hold a '-' themselves ("t-shirt"), so the phrase is parsed back with backtracking: it must
            // be exactly `count` list words joined by the separator.
            prop_assert!(splits_into(phrase, count, &separator, &list), "{phrase:?} is not {count} list words");
            prop_assert!((generated.entropy_bits - count as f64 * 7776f64.log2()).abs() < 1e-9);
        }
    }
}
