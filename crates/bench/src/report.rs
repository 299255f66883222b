//! The output: one line per phase, `key=value` pairs separated by spaces, values without spaces.

use std::fmt::Write;

/// One phase's line, built in order.
pub(crate) struct Line(String);

impl Line {
    pub(crate) fn phase(name: &str) -> Line {
        Line(format!("phase={name}"))
    }

    pub(crate) fn int(&mut self, key: &str, value: u64) -> &mut Line {
        let _ = write!(self.0, " {key}={value}");
        self
    }

    pub(crate) fn float(&mut self, key: &str, value: f64, decimals: usize) -> &mut Line {
        let _ = write!(self.0, " {key}={value:.decimals$}");
        self
    }

    pub(crate) fn text(&mut self, key: &str, value: &str) -> &mut Line {
        let value: String = value.chars().map(|c| if c.is_whitespace() { '_' } else { c }).collect();
        let _ = write!(self.0, " {key}={value}");
        self
    }

    /// Prints the line on standard output, at once (a long run shows its progress).
    pub(crate) fn print(&self) {
        println!("{}", self.0);
    }
}
