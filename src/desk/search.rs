//! Finding people at the desk: every word typed is a prefix of some word of a person's given,
//! family or badge name, organisation, delegation or e-mail, in any order, with case, accents
//! and the letters that do not decompose (ø, ł, ß, æ, đ, ı, þ) folded. "jea bap" finds
//! "Jean-Baptiste", "nunez" finds "Núñez Almánzar", "obrien" finds "O'Brien".
//!
//! Each desk keeps everyone's folded words in memory ([`SearchIndex`]), brought up to date from
//! the audit trail before every search, so a query reads no row but the people it returns.
//! Best matches first: a word of the name before a word of the organisation, a whole word
//! before the start of one; then the people expected (registered, invited) before those
//! waiting or cancelled; then by family and given name.

use crate::error::Result;
use crate::model::Attendee;
use crate::params;
use crate::store::db::{Db, Row};
use crate::store::records::load_attendee;
use crate::text::fold;
use crate::Desk;
use memchr::memmem::Finder;
use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};
use words::{Person, Words};

mod words;

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
        // `fold` writes every apostrophe (’, ʼ, ´) as '.
        if matches!(c, '\'' | '`') {
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

/// One person as search sees them.
struct Entry {
    id: i64,
    /// Words of the given, family and badge names, each behind a space, with one after the
    /// last (" jean baptiste obrien "): a prefix of a word is a search for " " + the prefix.
    name: String,
    /// Words of the organisation, delegation and e-mail, the same way.
    other: String,
    /// Registered and invited people before those waiting, then the cancelled.
    status_rank: u8,
    /// Folded family then given name: the order among equally good matches.
    order: (String, String),
}

/// The words a person is found by: each word as typed whole ("D'Souza" is "dsouza") and, for
/// a word with an apostrophe, its parts too ("d", "souza"): "souza" or "neil" found nobody,
/// and Enter then offered a walk-in for a delegate on the list.
fn index_words(s: &str) -> Vec<String> {
    let mut words = search_words(s);
    let folded = fold(s);
    if folded.contains(['\'', '`']) {
        words.extend(search_words(&folded.replace(['\'', '`'], " ")));
    }
    words
}

fn words_of(parts: &[&str]) -> String {
    let mut words: Vec<String> = parts.iter().flat_map(|s| index_words(s)).collect();
    words.sort();
    words.dedup();
    let mut out = String::from(" ");
    for w in words {
        out.push_str(&w);
        out.push(' ');
    }
    out
}

fn status_rank(status: &str) -> u8 {
    match status {
        "registered" => 0,
        "invited" => 1,
        "waitlisted" => 2,
        _ => 3,
    }
}

const ENTRY_SELECT: &str =
    "SELECT id, given_name, family_name, coalesce(badge_name, ''), organization, delegation, email, status
     FROM attendee";

fn entry_from_row(r: &Row) -> Result<Entry> {
    let text = |i: usize| r.get::<String>(i);
    let (given, family, badge) = (text(1)?, text(2)?, text(3)?);
    Ok(Entry {
        id: r.get(0)?,
        name: words_of(&[&given, &family, &badge]),
        other: words_of(&[&text(4)?, &text(5)?, &text(6)?]),
        status_rank: status_rank(&text(7)?),
        order: (fold(&family), fold(&given)),
    })
}

/// The folded words of everyone on file, kept in memory by each [`Desk`] and brought up to
/// date before every search from the audit trail: every change of an attendee writes an
/// audit row in its own transaction, so the rows after the last one seen name exactly the
/// people to read again. When that last row is gone or different (a restore replaced the
/// database) everything is read again.
///
/// A query is answered from a dictionary of everyone's words built at one moment
/// ([`words`]: the work grows with the people who match), plus the people changed since,
/// compared one by one; when they are more than [`REBUILD_AFTER`] (and a 32nd of everyone),
/// the dictionary is built again.
#[derive(Default)]
pub struct SearchIndex {
    /// The audit row the index is up to date with: its id and time.
    upto: Option<(i64, String)>,
    entries: HashMap<i64, Entry>,
    /// Everyone's words at the last build.
    words: Words,
    /// The people on file the dictionary does not answer for (added or changed since).
    changed: HashSet<i64>,
    /// On a server roster, everyone as last read (see [`super::last_read`]).
    last_read: Option<super::last_read::LastRead>,
}

/// How many people changed since the dictionary was built, at least, before it is built again.
pub const REBUILD_AFTER: usize = 64;

/// What changed since the audit row a reader saw last.
pub(crate) enum Changed {
    /// Nothing.
    Nothing,
    /// These people (and perhaps the event).
    These(Vec<i64>),
    /// Anything: read everyone again (the first time, or the database was replaced).
    Everyone,
}

impl SearchIndex {
    /// Bring the index up to date; the newest audit row's id (0 when there is none).
    fn refresh(&mut self, db: &Db) -> Result<i64> {
        let last: (i64, String) = db
            .query_opt("SELECT id, at FROM audit ORDER BY id DESC LIMIT 1", params![], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .unwrap_or((0, String::new()));
        let changed = match &self.upto {
            Some(seen) if *seen == last => Changed::Nothing,
            Some((id, at))
                if *id < last.0
                    && db
                        .query_opt("SELECT at FROM audit WHERE id = ?1", params![id], |r| r.get::<String>(0))?
                        .as_ref()
                        == Some(at) =>
            {
                Changed::These(db.query_map(
                    "SELECT DISTINCT attendee_id FROM audit WHERE id > ?1 AND attendee_id IS NOT NULL",
                    params![id],
                    |r| r.get(0),
                )?)
            }
            _ => Changed::Everyone,
        };
        match &changed {
            Changed::Nothing => {}
            Changed::These(ids) => {
                let one = format!("{ENTRY_SELECT} WHERE id = ?1");
                for &id in ids {
                    self.words.forget(id);
                    match db.query_opt(&one, params![id], entry_from_row)? {
                        Some(e) => {
                            self.entries.insert(id, e);
                            self.changed.insert(id);
                        }
                        None => {
                            self.entries.remove(&id);
                            self.changed.remove(&id);
                        }
                    };
                }
                if self.changed.len().max(self.words.forgotten()) > REBUILD_AFTER + self.entries.len() / 32 {
                    self.build();
                }
            }
            Changed::Everyone => {
                self.entries = db
                    .query_map(ENTRY_SELECT, params![], entry_from_row)?
                    .into_iter()
                    .map(|e| (e.id, e))
                    .collect();
                self.build();
            }
        }
        if db.is_server() {
            self.last_read.get_or_insert_with(Default::default).follow(db, &changed)?;
        }
        let revision = last.0;
        self.upto = Some(last);
        Ok(revision)
    }

    /// Build the dictionary of everyone's words again; nobody is left to compare one by one.
    fn build(&mut self) {
        let mut everyone: Vec<&Entry> = self.entries.values().collect();
        everyone.sort_unstable_by(|a, b| (&a.order, a.id).cmp(&(&b.order, b.id)));
        let people: Vec<Person> = everyone
            .iter()
            .map(|e| Person {
                id: e.id,
                name: e.name.split(' ').filter(|w| !w.is_empty()).collect(),
                other: e.other.split(' ').filter(|w| !w.is_empty()).collect(),
                status_rank: e.status_rank,
            })
            .collect();
        self.words = Words::build(&people);
        self.changed.clear();
    }

    /// Everyone as this desk last read them from the server, once it has read them.
    pub(crate) fn last_read(&self) -> Option<&super::last_read::LastRead> {
        self.last_read.as_ref().filter(|l| l.is_read())
    }

    /// The ids of the people matching `query` in the index as it is, best first, at most
    /// `limit` (and [`MAX_RESULTS`]).
    pub(crate) fn matching(&self, query: &str, limit: usize) -> Vec<i64> {
        let words = query_words(query);
        let limit = limit.clamp(1, MAX_RESULTS);
        if words.is_empty() {
            return Vec::new();
        }
        // The dictionary's best, then the people changed since it was built, compared one by one.
        let mut found: Vec<(Reverse<u32>, &Entry)> = self
            .words
            .best(&words, limit)
            .into_iter()
            .filter_map(|hit| self.entries.get(&hit.id).map(|e| (hit.rank, e)))
            .collect();
        if !self.changed.is_empty() {
            let patterns: Vec<Finder> =
                words.iter().map(|w| Finder::new(&format!(" {w}")).into_owned()).collect();
            found.extend(
                self.changed
                    .iter()
                    .filter_map(|id| self.entries.get(id))
                    .filter_map(|e| score(&patterns, e).map(|s| (Reverse(s), e))),
            );
        }
        fn by_rank(a: &(Reverse<u32>, &Entry), b: &(Reverse<u32>, &Entry)) -> std::cmp::Ordering {
            (a.0, a.1.status_rank, &a.1.order, a.1.id).cmp(&(b.0, b.1.status_rank, &b.1.order, b.1.id))
        }
        if found.len() > limit {
            found.select_nth_unstable_by(limit - 1, by_rank);
            found.truncate(limit);
        }
        found.sort_unstable_by(by_rank);
        found.into_iter().map(|(_, e)| e.id).collect()
    }

    /// Forget everything: the next search reads everyone again (after a restore).
    pub(crate) fn reset(&mut self) {
        *self = SearchIndex::default();
    }
}

/// How well a person matches the query words (`patterns`: finders of each word behind a
/// space, built once per query): per
/// word, 4 for a whole word of the name, 3 for the start of one, 2 and 1 for the other words;
/// `None` when a word matches nothing.
fn score(patterns: &[Finder], e: &Entry) -> Option<u32> {
    let mut total = 0;
    for p in patterns {
        let in_words = |text: &str, whole: u32, start: u32| {
            let mut best = 0;
            for at in p.find_iter(text.as_bytes()) {
                if text.as_bytes().get(at + p.needle().len()) == Some(&b' ') {
                    return whole;
                }
                best = start;
            }
            best
        };
        let best = match in_words(&e.name, 4, 3) {
            0 => in_words(&e.other, 2, 1),
            n => n,
        };
        if best == 0 {
            return None;
        }
        total += best;
    }
    Some(total)
}

/// The query as search uses it: its folded words, each at most [`MAX_WORD_CHARS`], at most
/// [`MAX_QUERY_WORDS`], each once.
pub fn query_words(query: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for w in search_words(query) {
        let w: String = w.chars().take(MAX_WORD_CHARS).collect();
        if !words.contains(&w) {
            words.push(w);
        }
        if words.len() == MAX_QUERY_WORDS {
            break;
        }
    }
    words
}

impl Desk {
    /// The ids of the people matching `query` (every word a prefix of a word of theirs, any
    /// order), best first, at most `limit` (and [`MAX_RESULTS`]). An empty query finds nobody.
    pub fn search_ids(&self, query: &str, limit: usize) -> Result<Vec<i64>> {
        if query_words(query).is_empty() {
            return Ok(Vec::new());
        }
        let mut index = self.search_index.borrow_mut();
        index.refresh(&self.db)?;
        Ok(index.matching(query, limit))
    }

    /// Reads everyone's words into memory now, so that the first keystroke at the desk does not
    /// wait for it (the window calls this when it opens the database).
    pub fn warm_search(&self) -> Result<()> {
        self.follow().map(|_| ())
    }

    /// Read what other desks changed since the last look: the search words, and on a server
    /// roster the copy kept for when the server cannot be reached. On a server roster the
    /// window's poll ([`Desk::revision`]) does this every time. Returns the newest audit row's
    /// id, as [`Desk::revision`].
    pub fn follow(&self) -> Result<i64> {
        self.search_index.borrow_mut().refresh(&self.db)
    }

    /// The people matching `query`, best first: [`Desk::search_ids`] with each person read.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<Attendee>> {
        self.search_ids(query, limit)?.into_iter().map(|id| load_attendee(&self.db, id)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_as_search_sees_them() {
        assert_eq!(search_words("Jean-Baptiste O'Brien"), ["jean", "baptiste", "obrien"]);
        for typed in ["O’Brien", "Oʼbrien", "O´Brien", "O`Brien"] {
            assert_eq!(search_words(typed), ["obrien"], "{typed}");
        }
        assert_eq!(search_words("Núñez Almánzar"), ["nunez", "almanzar"]);
        assert_eq!(search_words("p.dupre@example.org"), ["p", "dupre", "example", "org"]);
        assert_eq!(search_words("Łódź Søren Straße Þór"), ["lodz", "soren", "strasse", "thor"]);
        assert_eq!(search_words("  ,;-- "), Vec::<String>::new());
    }
}
