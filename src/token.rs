//! Badge tokens: what a badge's QR code carries. A token is 128 random bits from the operating
//! system's generator, written in upper-case base32 behind the prefix `DD` and followed by one
//! check character (Luhn mod 32): `DD` + 26 + 1 = 29 characters, all in the QR code's
//! alphanumeric set, so the code stays small. It names nobody and follows no sequence, so a
//! badge cannot be forged by guessing; each print gets a new one and a reprint revokes the
//! one before (see [`crate::checkin`]).
//!
//! A USB scanner types the token into whatever has focus; [`recognise`] tells a scan from a
//! name typed by a person, and a mistyped or damaged code from a code that is not ours.

use crate::error::{Error, Result};

/// What every token starts with.
pub const PREFIX: &str = "DD";
/// The length of a token, prefix and check character included.
pub const TOKEN_CHARS: usize = 29;
/// Random bytes in a token.
const RANDOM_BYTES: usize = 16;
const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A new token from the operating system's random generator.
pub fn new_token() -> Result<String> {
    let mut bytes = [0u8; RANDOM_BYTES];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Internal(format!("The system's random generator failed: {e}")))?;
    let body = data_encoding::BASE32_NOPAD.encode(&bytes);
    let check = check_char(&body);
    Ok(format!("{PREFIX}{body}{check}"))
}

/// The Luhn mod 32 check character of `body` (characters of the base32 alphabet): it catches
/// every single wrong character and every swap of two neighbours but `A7` ↔ `7A` (the
/// algorithm's one blind spot).
fn check_char(body: &str) -> char {
    let n = ALPHABET.len() as u32;
    let mut sum = 0;
    for (i, c) in body.bytes().rev().enumerate() {
        let value = ALPHABET.iter().position(|&a| a == c).unwrap_or(0) as u32;
        let addend = if i % 2 == 0 { value * 2 } else { value };
        sum += addend / n + addend % n;
    }
    ALPHABET[((n - sum % n) % n) as usize] as char
}

/// What a typed text is, seen by the scanner's eye.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Typed {
    /// A well-formed token (upper-cased), to look up.
    Token(String),
    /// The shape of a token whose check character is wrong: a damaged or mistyped code.
    Damaged,
    /// A badge of Delegate Desk from before tokens (`DD:A12:V2`): no longer accepted.
    OldBadge,
    /// Anything else: a name to search for.
    Words,
}

/// Tell a scanned code from words typed by a person. Case is ignored (a scanner may type
/// lower case when Caps Lock is on); spaces around are ignored.
pub fn recognise(typed: &str) -> Typed {
    let t = typed.trim().to_ascii_uppercase();
    if t.starts_with("DD:A") && t.contains(":V") && t.len() <= 30 {
        return Typed::OldBadge;
    }
    if t.len() != TOKEN_CHARS || !t.starts_with(PREFIX) {
        return Typed::Words;
    }
    let rest = &t[PREFIX.len()..];
    if !rest.bytes().all(|b| ALPHABET.contains(&b)) {
        return Typed::Words;
    }
    let (body, check) = rest.split_at(rest.len() - 1);
    if check.starts_with(check_char(body)) {
        Typed::Token(t)
    } else {
        Typed::Damaged
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_token_is_recognised_in_any_case_and_with_spaces_around() {
        let t = new_token().unwrap();
        assert_eq!(t.len(), TOKEN_CHARS);
        assert!(t.starts_with("DD"));
        assert_eq!(recognise(&t), Typed::Token(t.clone()));
        assert_eq!(recognise(&format!("  {}\n", t.to_lowercase())), Typed::Token(t.clone()));
    }

    #[test]
    fn every_single_wrong_character_and_neighbour_swap_is_caught() {
        let t = new_token().unwrap();
        let chars: Vec<char> = t.chars().collect();
        for i in 2..chars.len() {
            for &c in ALPHABET {
                let c = c as char;
                if c == chars[i] {
                    continue;
                }
                let mut changed = chars.clone();
                changed[i] = c;
                let s: String = changed.iter().collect();
                assert_eq!(recognise(&s), Typed::Damaged, "{s} from {t}");
            }
            let blind_spot = matches!((chars[i], chars.get(i + 1)), ('A', Some('7')) | ('7', Some('A')));
            if i + 1 < chars.len() && chars[i] != chars[i + 1] && !blind_spot {
                let mut swapped = chars.clone();
                swapped.swap(i, i + 1);
                let s: String = swapped.iter().collect();
                assert_eq!(recognise(&s), Typed::Damaged, "{s} from {t}");
            }
        }
    }

    #[test]
    fn tokens_share_nothing_but_their_prefix() {
        let tokens: Vec<String> = (0..2000).map(|_| new_token().unwrap()).collect();
        let unique: std::collections::HashSet<&String> = tokens.iter().collect();
        assert_eq!(unique.len(), tokens.len());
        // No sequential part: at every position past the prefix, the 2000 tokens use (nearly)
        // the whole alphabet. 2000 draws over 32 letters miss one with odds below 1e-20.
        for i in 2..TOKEN_CHARS - 1 {
            let seen: std::collections::HashSet<char> =
                tokens.iter().map(|t| t.chars().nth(i).unwrap()).collect();
            let expected = if i == TOKEN_CHARS - 2 { 8 } else { 32 };
            assert!(seen.len() >= expected, "position {i}: only {} letters", seen.len());
        }
    }

    #[test]
    fn names_and_old_codes_are_not_tokens() {
        assert_eq!(recognise("jea bap"), Typed::Words);
        assert_eq!(recognise("DD"), Typed::Words);
        assert_eq!(recognise("ddddddddddddddddddddddddddddd ddd"), Typed::Words);
        assert_eq!(recognise("DD0000000000000000000000000A"), Typed::Words);
        assert_eq!(recognise("DD:A12:V2"), Typed::OldBadge);
        assert_eq!(recognise("dd:a12:v2"), Typed::OldBadge);
        assert_eq!(recognise(""), Typed::Words);
    }
}
