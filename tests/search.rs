//! Finding people: the folding and prefix-matching table (accents, letters that do not
//! decompose, case, hyphens, apostrophes, several words in any order, Greek, Cyrillic), the
//! order of the results, and an index that follows every change.

mod common;

use common::desk;
use delegate_desk::{AttendeeInput, Desk};

fn add(desk: &mut Desk, given: &str, family: &str, org: &str, delegation: &str, email: &str) -> i64 {
    let input = AttendeeInput {
        given_name: Some(given.into()),
        family_name: Some(family.into()),
        organization: Some(org.into()),
        delegation: Some(delegation.into()),
        email: Some(email.into()),
        category: Some("delegate".into()),
        ..Default::default()
    };
    desk.register(&input).unwrap().attendee.id
}

fn names(desk: &Desk, q: &str) -> Vec<String> {
    desk.search(q, 50).unwrap().into_iter().map(|a| a.fields.full_name()).collect()
}

/// Every word typed is the start of some word of the person, in any order, whatever the
/// case, accents, apostrophes and hyphens — and a piece from the middle of a word is not.
#[test]
fn the_folding_and_prefix_table() {
    let (_d, _p, mut desk) = desk();
    add(&mut desk, "Jean-Baptiste", "Moreau", "Police nationale", "France", "jb.moreau@example.fr");
    add(&mut desk, "Rosa", "Núñez Almánzar", "Fuerzas Armadas", "Dominican Republic", "");
    add(&mut desk, "Siobhán", "O'Brien", "Coast Guard", "Ireland", "");
    add(&mut desk, "Søren", "Ærøskøbing", "Forsvaret", "Denmark", "");
    add(&mut desk, "Łukasz", "Straße", "Policja", "Poland", "");
    add(&mut desk, "Αλέξανδρος", "Παπαδόπουλος", "Λιμενικό", "Greece", "");
    add(&mut desk, "Мария", "Иванова", "МЧС", "Russia", "");
    add(&mut desk, "Hélène", "Dupré", "Sécurité civile", "Haiti", "helene.dupre@example.ht");
    for (q, want) in [
        ("jea bap", "Jean-Baptiste Moreau"),
        ("BAPTISTE jean", "Jean-Baptiste Moreau"),
        ("nunez", "Rosa Núñez Almánzar"),
        ("almanzar rosa", "Rosa Núñez Almánzar"),
        ("obrien", "Siobhán O'Brien"),
        ("o'brien", "Siobhán O'Brien"),
        ("siobhan", "Siobhán O'Brien"),
        ("soren aero", "Søren Ærøskøbing"),
        ("lukasz strasse", "Łukasz Straße"),
        ("αλεξ", "Αλέξανδρος Παπαδόπουλος"),
        ("παπαδοπ", "Αλέξανδρος Παπαδόπουλος"),
        ("мари", "Мария Иванова"),
        ("ИВАН", "Мария Иванова"),
        ("dup hel", "Hélène Dupré"),
        ("securite", "Hélène Dupré"),
        ("haiti", "Hélène Dupré"),
        ("helene.dupre", "Hélène Dupré"),
        ("jb", "Jean-Baptiste Moreau"),
    ] {
        assert_eq!(names(&desk, q), [want], "{q:?}");
    }
    for q in ["lene", "ptiste", "brien", "", "   ", "--", "zzz", "hel xyz"] {
        assert!(names(&desk, q).is_empty(), "{q:?} found {:?}", names(&desk, q));
    }
}

/// A name that matches comes before an organisation that does, and a whole word before the
/// start of one.
#[test]
fn best_matches_first() {
    let (_d, _p, mut desk) = desk();
    add(&mut desk, "Ana", "Haiti-Lopez", "Ministry", "Jamaica", "");
    add(&mut desk, "Bob", "Stone", "Haiti Coast Guard", "Haiti", "");
    add(&mut desk, "Cy", "Haitian", "Ministry", "Belize", "");
    assert_eq!(names(&desk, "haiti"), ["Ana Haiti-Lopez", "Cy Haitian", "Bob Stone"]);
}

/// The index follows edits, and a hostile or huge query is bounded.
#[test]
fn the_index_follows_every_change_and_queries_are_bounded() {
    let (_d, _p, mut desk) = desk();
    let id = add(&mut desk, "Marc", "Côté", "Forces armées", "Canada", "");
    desk.edit(id, &AttendeeInput { family_name: Some("Tremblay".into()), ..Default::default() }).unwrap();
    assert_eq!(names(&desk, "tremb"), ["Marc Tremblay"]);
    assert!(names(&desk, "cote").is_empty());
    desk.cancel(id).unwrap();
    assert_eq!(names(&desk, "marc"), ["Marc Tremblay"], "cancelled people are found too");
    for q in ["\"", "* OR x", "NEAR(a b)", "a AND", "^", &"x ".repeat(10_000), &"é".repeat(100_000)] {
        desk.search(q, 10).unwrap();
    }
    assert_eq!(desk.search("marc", 0).unwrap().len(), 1, "a limit of 0 still gives the best match");
}
