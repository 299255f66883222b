//! Golden tests (trycmd) for the messages people read that need no daemon: help, usage errors, and the errors
//! the client gives before or instead of reaching a daemon. Cases live in tests/cmd/.
//!
//! The environment is pinned so that no real configuration, session, clipboard or terminal width leaks in:
//! HOME and the XDG directories point to a path that does not exist, and the COFFRE_* variables are empty
//! (which coffre treats as unset). To refresh the expected output after a deliberate change:
//! `TRYCMD=overwrite cargo test -p coffre-cli --test cli`, then read the diff.

#[test]
fn cli_messages() {
    let nowhere = "/nonexistent/coffre-trycmd-home";
    trycmd::TestCases::new()
        .env("COLUMNS", "100")
        .env("HOME", nowhere)
        .env("XDG_CONFIG_HOME", format!("{nowhere}/config"))
        .env("XDG_STATE_HOME", format!("{nowhere}/state"))
        .env("XDG_DATA_HOME", format!("{nowhere}/data"))
        .env("COFFRE_SERVER", "")
        .env("COFFRE_CA", "")
        .env("COFFRE_SESSION", "")
        .env("COFFRE_LANG", "en")
        .env("COFFRE_CONFIG_DIR", "")
        .env("DISPLAY", "")
        .env("WAYLAND_DISPLAY", "")
        .case("tests/cmd/*.toml")
        .case("tests/cmd/*.md");
}
