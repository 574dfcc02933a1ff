//! Text as people type it: trimming, NFC normalization, refusal of control characters, length
//! limits, and the case- and accent-folded keys used for search and duplicate detection.
//!
//! What is stored keeps case and accents exactly as typed; only the keys are folded.

use crate::error::{Error, Result};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// How a text field is checked: its wire name, the label shown to the operator, its length
/// limit in characters, and whether line breaks are allowed.
#[derive(Debug, Clone, Copy)]
pub struct TextRule {
    /// camelCase wire name of the field.
    pub field: &'static str,
    /// Human label used in messages ("Given name").
    pub label: &'static str,
    /// Maximum length in characters after normalization.
    pub max_chars: usize,
    /// Why the limit exists, said in the message when it is exceeded.
    pub why: &'static str,
    /// Whether line breaks are accepted (free-text notes).
    pub multiline: bool,
}

/// Characters that are invisible or reorder text and so could make a badge or a list lie:
/// bidirectional overrides and isolates, zero-width space, byte-order mark.
fn is_forbidden_format_char(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Trim, NFC-normalize and check one text value against its rule.
///
/// Returns the cleaned value, or a validation error that names the field and the problem.
pub fn clean(rule: &TextRule, raw: &str) -> Result<String> {
    let unified = raw.replace("\r\n", "\n");
    let value: String = unified.trim().nfc().collect();
    for c in value.chars() {
        if c == '\n' && rule.multiline {
            continue;
        }
        if c.is_control() || is_forbidden_format_char(c) {
            let what = match c {
                '\n' | '\r' => "a line break".to_string(),
                '\t' => "a tab".to_string(),
                _ => format!("an invisible control character (U+{:04X})", c as u32),
            };
            return Err(Error::invalid(
                rule.field,
                format!("{} contains {what}; type it on one line without it", rule.label),
            ));
        }
    }
    let len = value.chars().count();
    if len > rule.max_chars {
        return Err(Error::invalid(
            rule.field,
            format!(
                "{} is too long: {len} characters, the limit is {} ({})",
                rule.label, rule.max_chars, rule.why
            ),
        ));
    }
    Ok(value)
}

/// `s` as a message quotes it: whole up to `max_chars` characters, else its first `max_chars`
/// and "…" (a 10,000-digit number is not printed back whole).
pub fn shortened(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_string(),
    }
}

/// Fold text for comparison: decompose, drop accents, lower-case, map the few Latin letters
/// that do not decompose (ł, ø, ß, æ, œ, đ, ı, þ), and collapse runs of white space.
///
/// `fold("  Hélène  DUPRÉ ")` is `"helene dupre"`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        for l in c.to_lowercase() {
            match l {
                'ł' => out.push('l'),
                'ø' => out.push('o'),
                'ß' => out.push_str("ss"),
                'æ' => out.push_str("ae"),
                'œ' => out.push_str("oe"),
                'đ' => out.push('d'),
                'ı' => out.push('i'),
                'þ' => out.push_str("th"),
                // Lower-casing letter by letter never gives the final sigma: fold it to σ.
                'ς' => out.push('σ'),
                other => out.push(other),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: TextRule = TextRule {
        field: "givenName",
        label: "Given name",
        max_chars: 10,
        why: "it must fit on a badge",
        multiline: false,
    };

    #[test]
    fn trims_and_composes() {
        // "e" followed by a combining acute accent becomes the single letter "é".
        assert_eq!(clean(&RULE, "  He\u{301}le\u{300}ne ").unwrap(), "Hélène");
    }

    #[test]
    fn keeps_case_and_accents() {
        assert_eq!(clean(&RULE, "IJsbrand").unwrap(), "IJsbrand");
        assert_eq!(clean(&RULE, "ó súil").unwrap(), "ó súil");
    }

    #[test]
    fn refuses_control_characters() {
        for bad in ["a\tb", "a\nb", "a\u{7}b", "a\u{202E}b", "a\u{200B}b"] {
            let e = clean(&RULE, bad).unwrap_err();
            assert_eq!(e.field(), Some("givenName"), "{bad:?}");
            assert!(e.to_string().starts_with("Given name contains"), "{e}");
        }
    }

    #[test]
    fn multiline_allows_line_breaks_only() {
        let rule = TextRule { multiline: true, max_chars: 100, ..RULE };
        assert_eq!(clean(&rule, "one\r\ntwo").unwrap(), "one\ntwo");
        assert!(clean(&rule, "one\ttwo").is_err());
    }

    #[test]
    fn length_is_counted_in_characters_and_explained() {
        assert!(clean(&RULE, "ÉÉÉÉÉÉÉÉÉÉ").is_ok());
        let e = clean(&RULE, "ÉÉÉÉÉÉÉÉÉÉÉ").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Given name is too long: 11 characters, the limit is 10 (it must fit on a badge)"
        );
    }

    #[test]
    fn quoted_values_are_shortened_by_characters() {
        assert_eq!(shortened("4294967295", 12), "4294967295");
        assert_eq!(shortened("123456789012", 12), "123456789012");
        assert_eq!(shortened("1234567890123", 12), "123456789012…");
        assert_eq!(shortened("ééééé", 3), "ééé…");
    }

    #[test]
    fn folding() {
        assert_eq!(fold("  Hélène  DUPRÉ "), "helene dupre");
        assert_eq!(fold("Łukasz Żółć"), "lukasz zolc");
        assert_eq!(fold("Siân Ó Súilleabháin"), "sian o suilleabhain");
        assert_eq!(fold("Мария"), "мария");
        assert_eq!(fold("Straße"), "strasse");
    }
}
