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

#[cfg(test)]
mod tests {
    use super::Line;

    #[test]
    fn a_line_is_key_value_pairs_without_spaces_in_values() {
        let mut line = Line::phase("reveal");
        line.int("clients", 64)
            .float("ops_per_s", 20_143.4, 0)
            .float("p99_ms", 8.3994, 3)
            .text("cpu", "AMD EPYC\t7B13");
        assert_eq!(line.0, "phase=reveal clients=64 ops_per_s=20143 p99_ms=8.399 cpu=AMD_EPYC_7B13");
    }
}
