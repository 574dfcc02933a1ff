//! The dictionary behind search: every distinct word of everyone at one moment, sorted, each
//! with the people who have it (an inverted index, in flat arrays). A query word is a prefix:
//! its words are one run of the sorted dictionary, found by binary search, and the people are
//! read from their postings — the work grows with the people who match, not with everyone.
//!
//! It is built once from everyone and then only read; people changed since are marked
//! [`Words::forget`] here and scored one by one by the index above (see `search.rs`), until
//! there are enough of them to build it again.

use std::collections::HashMap;

/// A person's words as the dictionary takes them: the words of the name and of the rest
/// (organisation, delegation, e-mail), and where the person stands among equal matches.
pub(super) struct Person<'a> {
    /// The person's id.
    pub id: i64,
    /// Words of the given, family and badge names.
    pub name: Vec<&'a str>,
    /// Words of the organisation, delegation and e-mail.
    pub other: Vec<&'a str>,
    /// Registered and invited first (see `status_rank` in `search.rs`).
    pub status_rank: u8,
}

/// One person of the dictionary: id, status rank, and place in the order among equals.
#[derive(Clone, Copy)]
struct Slot {
    id: i64,
    status_rank: u8,
    /// Place in the order of (family, given, id) of everyone at the build.
    order: u32,
    /// Changed since the build: no longer answered from here.
    forgotten: bool,
}

/// Everyone's words at one moment (see the module's documentation).
#[derive(Default)]
pub(super) struct Words {
    slots: Vec<Slot>,
    slot_of: HashMap<i64, u32>,
    /// The distinct words in sorted order, one after another.
    text: String,
    /// Where each word ends in `text` (word `w` is `text[ends[w-1]..ends[w]]`).
    ends: Vec<u32>,
    /// The postings of word `w` are `postings[starts[w]..starts[w + 1]]`: a slot, shifted left
    /// once, with 1 in the low bit when the word is in the name.
    starts: Vec<u32>,
    postings: Vec<u32>,
    forgotten: usize,
}

/// A person found in the dictionary: the score of the query and the keys of the order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Hit {
    /// The best matches first: the score, reversed.
    pub rank: std::cmp::Reverse<u32>,
    /// Then registered and invited before the others.
    pub status_rank: u8,
    /// Then by family and given name, then id.
    pub order: u32,
    /// The person.
    pub id: i64,
}

impl Words {
    /// The dictionary of `people`, given in the order of (family, given, id).
    pub fn build(people: &[Person<'_>]) -> Words {
        let mut id_of_word: HashMap<&str, u32> = HashMap::new();
        let mut distinct: Vec<&str> = Vec::new();
        // Each person's words once, the name's mark winning.
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        let mut mine: Vec<u32> = Vec::new();
        for (slot, p) in people.iter().enumerate() {
            mine.clear();
            for (words, in_name) in [(&p.name, 1), (&p.other, 0)] {
                for w in words.iter() {
                    let next = distinct.len() as u32;
                    let id = *id_of_word.entry(w).or_insert_with(|| {
                        distinct.push(w);
                        next
                    });
                    if !mine.contains(&id) {
                        mine.push(id);
                        pairs.push((id, (slot as u32) << 1 | in_name));
                    }
                }
            }
        }
        // The words sorted; each word's place in that order.
        let mut sorted: Vec<u32> = (0..distinct.len() as u32).collect();
        sorted.sort_unstable_by_key(|&w| distinct[w as usize]);
        let mut place = vec![0u32; distinct.len()];
        let mut text = String::with_capacity(distinct.iter().map(|w| w.len()).sum());
        let mut ends = Vec::with_capacity(distinct.len());
        for (i, &w) in sorted.iter().enumerate() {
            place[w as usize] = i as u32;
            text.push_str(distinct[w as usize]);
            ends.push(text.len() as u32);
        }
        // Postings grouped by word (a counting sort), in slot order within a word.
        let mut starts = vec![0u32; distinct.len() + 1];
        for &(w, _) in &pairs {
            starts[place[w as usize] as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut fill = starts.clone();
        let mut postings = vec![0u32; pairs.len()];
        for &(w, posting) in &pairs {
            let at = &mut fill[place[w as usize] as usize];
            postings[*at as usize] = posting;
            *at += 1;
        }
        let slots: Vec<Slot> = people
            .iter()
            .enumerate()
            .map(|(i, p)| Slot { id: p.id, status_rank: p.status_rank, order: i as u32, forgotten: false })
            .collect();
        let slot_of = slots.iter().enumerate().map(|(i, s)| (s.id, i as u32)).collect();
        Words { slots, slot_of, text, ends, starts, postings, forgotten: 0 }
    }

    /// The people changed (or gone) since the build.
    pub fn forgotten(&self) -> usize {
        self.forgotten
    }

    /// `id` changed or is gone: the dictionary no longer answers for them.
    pub fn forget(&mut self, id: i64) {
        if let Some(&slot) = self.slot_of.get(&id) {
            let s = &mut self.slots[slot as usize];
            if !s.forgotten {
                s.forgotten = true;
                self.forgotten += 1;
            }
        }
    }

    fn word(&self, w: usize) -> &str {
        let start = if w == 0 { 0 } else { self.ends[w - 1] as usize };
        &self.text[start..self.ends[w] as usize]
    }

    /// The best of each person's scores for one query word, per slot (0: no word of theirs
    /// starts with it): 4 a whole word of the name, 3 the start of one, 2 and 1 the same for
    /// the other words; and the slots with a score, each once.
    fn scores(&self, prefix: &str) -> (Vec<u8>, Vec<u32>) {
        let mut best = vec![0u8; self.slots.len()];
        let mut touched = Vec::new();
        // The first word not before the prefix: where the words starting with it begin.
        let (mut lo, mut hi) = (0, self.ends.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.word(mid) < prefix {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for w in lo..self.ends.len() {
            let word = self.word(w);
            if !word.starts_with(prefix) {
                break;
            }
            let whole = word.len() == prefix.len();
            for &p in &self.postings[self.starts[w] as usize..self.starts[w + 1] as usize] {
                let score = match (p & 1 == 1, whole) {
                    (true, true) => 4,
                    (true, false) => 3,
                    (false, true) => 2,
                    (false, false) => 1,
                };
                let b = &mut best[(p >> 1) as usize];
                if *b == 0 {
                    touched.push(p >> 1);
                }
                *b = (*b).max(score);
            }
        }
        (best, touched)
    }

    /// The people every one of `words` is a prefix of a word of, not forgotten, with their
    /// scores summed: the best `limit` of them in the order of [`Hit`].
    pub fn best(&self, words: &[String], limit: usize) -> Vec<Hit> {
        let mut candidates: Vec<(u32, u32)> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let (best, touched) = self.scores(w);
            if i == 0 {
                candidates = touched
                    .into_iter()
                    .filter(|&slot| !self.slots[slot as usize].forgotten)
                    .map(|slot| (slot, u32::from(best[slot as usize])))
                    .collect();
            } else {
                candidates.retain_mut(|(slot, total)| {
                    let b = best[*slot as usize];
                    *total += u32::from(b);
                    b > 0
                });
            }
            if candidates.is_empty() {
                break;
            }
        }
        let mut hits: Vec<Hit> = candidates
            .into_iter()
            .map(|(slot, total)| {
                let s = self.slots[slot as usize];
                Hit { rank: std::cmp::Reverse(total), status_rank: s.status_rank, order: s.order, id: s.id }
            })
            .collect();
        if hits.len() > limit {
            hits.select_nth_unstable(limit - 1);
            hits.truncate(limit);
        }
        hits.sort_unstable();
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The score of `prefix` for one person, word by word, as the module documents it.
    fn by_hand(p: &Person<'_>, prefix: &str) -> u32 {
        let of = |words: &[&str], whole: u32, start: u32| {
            words
                .iter()
                .map(|w| {
                    if *w == prefix {
                        whole
                    } else if w.starts_with(prefix) {
                        start
                    } else {
                        0
                    }
                })
                .max()
                .unwrap_or(0)
        };
        match of(&p.name, 4, 3) {
            0 => of(&p.other, 2, 1),
            n => n,
        }
    }

    proptest! {
        /// Whatever the words (few letters, so that they share prefixes, repeat, and stand in
        /// the name and elsewhere at once), the dictionary finds exactly the people every query
        /// word is a prefix of a word of, with the scores summed, the best first, forgotten
        /// people left out.
        #[test]
        fn the_dictionary_finds_what_comparing_everyone_finds(
            people in proptest::collection::vec(
                (proptest::collection::vec("[ab]{1,3}", 0..4), proptest::collection::vec("[ab]{1,3}", 0..3), 0u8..4),
                0..40,
            ),
            query in proptest::collection::vec("[ab]{1,2}", 1..3),
            forget in proptest::collection::vec(0usize..40, 0..5),
            limit in 1usize..50,
        ) {
            let people: Vec<Person> = people
                .iter()
                .enumerate()
                .map(|(i, (name, other, rank))| Person {
                    id: 1000 - i as i64,
                    name: name.iter().map(String::as_str).collect(),
                    other: other.iter().map(String::as_str).collect(),
                    status_rank: *rank,
                })
                .collect();
            let mut words = Words::build(&people);
            for &f in &forget {
                if let Some(p) = people.get(f) {
                    words.forget(p.id);
                }
            }
            let mut expected: Vec<Hit> = people
                .iter()
                .enumerate()
                .filter(|(i, _)| !forget.contains(i))
                .filter_map(|(i, p)| {
                    let scores: Vec<u32> = query.iter().map(|q| by_hand(p, q)).collect();
                    (!scores.contains(&0)).then(|| Hit {
                        rank: std::cmp::Reverse(scores.iter().sum()),
                        status_rank: p.status_rank,
                        order: i as u32,
                        id: p.id,
                    })
                })
                .collect();
            expected.sort_unstable();
            expected.truncate(limit);
            let got = words.best(&query, limit);
            prop_assert!(got == expected, "got {:?}, expected {:?}", got.iter().map(|h| h.id).collect::<Vec<_>>(), expected.iter().map(|h| h.id).collect::<Vec<_>>());
        }
    }
}
