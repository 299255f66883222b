//! The second factor's QR code, drawn in the terminal with Unicode half blocks, for an authenticator app to scan.

use qrcode::{QrCode, render::unicode::Dense1x2};
use zeroize::Zeroizing;

/// The QR code of `uri` as text (light modules drawn, for a dark terminal background, as the `qrcode` crate's
/// documentation does), or `None` if the URI is too long for a QR code. The text encodes a secret: it is wiped
/// when dropped.
pub(crate) fn qr_text(uri: &str) -> Option<Zeroizing<String>> {
    let code = QrCode::new(uri.as_bytes()).ok()?;
    Some(Zeroizing::new(code.render::<Dense1x2>().dark_color(Dense1x2::Light).light_color(Dense1x2::Dark).build()))
}

/// What people read to set up their second factor: the QR code, then the URI to type if scanning fails.
pub(crate) fn second_factor_text(uri: &str) -> Zeroizing<String> {
    let mut text = Zeroizing::new(String::from(
        "Second factor: scan this QR code with an authenticator app (e.g. Aegis, FreeOTP, Google Authenticator),\n\
         or add the URI below to it by hand. Keep it in the app only: it is shown this once.\n\n",
    ));
    if let Some(qr) = qr_text(uri) {
        text.push_str(&qr);
        text.push('\n');
    }
    text.push_str(uri);
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uri_becomes_a_square_of_half_blocks() {
        let qr = qr_text("otpauth://totp/coffre:alice?secret=GEZDGNBVGY3TQOJQ&issuer=coffre").expect("fits");
        let lines: Vec<&str> = qr.lines().collect();
        assert!(lines.len() > 10);
        assert!(lines.iter().all(|l| l.chars().count() == lines[0].chars().count()), "a rectangle");
        assert!(qr.chars().all(|c| matches!(c, ' ' | '█' | '▀' | '▄' | '\n')), "{}", qr.as_str());
    }
}
