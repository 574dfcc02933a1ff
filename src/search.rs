//! Finding people at the desk: every word typed is a prefix of some word of a person's given,
//! family or badge name, organisation, delegation or e-mail, in any order, with case, accents
//! and the letters that do not decompose (ø, ł, ß, æ, đ, ı, þ) folded. "jea bap" finds
//! "Jean-Baptiste", "nunez" finds "Núñez Almánzar", "obrien" finds "O'Brien".
//!
//! The folded words live in an FTS5 table kept in the same transaction as every write of an
//! attendee; a query is one indexed prefix match, then the best matches first: a word of the
//! name before a word of the organisation, a whole word before the start of one.

use crate::desk::load_attendee;
use crate::error::Result;
use crate::model::{Attendee, AttendeeFields};
use crate::text::fold;
use crate::Desk;
use rusqlite::{params, Connection};

/// The most words of a query that are used (a name and a delegation need far fewer).
pub const MAX_QUERY_WORDS: usize = 8;
/// The longest query word used, in characters.
pub const MAX_WORD_CHARS: usize = 64;
/// The most people a search returns.
pub const MAX_RESULTS: usize = 200;

/// The words of a text as search compares them: folded, apostrophes dropped ("O'Brien" is
/// "obrien"), split at anything that is not a letter or a digit ("Jean-Baptiste" is "jean"
/// and "baptiste").
pub fn search_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in fold(s).chars() {
        if matches!(c, '\'' | '\u{2019}' | '\u{02BC}' | '`' | '\u{00B4}') {
            continue;
        }
        if c.is_alphanumeric() {
            word.push(c);
        } else if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// The two indexed texts of an attendee: name words, and the other words.
fn indexed(f: &AttendeeFields) -> (String, String) {
    let name = [f.given_name.as_str(), &f.family_name, f.badge_name.as_deref().unwrap_or("")]
        .iter()
        .flat_map(|s| search_words(s))
        .collect::<Vec<_>>()
        .join(" ");
    let other = [f.organization.as_str(), &f.delegation, &f.email]
        .iter()
        .flat_map(|s| search_words(s))
        .collect::<Vec<_>>()
        .join(" ");
    (name, other)
}

/// Index (or index again) attendee `id`'s words; called by every write of an attendee.
pub(crate) fn index(conn: &Connection, id: i64, f: &AttendeeFields) -> Result<()> {
    let (name, other) = indexed(f);
    conn.prepare_cached("DELETE FROM attendee_words WHERE rowid = ?1")?.execute([id])?;
    conn.prepare_cached("INSERT INTO attendee_words (rowid, name, other) VALUES (?1, ?2, ?3)")?
        .execute(params![id, name, other])?;
    Ok(())
}

/// Index everyone on file: the migration that creates the index (schema 6) runs it.
pub(crate) fn index_all(tx: &rusqlite::Transaction) -> Result<()> {
    let ids: Vec<i64> = tx
        .prepare("SELECT id FROM attendee")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in ids {
        let a = load_attendee(tx, id)?;
        index(tx, id, &a.fields)?;
    }
    Ok(())
}

/// How well a person matches the query words: per word, 4 for a whole word of the name, 3 for
/// the start of one, 2 and 1 for the other words.
fn score(words: &[String], a: &Attendee) -> u32 {
    let (name, other) = indexed(&a.fields);
    let best = |w: &str| {
        let in_words = |text: &str, whole: u32, start: u32| {
            text.split(' ')
                .map(|x| {
                    if x == w {
                        whole
                    } else if x.starts_with(w) {
                        start
                    } else {
                        0
                    }
                })
                .max()
                .unwrap_or(0)
        };
        in_words(&name, 4, 3).max(in_words(&other, 2, 1))
    };
    words.iter().map(|w| best(w)).sum()
}

impl Desk {
    /// The people matching `query` (every word a prefix of a word of theirs, any order), best
    /// first, at most `limit` (and [`MAX_RESULTS`]). An empty query finds nobody.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<Attendee>> {
        let mut words: Vec<String> = search_words(query)
            .into_iter()
            .map(|w| w.chars().take(MAX_WORD_CHARS).collect())
            .take(MAX_QUERY_WORDS)
            .collect();
        words.dedup();
        let limit = limit.clamp(1, MAX_RESULTS);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        // Each word quoted (they hold only letters and digits) and marked as a prefix.
        let matching = words.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" ");
        let ids: Vec<i64> = self
            .conn
            .prepare_cached(
                "SELECT rowid FROM attendee_words WHERE attendee_words MATCH ?1
                 ORDER BY bm25(attendee_words, 4.0, 1.0), rowid LIMIT ?2",
            )?
            .query_map(params![matching, (limit * 4) as i64], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut found =
            ids.into_iter().map(|id| load_attendee(&self.conn, id)).collect::<Result<Vec<_>>>()?;
        found.sort_by_cached_key(|a| {
            (
                std::cmp::Reverse(score(&words, a)),
                fold(&a.fields.family_name),
                fold(&a.fields.given_name),
                a.id,
            )
        });
        found.truncate(limit);
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_as_search_sees_them() {
        assert_eq!(search_words("Jean-Baptiste O'Brien"), ["jean", "baptiste", "obrien"]);
        assert_eq!(search_words("Núñez Almánzar"), ["nunez", "almanzar"]);
        assert_eq!(search_words("p.dupre@example.org"), ["p", "dupre", "example", "org"]);
        assert_eq!(search_words("Łódź Søren Straße Þór"), ["lodz", "soren", "strasse", "thor"]);
        assert_eq!(search_words("  ,;-- "), Vec::<String>::new());
    }
}
