//! How many keys the arrival desk needs: for every person of the sample invite list, the
//! fewest characters typed (a space counts) that put them first in the search, plus Enter.
//! The goal: median ≤ 4, worst ≤ 8. The distribution is printed for the README.

use delegate_desk::import::ImportOptions;
use delegate_desk::search::search_words;
use delegate_desk::Desk;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/data/invitees-sample.csv");

/// Prefixes of `word`, shortest first.
fn prefixes(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    (1..=chars.len()).map(|k| chars[..k].iter().collect()).collect()
}

/// The fewest characters that put `id` first: one prefix of a word of the name, or two
/// prefixes of two of its words separated by a space.
fn fewest(desk: &Desk, id: i64, words: &[String]) -> Option<(usize, String)> {
    let first = |q: &str| desk.search_ids(q, 1).unwrap().first() == Some(&id);
    let mut best: Option<(usize, String)> = None;
    let mut consider = |q: String| {
        let n = q.chars().count();
        if best.as_ref().is_none_or(|(b, _)| n < *b) && first(&q) {
            best = Some((n, q));
        }
    };
    for w in words {
        for p in prefixes(w) {
            consider(p);
        }
    }
    for a in words {
        for b in words.iter().filter(|b| *b != a) {
            for pa in prefixes(a).into_iter().take(5) {
                for pb in prefixes(b).into_iter().take(5) {
                    consider(format!("{pa} {pb}"));
                }
            }
        }
    }
    best
}

#[test]
fn every_sample_person_is_first_within_a_few_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::open(&dir.path().join("k.sqlite3")).unwrap();
    desk.import(&std::fs::read(SAMPLE).unwrap(), &ImportOptions::default()).unwrap();
    let people = desk.list(&Default::default()).unwrap();
    assert_eq!(people.len(), 120);
    let mut counts = Vec::new();
    let mut worst = Vec::new();
    for a in &people {
        let f = &a.fields;
        let words: Vec<String> =
            [f.given_name.as_str(), &f.family_name, f.badge_name.as_deref().unwrap_or("")]
                .iter()
                .flat_map(|s| search_words(s))
                .collect();
        let (n, q) = fewest(&desk, a.id, &words)
            .unwrap_or_else(|| panic!("{} is never first for any part of their name", a.display_name));
        counts.push(n);
        worst.push((n, q, a.display_name.clone()));
    }
    counts.sort_unstable();
    worst.sort();
    let median = counts[counts.len() / 2];
    let max = *counts.last().unwrap();
    let mut histogram = String::new();
    for k in 1..=max {
        let n = counts.iter().filter(|&&c| c == k).count();
        histogram.push_str(&format!("{k}: {n}  "));
    }
    eprintln!("keys typed to put each of {} people first (plus Enter): {histogram}", counts.len());
    eprintln!("median {median}, worst {max}; hardest: {:?}", &worst[worst.len().saturating_sub(3)..]);
    assert!(median <= 4, "median {median} keys");
    assert!(max <= 8, "worst {max} keys: {:?}", worst.last());
}
