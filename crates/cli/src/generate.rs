//! `coffre generate`: a strong password or passphrase, made on this computer from its random source (no daemon,
//! no login), printed on standard output followed by one newline; its entropy goes to standard error. The same
//! policy flags serve `coffre rotate stage --generate`, where the daemon generates the password instead.

use clap::Args;
use coffre_crypto::{
    CryptoError,
    generator::{self, Classes, Policy},
};
use coffre_i18n::t;
use coffre_proto::v1::{CharacterPolicy, GeneratorPolicy, WordPolicy, generator_policy};
use serde::Serialize;
use zeroize::Zeroizing;

use crate::{
    Context,
    exit::Failure,
    output::{note, write_stdout},
};

/// The generator's policy on the command line: characters (the default) or words.
#[derive(Debug, Args)]
pub(crate) struct PolicyArgs {
    /// Length in characters (12 to 256) [default: 24]
    #[arg(long, value_name = "N", conflicts_with = "words")]
    length: Option<u32>,
    /// No lower-case letters
    #[arg(long, conflicts_with = "words")]
    no_lower: bool,
    /// No upper-case letters
    #[arg(long, conflicts_with = "words")]
    no_upper: bool,
    /// No digits
    #[arg(long, conflicts_with = "words")]
    no_digits: bool,
    /// No symbols (for platforms that refuse them)
    #[arg(long, conflicts_with = "words")]
    no_symbols: bool,
    /// A passphrase of N words from the EFF Long Wordlist instead (5 to 20; 6 is a good choice)
    #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "6")]
    words: Option<u32>,
    /// Between words [default: -]
    #[arg(long, value_name = "TEXT", requires = "words")]
    separator: Option<String>,
}

impl PolicyArgs {
    /// Whether any generator flag was given (even one that names the default, like `--length 24`).
    pub(crate) fn any_given(&self) -> bool {
        self.length.is_some()
            || self.no_lower
            || self.no_upper
            || self.no_digits
            || self.no_symbols
            || self.words.is_some()
            || self.separator.is_some()
    }

    /// The policy these flags describe; its bounds are checked by the generator (here or in the daemon).
    pub(crate) fn policy(&self) -> Policy {
        match self.words {
            Some(count) => Policy::Words {
                count: usize::try_from(count).unwrap_or(usize::MAX),
                separator: self.separator.clone().unwrap_or_else(|| generator::DEFAULT_SEPARATOR.to_owned()),
            },
            None => Policy::Characters {
                length: self.length.map_or(generator::DEFAULT_LENGTH, |n| usize::try_from(n).unwrap_or(usize::MAX)),
                classes: Classes {
                    lower: !self.no_lower,
                    upper: !self.no_upper,
                    digits: !self.no_digits,
                    symbols: !self.no_symbols,
                },
            },
        }
    }

    /// The same policy for the daemon.
    pub(crate) fn to_proto(&self) -> Result<GeneratorPolicy, Failure> {
        let policy = self.policy();
        policy.check().map_err(refused)?;
        let number = |n: usize| u32::try_from(n).map_err(|_| Failure::invalid(t!("number-too-large")));
        let kind = match policy {
            Policy::Words { count, separator } => {
                generator_policy::Kind::Words(WordPolicy { words: number(count)?, separator })
            }
            Policy::Characters { length, classes } => generator_policy::Kind::Characters(CharacterPolicy {
                length: number(length)?,
                lower: classes.lower,
                upper: classes.upper,
                digits: classes.digits,
                symbols: classes.symbols,
            }),
        };
        Ok(GeneratorPolicy { kind: Some(kind) })
    }
}

/// A policy the generator refuses, in the reader's language (`policy-<...>` in the catalogue).
fn refused(err: CryptoError) -> Failure {
    match err {
        CryptoError::Policy(problem) => {
            let lang = coffre_i18n::current();
            let text = coffre_i18n::message(lang, problem.code(), &problem.arguments());
            Failure::invalid(t!("policy-refused", problem = text.unwrap_or_else(|| problem.to_string())))
        }
        other => Failure::other(other.to_string()),
    }
}

/// Options of `coffre generate`.
#[derive(Debug, Args)]
#[command(after_help = "The password is printed on standard output followed by one newline; its strength in bits \
                        on standard error. Nothing is sent anywhere.")]
pub(crate) struct GenerateArgs {
    #[command(flatten)]
    policy: PolicyArgs,
}

/// What `generate` prints with `--json`.
#[derive(Serialize)]
struct Generated<'a> {
    password: &'a str,
    entropy_bits: f64,
}

pub(crate) fn run(args: &GenerateArgs, ctx: &Context) -> Result<(), Failure> {
    let generated = generator::generate(&args.policy.policy()).map_err(refused)?;
    let password = generated.password.expose_secret();
    // Built in a buffer sized so that it never reallocates, and wiped afterwards.
    let mut out = Zeroizing::new(Vec::with_capacity(password.len() * 6 + 64));
    if ctx.json() {
        let report = Generated { password, entropy_bits: round(generated.entropy_bits) };
        serde_json::to_writer(&mut *out, &report)
            .map_err(|err| Failure::other(t!("json-cannot-encode", reason = err.to_string())))?;
    } else {
        out.extend_from_slice(password.as_bytes());
    }
    out.push(b'\n');
    write_stdout(&out)?;
    if !ctx.json() {
        note(&t!("generate-entropy", bits = format!("{:.0}", generated.entropy_bits)));
    }
    Ok(())
}

/// Entropy to one decimal, for output.
pub(crate) fn round(bits: f64) -> f64 {
    (bits * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::{Cli, Command};

    fn policy(args: &[&str]) -> Option<Policy> {
        let mut argv = vec!["coffre", "generate"];
        argv.extend(args);
        match Cli::try_parse_from(argv).ok()?.command {
            Command::Generate(args) => Some(args.policy.policy()),
            _ => None,
        }
    }

    #[test]
    fn flags_make_the_policy() {
        assert_eq!(policy(&[]), Some(Policy::default()));
        assert_eq!(policy(&["--words"]), Some(Policy::default_words()));
        assert_eq!(
            policy(&["--words", "8", "--separator", "."]),
            Some(Policy::Words { count: 8, separator: ".".into() })
        );
        let no_symbols = Classes { symbols: false, ..Classes::ALL };
        assert_eq!(
            policy(&["--length", "32", "--no-symbols"]),
            Some(Policy::Characters { length: 32, classes: no_symbols })
        );
        assert_eq!(policy(&["--words", "--length", "30"]), None, "words or characters, not both");
        assert_eq!(policy(&["--separator", "."]), None, "a separator needs --words");
    }

    #[test]
    fn the_daemon_gets_the_same_policy_and_bad_ones_never_leave() {
        let args = PolicyArgs {
            length: Some(8),
            no_lower: false,
            no_upper: false,
            no_digits: false,
            no_symbols: false,
            words: None,
            separator: None,
        };
        assert!(args.to_proto().is_err_and(|f| f.message().contains("12 to 256")));
        let words = PolicyArgs { length: None, words: Some(7), separator: Some("_".into()), ..args };
        let proto = words.to_proto().ok().and_then(|p| p.kind);
        assert_eq!(proto, Some(generator_policy::Kind::Words(WordPolicy { words: 7, separator: "_".into() })));
    }
}
