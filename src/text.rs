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

/// Whether `s` holds letters written right to left (Hebrew, Arabic, Syriac, Thaana, N'Ko and
/// the scripts beside them): the badge lays text out left to right, letter by letter, so such
/// a name would print reversed and, in Arabic, unjoined.
pub fn has_right_to_left(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(u32::from(c), 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFE | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF)
    })
}

/// Trim, NFC-normalize and check one text value against its rule.
///
/// Returns the cleaned value, or a validation error that names the field and the problem.
pub fn clean(rule: &TextRule, raw: &str) -> Result<String> {
    let unified = raw.replace("\r\n", "\n");
    // Every other space (no-break, ideographic, line and paragraph separators…) is the space
    // a badge font has: the others print as boxes, or run words together.
    let value: String =
        unified.trim().nfc().map(|c| if c.is_whitespace() && !c.is_control() { ' ' } else { c }).collect();
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

/// Fold text for comparison: decompose with compatibility (NFKD: the ligature "ﬁ" is "fi",
/// full-width "Ｋ" is "K"), drop accents and the characters that draw nothing (a soft hyphen,
/// zero-width joiners, direction marks), lower-case, map the few Latin letters that do not
/// decompose (ł, ø, ß, æ, œ, đ, ı, þ), write every apostrophe as ', and collapse runs of white
/// space. Two names that look the same fold the same.
///
/// `fold("  Hélène  DUPRÉ ")` is `"helene dupre"`; `fold("Mül\u{AD}ler")` is `"muller"`.
///
/// The keys stored beside each person are made with it: when it changes, a schema step makes
/// them again (`src/store/rekey.rs`).
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        // No ASCII letter decomposes or is a combining mark; each lowers to one ASCII letter.
        fold_ascii(s)
    } else {
        fold_unicode(s)
    }
}

/// [`fold`] of a text that is all ASCII, the common case, without decomposing it.
fn fold_ascii(s: &str) -> String {
    collapse_spaces(s.len(), s.chars(), |out, c| out.push(c.to_ascii_lowercase()))
}

/// [`fold`] of any text: decomposed, marks and invisible characters dropped, lowered, the
/// letters that do not decompose spelled out.
fn fold_unicode(s: &str) -> String {
    // The acute accent typed as an apostrophe ("O´Brien") is one before decomposing: NFKD
    // would make it a space and an accent, splitting the name in two.
    let apostrophes = s.chars().map(|c| if c == '\u{00B4}' { '\'' } else { c });
    let kept = apostrophes.nfkd().filter(|c| !is_combining_mark(*c) && !draws_nothing(*c));
    collapse_spaces(s.len(), kept, |out, c| {
        for l in c.to_lowercase() {
            match l {
                '\u{2018}' | '\u{2019}' | '\u{02BC}' => out.push('\''),
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
    })
}

/// The key of an e-mail address: compatibility forms made plain (NFKC: a full-width "ｘ" is
/// "x"), invisible characters dropped, lower case. Two addresses with the same key are the
/// same person's.
pub fn email_key(email: &str) -> String {
    if email.is_ascii() {
        // NFKC leaves ASCII as it is, and no ASCII character is invisible.
        return email.to_ascii_lowercase();
    }
    email.nfkc().filter(|c| !draws_nothing(*c)).collect::<String>().to_lowercase()
}

/// `s` as a badge or a roster prints it: without the characters that mark where a word may
/// break or be joined and draw nothing in running text (a soft hyphen, a zero-width space, the
/// word joiner, a byte-order mark). The embedded font draws a soft hyphen as "-": "Mül\u{AD}ler"
/// printed as "Mül-ler". The stored value keeps them (they are what was typed).
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    let breaks_only =
        |c: char| matches!(c, '\u{00AD}' | '\u{034F}' | '\u{200B}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}');
    if !s.chars().any(breaks_only) {
        return s.into();
    }
    s.chars().filter(|c| !breaks_only(*c)).collect::<String>().into()
}

/// Whether `s` draws nothing at all: only white space and characters that draw nothing (a
/// soft hyphen, a joiner, a direction mark). Such a badge name would print blank.
pub fn shows_nothing(s: &str) -> bool {
    s.chars().all(|c| c.is_whitespace() || draws_nothing(c))
}

/// Unicode's default-ignorable characters, which draw nothing where they are: a soft hyphen,
/// the zero-width joiners and space, direction marks, the word joiner and invisible operators,
/// fillers, variation selectors and tags. Text that differs only by them looks the same.
fn draws_nothing(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// The characters with each run of white space made one space and none at either end, each
/// other character written by `push` (`capacity`: the room to reserve).
fn collapse_spaces(
    capacity: usize,
    chars: impl Iterator<Item = char>,
    mut push: impl FnMut(&mut String, char),
) -> String {
    let mut out = String::with_capacity(capacity);
    let mut pending_space = false;
    for c in chars {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        push(&mut out, c);
    }
    out
}

/// Words that stay lower case inside a name when it is put in proper case ("María de la Cruz",
/// "Johan van der Berg"); the first word is always capitalised.
const PARTICLES: &[&str] =
    &["da", "das", "de", "del", "della", "der", "di", "do", "dos", "du", "la", "le", "van", "von", "y"];

/// An upper-case or title-case letter ("A", "ǅ"); a letter of a script without case is neither.
fn is_capital(c: char) -> bool {
    c.is_uppercase() || (!c.is_lowercase() && c.to_lowercase().ne(std::iter::once(c)))
}

/// Whether `s` has letters and every one of them is lower case ("marcus oneil"), as a name typed
/// in a hurry is; a name in another script (no case) is not.
pub fn all_lower_case(s: &str) -> bool {
    s.chars().any(char::is_lowercase) && !s.chars().any(is_capital)
}

/// A name as people write it: words typed all in lower case or all in capitals are given a
/// capital at the start of each word and after `-` or `'` ("o'neil-smith" → "O'Neil-Smith"),
/// particles kept small after the first word ("maria de la cruz" → "Maria de la Cruz"); a name
/// typed in mixed case is kept exactly as typed ("McAllister", "de Souza").
pub fn proper_name(typed: &str) -> String {
    let words: Vec<&str> = typed.split_whitespace().collect();
    let has_upper = typed.chars().any(is_capital);
    let has_lower = typed.chars().any(char::is_lowercase);
    if has_upper && has_lower {
        return words.join(" ");
    }
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let lower = w.to_lowercase();
            if i > 0 && PARTICLES.contains(&lower.as_str()) {
                return lower;
            }
            let mut out = String::with_capacity(lower.len());
            let mut start = true;
            for c in lower.chars() {
                if start {
                    out.extend(c.to_uppercase());
                } else {
                    out.push(c);
                }
                start = matches!(c, '-' | '\'' | '’');
            }
            out
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// How much of a walk-in's typed words [`walk_in_name`] reads.
pub const WALK_IN_MAX_CHARS: usize = 400;

/// The given and family names a walk-in's typed words propose: the last word is the family
/// name (with the particles before it: "maria de la cruz" → "Maria", "de la Cruz"), the rest
/// the given names, each in proper case ([`proper_name`]). Only the first
/// [`WALK_IN_MAX_CHARS`] characters are read: more is no name, and the form then says so.
pub fn walk_in_name(typed: &str) -> (String, String) {
    let typed = typed.char_indices().nth(WALK_IN_MAX_CHARS).map_or(typed, |(end, _)| &typed[..end]);
    let proper = proper_name(typed);
    let words: Vec<&str> = proper.split(' ').filter(|w| !w.is_empty()).collect();
    if words.len() < 2 {
        return (String::new(), words.concat());
    }
    let mut family_start = words.len() - 1;
    while family_start > 1 && PARTICLES.contains(&words[family_start - 1].to_lowercase().as_str()) {
        family_start -= 1;
    }
    (words[..family_start].join(" "), words[family_start..].join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every space is stored as the plain space a badge font has; a line or paragraph
    /// separator pasted into a name runs no words together.
    #[test]
    fn every_space_is_stored_plain() {
        let r = TextRule { field: "name", label: "Name", max_chars: 100, why: "", multiline: false };
        for (typed, stored) in [
            ("Anna\u{3000}Berg", "Anna Berg"),
            ("Anna\u{a0}Berg", "Anna Berg"),
            ("Anna\u{2028}Berg", "Anna Berg"),
            ("Anna\u{2029}Berg", "Anna Berg"),
            ("Anna\u{202F}Berg", "Anna Berg"),
            ("\u{3000}Anna\u{3000}", "Anna"),
        ] {
            assert_eq!(clean(&r, typed).unwrap(), stored, "{typed:?}");
        }
        assert!(clean(&r, "Anna\tBerg").is_err(), "a tab is still refused");
        assert!(has_right_to_left("محمد") && has_right_to_left("שרה") && !has_right_to_left("Zoë Łódź 王"));
    }

    #[test]
    fn a_walk_in_name_reads_only_its_start() {
        let long = format!("ana {}", "b".repeat(1_000_000));
        let (given, family) = walk_in_name(&long);
        assert_eq!(given, "Ana");
        assert_eq!(family.chars().count(), WALK_IN_MAX_CHARS - 4);
        assert_eq!(walk_in_name("maria de la cruz"), ("Maria".into(), "de la Cruz".into()));
    }

    proptest::proptest! {
        /// The ASCII shortcut folds every ASCII text as the general path does (controls, the
        /// vertical tab and runs of white space included).
        #[test]
        fn ascii_folds_as_any_text(s in "[\\x00-\\x7F]{0,40}") {
            proptest::prop_assert_eq!(super::fold_ascii(&s), super::fold_unicode(&s));
        }

        /// The same for the key of an e-mail address.
        #[test]
        fn an_ascii_email_keys_as_any_text(s in "[\\x00-\\x7F]{0,40}") {
            let general = s.nfkc().filter(|c| !super::draws_nothing(*c)).collect::<String>().to_lowercase();
            proptest::prop_assert_eq!(super::email_key(&s), general);
        }
    }

    /// Names that look the same fold the same: invisible characters (soft hyphen, zero-width
    /// joiners, word joiner, direction marks) go, compatibility forms (ligatures, full-width
    /// letters, the ǅ digraph) are their letters, and every apostrophe is one.
    #[test]
    fn names_that_look_the_same_fold_the_same() {
        for (typed, plain) in [
            ("Mül\u{AD}ler", "Müller"),
            ("Müller\u{200F}", "Müller"),
            ("\u{200E}Müller", "Müller"),
            ("Dee\u{2060}", "Dee"),
            ("Dee\u{200D}", "Dee"),
            ("Ha\u{200C}iti", "Haiti"),
            ("Jam\u{AD}aica", "Jamaica"),
            ("Owen Griﬃths", "Owen Griffiths"),
            ("Ｋｉｍ Ｊａｍａｉｃａ", "Kim Jamaica"),
            ("ǅemal", "Džemal"),
            ("Sean O’Brien", "Sean O'Brien"),
            ("Sean Oʼbrien", "Sean O'Brien"),
            ("Sean O´Brien", "Sean O'Brien"),
            ("Al\u{FE0F}Rashid", "AlRashid"),
        ] {
            assert_eq!(fold(typed), fold(plain), "{typed:?}");
        }
        assert_eq!(fold("Mül\u{AD}ler"), "muller");
        assert_eq!(fold("Owen Griﬃths"), "owen griffiths");
        // Folding twice is folding once: a stored key folds to itself.
        for s in ["Mül\u{AD}ler", "Ｋｉｍ", "ﬃ", "O’Brien", "Þórr Ærø"] {
            assert_eq!(fold(&fold(s)), fold(s), "{s:?}");
        }
    }

    #[test]
    fn names_typed_in_one_case_are_put_in_proper_case_and_mixed_case_is_kept() {
        assert_eq!(proper_name("marcus oneil"), "Marcus Oneil");
        assert_eq!(proper_name("  MARCUS   O'NEIL "), "Marcus O'Neil");
        assert_eq!(proper_name("jean-luc o’brien"), "Jean-Luc O’Brien");
        assert_eq!(proper_name("maria de la cruz"), "Maria de la Cruz");
        assert_eq!(proper_name("de souza"), "De Souza");
        assert_eq!(proper_name("McAllister de Souza"), "McAllister de Souza");
        assert_eq!(proper_name("iñaki ñúñez"), "Iñaki Ñúñez");
        assert_eq!(proper_name("王小明"), "王小明");
        assert_eq!(proper_name(""), "");
        assert_eq!(proper_name("ǅemal Bašić"), "ǅemal Bašić");
    }

    #[test]
    fn a_walk_in_is_split_into_given_and_family_names() {
        assert_eq!(walk_in_name("marcus oneil"), ("Marcus".into(), "Oneil".into()));
        assert_eq!(walk_in_name("maria de la cruz"), ("Maria".into(), "de la Cruz".into()));
        assert_eq!(walk_in_name("ana maria van der berg"), ("Ana Maria".into(), "van der Berg".into()));
        assert_eq!(walk_in_name("Mireille Walkin"), ("Mireille".into(), "Walkin".into()));
        assert_eq!(walk_in_name("  cher "), (String::new(), "Cher".into()));
        assert_eq!(walk_in_name("de la"), ("De".into(), "la".into()));
        assert_eq!(walk_in_name(""), (String::new(), String::new()));
    }

    #[test]
    fn all_lower_case_needs_letters_and_no_capital() {
        assert!(all_lower_case("marcus oneil"));
        assert!(all_lower_case("o'neil 2"));
        assert!(!all_lower_case("Marcus oneil"));
        assert!(!all_lower_case("王小明"));
        assert!(!all_lower_case("123"));
        assert!(!all_lower_case(""));
    }

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
    fn printed_text_has_no_soft_hyphen_or_zero_width_space() {
        assert_eq!(printable("Mül\u{AD}ler"), "Müller");
        assert_eq!(printable("Jam\u{200B}aica\u{2060}"), "Jamaica");
        assert_eq!(printable("Zoë"), "Zoë");
        // Joiners shape emoji and Indic script: kept.
        assert_eq!(printable("a\u{200D}b\u{200C}c"), "a\u{200D}b\u{200C}c");
    }

    #[test]
    fn text_that_draws_nothing() {
        assert!(shows_nothing("\u{AD}\u{2060} \u{FE0F}"));
        assert!(shows_nothing(""));
        // One visible character is enough, a dash or a dot too.
        assert!(!shows_nothing("\u{AD}—"));
        assert!(!shows_nothing("\u{200D}."));
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
