//! The second factor's QR code: drawn in the terminal with Unicode half blocks, or written as an SVG file.
//!
//! A QR code needs dark modules on a light background with a quiet zone of four modules around it (ISO/IEC 18004
//! section 9.1) or phones do not find it. On a terminal the colours are therefore set explicitly (black on white,
//! ANSI SGR 30/107), so the code scans whatever the terminal's theme; elsewhere (a file, a printer) it is drawn as
//! ink on paper: dark modules as blocks.

use std::path::Path;

use qrcode::{
    QrCode,
    render::{svg, unicode::Dense1x2},
};
use zeroize::Zeroizing;

use crate::exit::Failure;

/// Black text on a bright white background, then back to the terminal's own colours.
const ON_WHITE: &str = "\x1b[30;107m";
const RESET: &str = "\x1b[0m";

/// The QR code of `uri` as text, dark modules drawn as blocks, with its quiet zone. With `colours`, each line sets
/// black on white explicitly so that the code scans on dark and light terminals alike. `None` if the URI is too
/// long for a QR code. The text encodes a secret: it is wiped when dropped.
pub(crate) fn qr_text(uri: &str, colours: bool) -> Option<Zeroizing<String>> {
    let code = QrCode::new(uri.as_bytes()).ok()?;
    let drawn = Zeroizing::new(
        code.render::<Dense1x2>().dark_color(Dense1x2::Dark).light_color(Dense1x2::Light).quiet_zone(true).build(),
    );
    if !colours {
        return Some(drawn);
    }
    let mut text = Zeroizing::new(String::with_capacity(drawn.len() * 2));
    for line in drawn.lines() {
        text.push_str(ON_WHITE);
        text.push_str(line);
        text.push_str(RESET);
        text.push('\n');
    }
    Some(text)
}

/// What people read to set up their second factor: the QR code, then the URI to type if scanning fails.
/// `colours`: standard output is a terminal.
pub(crate) fn second_factor_text(uri: &str, colours: bool) -> Zeroizing<String> {
    let mut text = Zeroizing::new(coffre_i18n::t!("second-factor-intro"));
    text.push_str("\n\n");
    if let Some(qr) = qr_text(uri, colours) {
        text.push_str(&qr);
        text.push('\n');
    }
    text.push_str(uri);
    text.push('\n');
    text
}

/// Writes the QR code of `uri` to `path` as an SVG image, readable by its owner only (it holds the second factor's
/// secret), refusing to replace an existing file.
pub(crate) fn write_svg(uri: &str, path: &Path) -> Result<(), Failure> {
    let code = QrCode::new(uri.as_bytes())
        .map_err(|err| Failure::other(coffre_i18n::t!("qr-cannot-draw", reason = err.to_string())))?;
    let image = Zeroizing::new(code.render::<svg::Color<'_>>().min_dimensions(256, 256).quiet_zone(true).build());
    let written = (|| {
        use std::{io::Write as _, os::unix::fs::OpenOptionsExt as _};
        let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
        file.write_all(image.as_bytes())?;
        file.sync_all()
    })();
    written.map_err(|err| {
        Failure::other(coffre_i18n::t!(
            "qr-cannot-write",
            path = path.display().to_string(),
            reason = crate::exit::io_reason(&err)
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const URI: &str = "otpauth://totp/coffre:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=coffre";

    /// Turns drawn text back into pixels as a screen shows it: each character is one module wide and two high;
    /// '█', '▀', '▄' paint the upper, lower or both halves in the text colour. `ink_is_dark`: the text colour is
    /// dark on a light background (as with explicit colours, or ink on paper); otherwise a dark terminal's theme
    /// (light text on black).
    fn decode(text: &str, ink_is_dark: bool) -> Option<String> {
        let plain: String = text.replace(ON_WHITE, "").replace(RESET, "");
        let rows: Vec<Vec<char>> = plain.lines().map(|l| l.chars().collect()).collect();
        let width = rows.iter().map(Vec::len).max()?;
        let scale = 4;
        let (w, h) = (width * scale, rows.len() * 2 * scale);
        let (ink, paper) = if ink_is_dark { (0u8, 255u8) } else { (255u8, 0u8) };
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
            let c = rows.get(y / (2 * scale)).and_then(|r| r.get(x / scale)).copied().unwrap_or(' ');
            let upper = (y / scale) % 2 == 0;
            let painted = match c {
                '█' => true,
                '▀' => upper,
                '▄' => !upper,
                _ => false,
            };
            if painted { ink } else { paper }
        });
        let grids = image.detect_grids();
        grids.first()?.decode().ok().map(|(_, content)| content)
    }

    #[test]
    fn the_terminal_qr_code_scans_with_its_explicit_colours() {
        let text = qr_text(URI, true).expect("fits");
        assert!(text.lines().all(|l| l.starts_with(ON_WHITE) && l.ends_with(RESET)));
        assert_eq!(decode(&text, true).as_deref(), Some(URI));
    }

    #[test]
    fn the_plain_qr_code_scans_as_ink_on_paper() {
        let text = qr_text(URI, false).expect("fits");
        assert!(text.chars().all(|c| matches!(c, ' ' | '█' | '▀' | '▄' | '\n')), "{}", text.as_str());
        assert_eq!(decode(&text, true).as_deref(), Some(URI));
    }

    #[test]
    fn a_qr_code_drawn_inverted_for_a_dark_theme_does_not_scan_on_paper() {
        // What coffre drew before: light modules as blocks. On a light background a decoder finds nothing, which
        // is the failure people saw; the test above shows the new drawing scans.
        let code = QrCode::new(URI.as_bytes()).expect("fits");
        let inverted = code.render::<Dense1x2>().dark_color(Dense1x2::Light).light_color(Dense1x2::Dark).build();
        assert_eq!(decode(&inverted, true), None);
    }

    #[test]
    fn the_svg_file_is_private_and_not_replaced() -> Result<(), Failure> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().map_err(|e| Failure::other(e.to_string()))?;
        let path = dir.path().join("second-factor.svg");
        write_svg(URI, &path)?;
        let meta = std::fs::metadata(&path).map_err(|e| Failure::other(e.to_string()))?;
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        let svg = std::fs::read_to_string(&path).map_err(|e| Failure::other(e.to_string()))?;
        assert!(svg.starts_with("<?xml") && svg.contains("<svg"));
        assert!(write_svg(URI, &path).is_err(), "an existing file is never replaced");
        Ok(())
    }
}
