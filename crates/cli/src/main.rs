//! `coffre`, the command-line client of the coffre vault. Everything lives in the library (`coffre_cli`); its
//! documentation and EXIT_CODES.md list the exit codes.

use std::process::ExitCode;

use clap::FromArgMatches;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    // The help is built in the reader's language, so the language is chosen before parsing.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = coffre_cli::help::lang_before_parsing(&args);
    let matches = match coffre_cli::help::command(lang).try_get_matches_from(args) {
        Ok(matches) => matches,
        // A usage error in the reader's language; English, help and version are clap's own.
        Err(err) => match coffre_cli::usage::message(&err, lang) {
            Some(text) => {
                eprint!("{text}");
                return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
            }
            None => err.exit(),
        },
    };
    let cli = match coffre_cli::Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => err.exit(),
    };
    match coffre_cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            let code = failure.exit_code();
            let err = anyhow::Error::new(failure);
            // One line people read, then the low-level cause once, if there is one. Never a secret: failures
            // are built from daemon messages, paths and transport errors only.
            // One write, so that parallel runs sharing a terminal do not interleave a message with its cause.
            let mut text = coffre_i18n::t!("error-line", message = err.to_string());
            text.push('\n');
            for cause in err.chain().skip(1) {
                text.push_str("  ");
                text.push_str(&coffre_i18n::t!("cause-line", message = cause.to_string()));
                text.push('\n');
            }
            eprint!("{text}");
            ExitCode::from(code)
        }
    }
}
