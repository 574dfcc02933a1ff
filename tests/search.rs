//! Finding people: the folding and prefix-matching table (accents, letters that do not
//! decompose, case, hyphens, apostrophes, several words in any order, Greek, Cyrillic), the
//! order of the results, and an index that follows every change.

mod common;

use common::{desk, desk_with_capacity};
use delegate_desk::import::ImportOptions;
use delegate_desk::{AttendeeInput, Desk, Status};
use std::collections::HashSet;

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
        // The part after an apostrophe is a word too: the operator hears "Brien", "Souza".
        ("brien", "Siobhán O'Brien"),
        ("brien siob", "Siobhán O'Brien"),
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
    for q in ["lene", "ptiste", "rien", "", "   ", "--", "zzz", "hel xyz"] {
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

/// Someone on the invite list (imported), holding no seat.
fn invite(desk: &mut Desk, given: &str, family: &str, delegation: &str) {
    let csv = format!("given_name,family_name,delegation,category\n{given},{family},{delegation},Delegate\n");
    assert_eq!(desk.import(csv.as_bytes(), &ImportOptions::default()).unwrap().invited, 1);
}

/// The letters that do not decompose (ø ł ß æ đ ı þ) in either case, hyphens, straight and
/// typographic apostrophes, several words in any order, Greek and Cyrillic: each query finds
/// exactly its one person, typed as a desk operator would type it.
#[test]
fn the_folding_table_of_letters_that_do_not_decompose_and_other_scripts() {
    let (_d, _p, mut desk) = desk();
    add(&mut desk, "Bjørn", "Østergård", "Forsvaret", "Norway", "");
    add(&mut desk, "Paweł", "Łukaszewicz", "Policja", "Poland", "");
    add(&mut desk, "Jürgen", "Weiß", "Bundeswehr", "Germany", "");
    add(&mut desk, "Ægir", "Hæstad", "Kystvakten", "Faroe Islands", "");
    add(&mut desk, "Đorđe", "Đukanović", "Vojska", "Montenegro", "");
    add(&mut desk, "Yıldız", "Işıkoğlu", "Jandarma", "Turkey", "");
    add(&mut desk, "Þóra", "Þorsteinsdóttir", "Gæslan", "Iceland", "");
    add(&mut desk, "Jean-Baptiste", "Moreau", "Police nationale", "France", "");
    add(&mut desk, "Siobhán", "O\u{2019}Brien", "Coast Guard", "Ireland", "");
    add(&mut desk, "Niamh", "D'Arcy", "Naval Service", "Ireland", "");
    add(&mut desk, "Αλέξανδρος", "Παπαδόπουλος", "Λιμενικό", "Greece", "");
    add(&mut desk, "Дмитрий", "Соколов", "МЧС", "Russia", "");
    for (q, want) in [
        ("bjorn", "Bjørn Østergård"),
        ("BJØRN", "Bjørn Østergård"),
        ("oster", "Bjørn Østergård"),
        ("ØSTERGÅRD bjø", "Bjørn Østergård"),
        ("pawel", "Paweł Łukaszewicz"),
        ("LUKASZ", "Paweł Łukaszewicz"),
        ("łukaszewicz paweł", "Paweł Łukaszewicz"),
        ("weiss", "Jürgen Weiß"),
        ("weiß", "Jürgen Weiß"),
        ("WEISS jurgen", "Jürgen Weiß"),
        ("weis jür", "Jürgen Weiß"),
        ("aegir", "Ægir Hæstad"),
        ("haestad", "Ægir Hæstad"),
        ("HÆST æg", "Ægir Hæstad"),
        ("dorde", "Đorđe Đukanović"),
        ("ĐUKANOVIĆ", "Đorđe Đukanović"),
        ("dukanovic dorde", "Đorđe Đukanović"),
        ("yildiz", "Yıldız Işıkoğlu"),
        ("ISIKOGLU", "Yıldız Işıkoğlu"),
        ("ışık", "Yıldız Işıkoğlu"),
        ("Yildiz isik", "Yıldız Işıkoğlu"),
        ("thora", "Þóra Þorsteinsdóttir"),
        ("thorst", "Þóra Þorsteinsdóttir"),
        ("ÞORSTEINSDOTTIR", "Þóra Þorsteinsdóttir"),
        ("jea bap", "Jean-Baptiste Moreau"),
        ("jean-baptiste", "Jean-Baptiste Moreau"),
        ("moreau jea bap", "Jean-Baptiste Moreau"),
        ("bap moreau jea", "Jean-Baptiste Moreau"),
        ("JEAN BAPTISTE MOREAU", "Jean-Baptiste Moreau"),
        ("obrien", "Siobhán O\u{2019}Brien"),
        ("o'brien", "Siobhán O\u{2019}Brien"),
        ("O\u{2019}BRIEN", "Siobhán O\u{2019}Brien"),
        ("o`brien sio", "Siobhán O\u{2019}Brien"),
        ("darcy", "Niamh D'Arcy"),
        ("d\u{2019}arcy", "Niamh D'Arcy"),
        ("niamh d'arc", "Niamh D'Arcy"),
        ("arcy", "Niamh D'Arcy"),
        ("arcy niamh", "Niamh D'Arcy"),
        ("brien", "Siobhán O\u{2019}Brien"),
        ("αλεξ", "Αλέξανδρος Παπαδόπουλος"),
        ("ΑΛΕΞ", "Αλέξανδρος Παπαδόπουλος"),
        ("Αλέξ", "Αλέξανδρος Παπαδόπουλος"),
        ("αλεξανδρος", "Αλέξανδρος Παπαδόπουλος"),
        ("παπα αλ", "Αλέξανδρος Παπαδόπουλος"),
        ("дми", "Дмитрий Соколов"),
        ("ДМИ", "Дмитрий Соколов"),
        ("дмитрий", "Дмитрий Соколов"),
        ("ДМИТРИЙ", "Дмитрий Соколов"),
        ("соколов дмитрий", "Дмитрий Соколов"),
    ] {
        assert_eq!(names(&desk, q), [want], "{q:?}");
    }
    // Pieces from inside a word, words run together, and a word that matches nobody find
    // nobody: every word must match.
    for q in ["jeanbap", "baptiste zz", "rien", "ukasz", "lexand", "митрий", "αλεξ zzz", "ostergaard", "rcy"]
    {
        assert!(names(&desk, q).is_empty(), "{q:?} found {:?}", names(&desk, q));
    }
}

/// Greek names are often on file in capitals (from passports) and typed in lower case, or
/// the other way round: a capital sigma at the end of a word is a final "ς" in lower case,
/// so the whole name must find the person whichever way it was written.
#[test]
fn a_greek_name_in_capitals_is_found_by_its_whole_name_and_back() {
    let (_d, _p, mut desk) = desk();
    add(&mut desk, "Αλέξανδρος", "Παπαδόπουλος", "Λιμενικό", "Greece", "");
    add(&mut desk, "ΚΩΝΣΤΑΝΤΙΝΟΣ", "ΓΕΩΡΓΙΟΥ", "ΛΙΜΕΝΙΚΟ", "Cyprus", "");
    let mut missed = Vec::new();
    for (q, want) in [
        ("Παπαδόπουλος", "Αλέξανδρος Παπαδόπουλος"),
        ("ΠΑΠΑΔΟΠΟΥΛΟΣ", "Αλέξανδρος Παπαδόπουλος"),
        ("ΑΛΕΞΑΝΔΡΟΣ", "Αλέξανδρος Παπαδόπουλος"),
        ("Κωνσταντίνος", "ΚΩΝΣΤΑΝΤΙΝΟΣ ΓΕΩΡΓΙΟΥ"),
        ("κωνσταντινος γεωργιου", "ΚΩΝΣΤΑΝΤΙΝΟΣ ΓΕΩΡΓΙΟΥ"),
        // Prefixes short of the last letter work either way.
        ("ΠΑΠΑΔΟΠΟΥΛΟ", "Αλέξανδρος Παπαδόπουλος"),
        ("κωνσταντινο", "ΚΩΝΣΤΑΝΤΙΝΟΣ ΓΕΩΡΓΙΟΥ"),
    ] {
        let got = names(&desk, q);
        if got != [want] {
            missed.push(format!("{q:?} found {got:?}, not {want:?}"));
        }
    }
    assert!(missed.is_empty(), "{}", missed.join("\n"));
}

/// Another desk on the same file registers, renames, cancels and imports: this desk's next
/// search shows each change, with no restart and no refresh asked for.
#[test]
fn search_sees_another_desks_changes_at_the_next_call() {
    let (_d, path, mut desk) = desk();
    let mut other = Desk::open(&path).unwrap();
    let aaron = add(&mut desk, "Aaron", "Smith", "Ministry", "Jamaica", "");
    add(&mut desk, "Bella", "Smith", "Ministry", "Jamaica", "");
    assert_eq!(names(&desk, "smith"), ["Aaron Smith", "Bella Smith"]);
    assert!(names(&desk, "carla").is_empty());

    let carla = add(&mut other, "Carla", "Mendes", "Marinha", "Brazil", "");
    assert_eq!(names(&desk, "carla"), ["Carla Mendes"], "a registration by the other desk");

    other.edit(carla, &AttendeeInput { family_name: Some("Mendonça".into()), ..Default::default() }).unwrap();
    assert_eq!(names(&desk, "mendonca"), ["Carla Mendonça"], "a rename by the other desk");
    assert!(names(&desk, "mendes").is_empty(), "the old name is gone");
    assert_eq!(names(&desk, "carla mendon"), ["Carla Mendonça"]);

    other.cancel(aaron).unwrap();
    assert_eq!(names(&desk, "smith"), ["Bella Smith", "Aaron Smith"], "the cancelled come last");
    assert_eq!(desk.search("aaron", 5).unwrap()[0].status, Status::Cancelled);

    let mut csv = String::from("given_name,family_name,delegation,category\n");
    for n in 0..50 {
        csv.push_str(&format!("Zed{n},Importee,Belize,Delegate\n"));
    }
    other.import(csv.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(desk.search("importee", 100).unwrap().len(), 50, "an import by the other desk");
    assert_eq!(names(&desk, "zed17"), ["Zed17 Importee"]);

    // And the other way: the other desk's index, built already, follows this desk.
    assert_eq!(names(&other, "bella"), ["Bella Smith"]);
    let bella = desk.search_ids("bella", 1).unwrap()[0];
    desk.edit(bella, &AttendeeInput { given_name: Some("Isabella".into()), ..Default::default() }).unwrap();
    assert_eq!(names(&other, "isabel"), ["Isabella Smith"]);
    assert!(names(&other, "bella").is_empty());
}

/// After a restore, every desk on the file — the one that restored, one whose index is ahead
/// of the backup and one whose index is exactly at it — finds the restored people and no one
/// else, and follows the changes made after.
#[test]
fn after_a_restore_search_shows_the_restored_people() {
    let (dir, path, mut desk) = common::file_desk();
    let mut ahead = Desk::open(&path).unwrap();
    let at_backup = Desk::open(&path).unwrap();
    let ines = add(&mut desk, "Ines", "Original", "Armada", "Chile", "");
    let hugo = add(&mut desk, "Hugo", "Returning", "Armada", "Chile", "");
    let backup = dir.path().join("before.sqlite3");
    desk.backup(&backup).unwrap();
    assert_eq!(names(&at_backup, "ines"), ["Ines Original"]);

    desk.edit(ines, &AttendeeInput { family_name: Some("Renamed".into()), ..Default::default() }).unwrap();
    add(&mut desk, "Gael", "Newcomer", "Armada", "Chile", "");
    desk.cancel(hugo).unwrap();
    for d in [&desk, &ahead] {
        assert_eq!(names(d, "renamed"), ["Ines Renamed"]);
        assert_eq!(names(d, "newcomer"), ["Gael Newcomer"]);
        assert_eq!(d.search("hugo", 5).unwrap()[0].status, Status::Cancelled);
    }

    desk.restore(&backup, true).unwrap();
    for (who, d) in
        [("the restoring desk", &desk), ("a desk ahead", &ahead), ("a desk at the backup", &at_backup)]
    {
        assert!(names(d, "renamed").is_empty(), "{who}: the rename after the backup is gone");
        assert!(names(d, "newcomer").is_empty(), "{who}: the newcomer after the backup is gone");
        assert_eq!(names(d, "ines"), ["Ines Original"], "{who}");
        assert_eq!(names(d, "original"), ["Ines Original"], "{who}");
        let h = d.search("hugo", 5).unwrap();
        assert_eq!((h.len(), h[0].status), (1, Status::Registered), "{who}");
        assert_eq!(d.search("armada", 10).unwrap().len(), 2, "{who}");
    }

    // Changes after the restore are seen by every desk.
    add(&mut ahead, "Iris", "After", "Armada", "Chile", "");
    desk.edit(ines, &AttendeeInput { family_name: Some("Final".into()), ..Default::default() }).unwrap();
    for (who, d) in
        [("the restoring desk", &desk), ("a desk ahead", &ahead), ("a desk at the backup", &at_backup)]
    {
        assert_eq!(names(d, "after"), ["Iris After"], "{who}");
        assert_eq!(names(d, "ines"), ["Ines Final"], "{who}");
    }
}

/// Among equally good matches the people expected (registered, invited) come before those
/// waiting, and the cancelled come last; a better match still comes first whatever the status.
#[test]
fn the_people_expected_come_before_the_waiting_and_the_cancelled() {
    let (_d, _p, mut desk) = desk_with_capacity(3);
    add(&mut desk, "Dora", "Smith", "Ministry", "Jamaica", "");
    let abel = add(&mut desk, "Abel", "Smith", "Ministry", "Jamaica", "");
    add(&mut desk, "Eve", "Smithson", "Ministry", "Jamaica", "");
    let bruno = add(&mut desk, "Bruno", "Smith", "Ministry", "Jamaica", "");
    invite(&mut desk, "Carl", "Smith", "Jamaica");
    desk.cancel(abel).unwrap();
    assert_eq!(desk.attendee(bruno).unwrap().status, Status::Waitlisted);

    // "smith" is a whole word of four of them: status decides; "Smithson" only starts with it.
    let got = names(&desk, "smith");
    assert_eq!(got.len(), 5, "{got:?}");
    let expected: HashSet<&str> = got[..2].iter().map(String::as_str).collect();
    assert_eq!(expected, HashSet::from(["Dora Smith", "Carl Smith"]), "{got:?}");
    assert_eq!(got[2..], ["Bruno Smith", "Abel Smith", "Eve Smithson"], "{got:?}");
    // The limit keeps the best.
    assert_eq!(names_limited(&desk, "smith", 2), got[..2]);
    assert_eq!(names_limited(&desk, "smith", 4), got[..4]);

    // "s" starts a name word of all five equally: expected, waiting, cancelled.
    let got = names(&desk, "s");
    assert_eq!(got.len(), 5, "{got:?}");
    let expected: HashSet<&str> = got[..3].iter().map(String::as_str).collect();
    assert_eq!(expected, HashSet::from(["Dora Smith", "Carl Smith", "Eve Smithson"]), "{got:?}");
    assert_eq!(got[3..], ["Bruno Smith", "Abel Smith"], "{got:?}");

    // A better match wins whatever the status: the cancelled Abel is the one called Abel.
    assert_eq!(names(&desk, "abel smith"), ["Abel Smith"]);
}

fn names_limited(desk: &Desk, q: &str, limit: usize) -> Vec<String> {
    desk.search(q, limit).unwrap().into_iter().map(|a| a.fields.full_name()).collect()
}

/// A desk that stays open through thousands of changes answers from a dictionary built at one
/// moment plus the people changed since, and builds it again after enough changes: whatever
/// the mix, it finds exactly what a desk opened afresh on the same file finds, in the same
/// order — names shared by many (ties broken by name, then id), renamed people no longer
/// found by their old name, status changes moving people in the order, small and large limits.
#[test]
fn a_desk_open_through_many_changes_finds_what_a_fresh_desk_finds() {
    const GIVEN: [&str; 6] = ["Ana", "Anabel", "Marc", "Marco", "Zoë", "Jean-Luc"];
    const FAMILY: [&str; 6] = ["Côté", "Cote", "O'Brien", "Brien", "Anand", "Zola"];
    const PLACE: [&str; 4] = ["Jamaica", "Anguilla", "Marine Corps", "Brienz Office"];
    let (_d, path, mut desk) = desk_with_capacity(10_000);
    // The same words many times over (a name once in each block of 36).
    let mut csv = String::from("given_name,family_name,organization,delegation,email,category\n");
    for i in 0..300 {
        let (g, f, p) = (GIVEN[i % 6], FAMILY[i / 6 % 6], PLACE[i / 36 % 4]);
        csv.push_str(&format!("{g} {},{f},{p},{},p{i}@example.org,Delegate\n", i / 36, PLACE[(i + 1) % 4]));
    }
    assert_eq!(desk.import(csv.as_bytes(), &ImportOptions::default()).unwrap().invited, 300);
    let ids: Vec<i64> =
        desk.search_ids("a", 200).unwrap().into_iter().chain(desk.search_ids("m", 200).unwrap()).collect();
    let queries: [(&str, usize); 12] = [
        ("a", 200),
        ("a", 3),
        ("an", 20),
        ("ana", 200),
        ("cote", 200),
        ("obrien", 5),
        ("brien", 200),
        ("marc jam", 200),
        ("zo an", 200),
        ("jean luc", 7),
        ("renamed", 200),
        ("z", 1),
    ];
    // Rounds of 7, 40 and 120 changes: some stay under the rebuild, some cross it.
    let mut n = 0usize;
    for round in [7usize, 40, 120, 3, 90] {
        for k in 0..round {
            n += 1;
            let id = ids[(n * 37 + k) % ids.len()];
            match n % 5 {
                // Refused when already cancelled: nothing changes then.
                0 => {
                    let _ = desk.cancel(id);
                }
                1 => {
                    let _ = desk.reinstate(id);
                }
                2 => {
                    let input =
                        AttendeeInput { family_name: Some(format!("Renamed{n}")), ..Default::default() };
                    desk.edit(id, &input).unwrap();
                }
                3 => {
                    let given = format!("{} {n}", GIVEN[n % 6]);
                    let input = AttendeeInput { given_name: Some(given), ..Default::default() };
                    desk.edit(id, &input).unwrap();
                }
                _ => {
                    add(
                        &mut desk,
                        &format!("{} {n}", GIVEN[n % 6]),
                        FAMILY[n % 6],
                        PLACE[n % 4],
                        PLACE[(n + 2) % 4],
                        &format!("n{n}@example.org"),
                    );
                }
            }
        }
        let fresh = Desk::open(&path).unwrap();
        for (q, limit) in queries {
            assert_eq!(
                desk.search_ids(q, limit).unwrap(),
                fresh.search_ids(q, limit).unwrap(),
                "after {n} changes, {q:?} (limit {limit})"
            );
        }
    }
    assert!(!desk.search_ids("renamed", 200).unwrap().is_empty());
}
