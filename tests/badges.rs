//! Badges read the way a person reads them: the text `pdftotext` extracts, the fonts `pdffonts`
//! lists, the pages `pdfinfo` counts, and the QR code `zbarimg` decodes from a rendered page
//! (Debian: poppler-utils, zbar-tools).

mod common;

use common::{desk, desk_with_capacity, nth};
use delegate_desk::badge::{layout, BadgeContent, PRESETS};
use delegate_desk::printing::{BadgeRequest, BadgeSelection};
use delegate_desk::{AttendeeInput, Desk, Error};
use std::path::Path;
use std::process::Command;

/// The names the badge issue names, split as people give them, and a 60-character name.
const NAMES: &[(&str, &str)] = &[
    ("Hélène", "Dupré-Bâtard"),
    ("Marc-André", "Côté"),
    ("IJsbrand", "van 't Hof"),
    ("Siân", "Ó Súilleabháin"),
    ("Begoña", "Núñez Almánzar"),
    ("Łukasz", "Żółć"),
    ("Jean-Baptiste", "Ngô"),
    ("Zoë", "O'Brien-Ísleifsdóttir"),
    ("Αλέξανδρος", "Παπαδόπουλος"),
    ("Мария", "Иванова"),
    ("Maximiliano Alejandro Bartholomew", "Montgomery-Fitzwilliam Ros"),
];

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("{name} is needed to read PDFs as a person would ({e}); install poppler-utils and zbar-tools")
    });
    assert!(out.status.success(), "{name} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn register_names(desk: &mut Desk) -> Vec<i64> {
    NAMES
        .iter()
        .enumerate()
        .map(|(i, (g, f))| {
            let input = AttendeeInput {
                given_name: Some(g.to_string()),
                family_name: Some(f.to_string()),
                delegation: Some("Jamaica".into()),
                category: Some("delegate".into()),
                email: Some(format!("p{i}@example.org")),
                ..Default::default()
            };
            desk.register(&input).unwrap().attendee.id
        })
        .collect()
}

fn request(selection: BadgeSelection, preset: &str) -> BadgeRequest {
    BadgeRequest { selection, preset: preset.into(), reason: None, note: None }
}

/// Every word `pdftotext -bbox` finds on page `page` (1-based): the text and its box in points,
/// from the page's top-left corner: (text, x_min, y_min, x_max, y_max).
fn word_boxes(pdf: &Path, page: usize) -> Vec<(String, f32, f32, f32, f32)> {
    let n = page.to_string();
    let html = tool("pdftotext", &["-bbox", "-f", &n, "-l", &n, pdf.to_str().unwrap(), "-"]);
    html.split("<word ")
        .skip(1)
        .map(|w| {
            let attr = |name: &str| -> f32 {
                let start = w.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                w[start..].split('"').next().unwrap().parse().unwrap()
            };
            let text = w.split('>').nth(1).unwrap().split('<').next().unwrap().to_string();
            (text, attr("xMin"), attr("yMin"), attr("xMax"), attr("yMax"))
        })
        .collect()
}

fn pages(pdf: &Path) -> usize {
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

#[test]
fn every_name_prints_exactly_on_every_stock_with_the_font_embedded_and_subset() {
    let (dir, _p, mut desk) = desk();
    register_names(&mut desk);
    assert_eq!(NAMES[10].0.chars().count() + 1 + NAMES[10].1.chars().count(), 60);
    for preset in PRESETS {
        let pdf = dir.path().join(format!("{}.pdf", preset.name));
        let req = BadgeRequest {
            reason: Some("other".into()),
            ..request(BadgeSelection::AllRegistered, preset.name)
        };
        let out = desk.print_badges(&req, &pdf).unwrap();
        assert_eq!(out.badges, NAMES.len());
        assert_eq!(pages(&pdf), NAMES.len().div_ceil(preset.per_page()), "{}", preset.name);
        assert_eq!(out.pages, pages(&pdf));
        let text = words(&tool("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]));
        for (g, f) in NAMES {
            assert!(text.contains(&format!("{g} {f}")), "{}: {g} {f} is not in the PDF text", preset.name);
        }
        assert!(text.contains("Caribbean Nations Security Conference (CANSEC) 2019"));
        assert!(text.contains("DELEGATE"), "the category word is printed in the band");
        assert!(text.contains("All days · 14–15 Nov"), "{}", preset.name);
        let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert_eq!(rows.len(), 2, "{fonts}");
        for row in rows {
            assert!(row.contains("DejaVuSans"), "{row}");
            let cols: Vec<&str> = row.split_whitespace().collect();
            assert_eq!(
                cols[cols.len() - 5..cols.len() - 2],
                ["yes", "yes", "yes"],
                "embedded, subset, unicode: {row}"
            );
        }
    }
}

#[test]
fn the_qr_code_carries_a_token_that_the_reprint_revokes() {
    use delegate_desk::checkin::Arrival;
    let (dir, _p, mut desk) = desk();
    let id = desk.register(&nth(1)).unwrap().attendee.id;
    let first = dir.path().join("first.pdf");
    desk.print_badges(&request(BadgeSelection::Ids(vec![id]), "insert-4x3"), &first).unwrap();
    let again = dir.path().join("again.pdf");
    let req = BadgeRequest { reason: Some("lost".into()), ..request(BadgeSelection::Ids(vec![id]), "cr80") };
    desk.print_badges(&req, &again).unwrap();
    let mut codes = Vec::new();
    for (pdf, version) in [(&first, 1), (&again, 2)] {
        let png = dir.path().join(format!("page-{version}"));
        tool("pdftoppm", &["-png", "-r", "200", "-singlefile", pdf.to_str().unwrap(), png.to_str().unwrap()]);
        let decoded = tool("zbarimg", &["-q", "--raw", &format!("{}.png", png.display())]).trim().to_string();
        assert_eq!(decoded.len(), 29, "{decoded}");
        assert_eq!(
            delegate_desk::token::recognise(&decoded),
            delegate_desk::token::Typed::Token(decoded.clone())
        );
        assert!(tool("pdftotext", &[pdf.to_str().unwrap(), "-"]).contains(&format!("Badge v{version}")));
        codes.push(decoded);
    }
    assert_ne!(codes[0], codes[1]);
    let old = desk.scan(&codes[0], Some(1)).unwrap();
    assert_eq!(old.result, Arrival::ReplacedBadge, "{}", old.message);
    assert!(old.message.contains("the current badge is version 2"), "{}", old.message);
    assert!(old.message.contains("(lost)"), "{}", old.message);
    assert!(old.card.checkin.is_none());
    let current = desk.scan(&codes[1], Some(1)).unwrap();
    assert_eq!(current.result, Arrival::CheckedIn, "{}", current.message);
    assert_eq!(current.card.attendee.id, id);
}

/// A batch's QR codes are encoded side by side on every processor: each page must still carry
/// the code of the person printed on it — scanned at the door, any other code would check in
/// someone else. Eleven people, one per page, each page's code scanned back to its name.
#[test]
fn in_a_batch_every_badge_carries_its_own_persons_code() {
    let (dir, _p, mut desk) = desk();
    let ids: Vec<i64> = (1..=11).map(|i| desk.register(&nth(i)).unwrap().attendee.id).collect();
    let pdf = dir.path().join("batch.pdf");
    desk.print_badges(&request(BadgeSelection::Ids(ids.clone()), "insert-4x3"), &pdf).unwrap();
    assert_eq!(pages(&pdf), 11);
    let mut scanned = Vec::new();
    for page in 1..=11 {
        let png = dir.path().join(format!("batch-{page}"));
        let n = page.to_string();
        tool(
            "pdftoppm",
            &[
                "-png",
                "-r",
                "150",
                "-f",
                &n,
                "-l",
                &n,
                "-singlefile",
                pdf.to_str().unwrap(),
                png.to_str().unwrap(),
            ],
        );
        let code = tool("zbarimg", &["-q", "--raw", &format!("{}.png", png.display())]).trim().to_string();
        let text = words(&tool("pdftotext", &["-f", &n, "-l", &n, pdf.to_str().unwrap(), "-"]));
        let holder = desk.scan(&code, Some(1)).unwrap().card.attendee;
        assert!(
            text.contains(&holder.display_name),
            "page {page} shows {text:?} but its code is {}'s",
            holder.display_name
        );
        scanned.push(holder.id);
    }
    scanned.sort_unstable();
    assert_eq!(scanned, ids, "every person once");
}

#[test]
fn a_reprint_needs_a_reason_and_takes_the_next_version() {
    let (dir, _p, mut desk) = desk();
    let id = desk.register(&nth(1)).unwrap().attendee.id;
    let pdf = dir.path().join("b.pdf");
    desk.print_badges(&request(BadgeSelection::Ids(vec![id]), "a6-portrait"), &pdf).unwrap();
    let pre = desk.badge_preflight(&request(BadgeSelection::Ids(vec![id]), "a6-portrait")).unwrap();
    assert_eq!((pre.badges[0].version, pre.badges[0].reprint, pre.reprints), (2, true, 1));
    let pdf = dir.path().join("b2.pdf");
    let e = desk.print_badges(&request(BadgeSelection::Ids(vec![id]), "a6-portrait"), &pdf).unwrap_err();
    assert_eq!(e.field(), Some("reason"));
    assert!(e.to_string().contains("already printed for Col. Given1 Family1 (version 1)"), "{e}");
    let bad = BadgeRequest {
        reason: Some("spilled coffee".into()),
        ..request(BadgeSelection::Ids(vec![id]), "a6-portrait")
    };
    assert_eq!(desk.print_badges(&bad, &pdf).unwrap_err().field(), Some("reason"));
    let ok = BadgeRequest {
        reason: Some("Damaged".into()),
        note: Some("rain".into()),
        ..request(BadgeSelection::Ids(vec![id]), "a6-portrait")
    };
    desk.print_badges(&ok, &pdf).unwrap();
    let h = desk.badge_history(id).unwrap();
    let seen: Vec<(u32, &str, &str)> =
        h.iter().map(|p| (p.version, p.reason.as_str(), p.note.as_str())).collect();
    assert_eq!(seen, [(1, "first", ""), (2, "damaged", "rain")]);
    assert!(h.iter().all(|p| p.operator == "desk" && p.preset == "a6-portrait"));
}

/// A reprint named to a folder (or a named pipe) is refused before anything is recorded: the
/// badge in the person's hand still opens the door. Before, the new version was recorded and
/// the old badge revoked, and only then could the PDF not be given its name.
#[test]
fn a_reprint_to_a_folder_or_a_pipe_records_nothing_and_the_badge_in_hand_still_works() {
    let (dir, _p, mut desk) = desk();
    let id = desk.register(&nth(1)).unwrap().attendee.id;
    let first = dir.path().join("first.pdf");
    desk.print_badges(&request(BadgeSelection::Ids(vec![id]), "insert-4x3"), &first).unwrap();
    let folder = dir.path().join("again.pdf");
    std::fs::create_dir(&folder).unwrap();
    let pipe = dir.path().join("pipe.pdf");
    assert!(Command::new("mkfifo").arg(&pipe).status().unwrap().success());
    let req = BadgeRequest { reason: Some("lost".into()), ..request(BadgeSelection::Ids(vec![id]), "cr80") };
    for (out, what) in [(&folder, "is a folder"), (&pipe, "is not a regular file")] {
        let e = desk.print_badges(&req, out).unwrap_err();
        assert_eq!(e.field(), Some("output"), "{e}");
        assert!(e.to_string().contains(what) && e.to_string().contains("nothing was written"), "{e}");
    }
    assert_eq!(desk.badge_history(id).unwrap().len(), 1, "no second version recorded");
    assert!(std::fs::read_dir(&folder).unwrap().next().is_none());
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains(".tmp") || n.starts_with('.')),
        "no staged file left: {names:?}"
    );
    let png = dir.path().join("page");
    tool("pdftoppm", &["-png", "-r", "200", "-singlefile", first.to_str().unwrap(), png.to_str().unwrap()]);
    let code = tool("zbarimg", &["-q", "--raw", &format!("{}.png", png.display())]).trim().to_string();
    let scanned = desk.scan(&code, Some(1)).unwrap();
    assert_eq!(scanned.result, delegate_desk::checkin::Arrival::CheckedIn, "{}", scanned.message);
}

/// Badges are never written over a file that holds something: a backup, another event's
/// database, or a batch already recorded as printed. Refused before anything is recorded, the
/// file byte-identical and the badge in hand still in force; an empty file (a reserved name)
/// is written into.
#[test]
fn badges_never_write_over_a_file_that_holds_something() {
    let (dir, _p, mut desk) = desk();
    let ids: Vec<i64> = (1..=3).map(|i| desk.register(&nth(i)).unwrap().attendee.id).collect();
    let batch = dir.path().join("batch.pdf");
    desk.print_badges(&request(BadgeSelection::NotPrinted, "insert-4x3"), &batch).unwrap();
    // Another event's database (or a backup): an SQLite file that holds something.
    let backup = dir.path().join("backup.sqlite3");
    rusqlite::Connection::open(&backup)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let link = dir.path().join("link.pdf");
    std::os::unix::fs::symlink(dir.path().join("elsewhere.pdf"), &link).unwrap();
    let reprint =
        BadgeRequest { reason: Some("lost".into()), ..request(BadgeSelection::Ids(vec![ids[0]]), "cr80") };
    for (out, what) in
        [(&batch, "already exists"), (&backup, "already exists"), (&link, "is a symbolic link")]
    {
        let before = std::fs::read(out).ok();
        let e = desk.print_badges(&reprint, out).unwrap_err();
        assert_eq!(e.field(), Some("output"), "{e}");
        assert!(e.to_string().contains(what) && e.to_string().contains("nothing was written"), "{e}");
        assert_eq!(std::fs::read(out).ok(), before, "{} is as it was", out.display());
    }
    assert!(!dir.path().join("elsewhere.pdf").exists(), "nothing was written through the link");
    assert_eq!(desk.badge_history(ids[0]).unwrap().len(), 1, "no new version: the badge in hand still works");
    assert_eq!(pages(&batch), 3, "the batch is whole");
    let empty = dir.path().join("empty.pdf");
    std::fs::write(&empty, b"").unwrap();
    desk.print_badges(&reprint, &empty).unwrap();
    assert_eq!((pages(&empty), desk.badge_history(ids[0]).unwrap().len()), (1, 2));
}

/// A PDF that cannot be given its name records nothing, even sent with a request id (as the
/// window sends every change). Before, the new version was committed first: the failed write
/// was then answered from the stored request as a success, and the badge in hand was revoked
/// for a PDF that did not exist. (A name longer than a file name may be: nothing is there to
/// check, and only the final rename fails.)
#[test]
fn a_pdf_that_cannot_be_named_records_nothing_even_with_a_request_id() {
    let (dir, _p, mut desk) = desk();
    let id = desk.register(&nth(1)).unwrap().attendee.id;
    desk.print_badges(&request(BadgeSelection::Ids(vec![id]), "cr80"), &dir.path().join("first.pdf"))
        .unwrap();
    let too_long = dir.path().join(format!("{}.pdf", "b".repeat(300)));
    let reprint =
        BadgeRequest { reason: Some("lost".into()), ..request(BadgeSelection::Ids(vec![id]), "cr80") };
    for request_id in [None, Some("reprint-0001"), Some("reprint-0001")] {
        let e = desk
            .once(request_id, "badges", &(&reprint, &too_long), |d| d.print_badges(&reprint, &too_long))
            .unwrap_err();
        assert!(e.to_string().contains("nothing was recorded"), "{request_id:?}: {e}");
        assert_eq!(desk.badge_history(id).unwrap().len(), 1, "{request_id:?}: no new version");
    }
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect();
    assert!(!names.iter().any(|n| n.starts_with('.')), "no staged file left: {names:?}");
    // The same id with a name that can be written prints the reprint once.
    let ok = dir.path().join("again.pdf");
    let first = desk
        .once(Some("reprint-0002"), "badges", &(&reprint, &ok), |d| d.print_badges(&reprint, &ok))
        .unwrap();
    assert_eq!(desk.badge_history(id).unwrap().len(), 2);
    assert_eq!(pages(&ok), 1);
    // Sent again with its id (a reply lost on the way): answered as the first time, not printed twice.
    let again = desk
        .once(Some("reprint-0002"), "badges", &(&reprint, &ok), |d| d.print_badges(&reprint, &ok))
        .unwrap();
    assert_eq!(again, first);
    assert_eq!(desk.badge_history(id).unwrap().len(), 2);
}

/// A name typed with an ideographic space (or pasted with a line separator) is stored with a
/// plain space, which the badge font draws; a name written right to left is named in the
/// pre-flight as a problem, before anything is printed (it printed reversed and unjoined, the
/// pre-flight saying every badge was fine).
#[test]
fn odd_spaces_are_stored_plain_and_right_to_left_names_are_named_in_the_preflight() {
    let (_dir, _p, mut desk) = desk();
    let mut typed = nth(1);
    typed.badge_name = Some("Anna\u{3000}Berg\u{2028}Lund".into());
    let a = desk.register(&typed).unwrap().attendee;
    assert_eq!(a.fields.badge_name.as_deref(), Some("Anna Berg Lund"));
    let pre = desk.badge_preflight(&request(BadgeSelection::Ids(vec![a.id]), "insert-4x3")).unwrap();
    assert!(pre.badges[0].problems.is_empty(), "{:?}", pre.badges[0].problems);
    let mut arabic = common::person("محمد", "العبدالله", "Jordan");
    arabic.email = Some("m.abdallah@example.org".into());
    let arabic = desk.register(&arabic).unwrap().attendee;
    let pre = desk.badge_preflight(&request(BadgeSelection::Ids(vec![arabic.id]), "insert-4x3")).unwrap();
    assert!(
        pre.badges[0].problems.iter().any(|p| p.contains("written right to left")),
        "{:?}",
        pre.badges[0].problems
    );
}

#[test]
fn only_registered_people_get_a_badge_and_the_refusal_names_them() {
    let (dir, _p, mut desk) = desk_with_capacity(1);
    let seated = desk.register(&nth(1)).unwrap().attendee.id;
    let waiting = desk.register(&nth(2)).unwrap().attendee.id;
    let gone = desk.register(&nth(3)).unwrap().attendee.id;
    desk.cancel(gone).unwrap();
    let pdf = dir.path().join("b.pdf");
    let req = request(BadgeSelection::Ids(vec![seated, waiting, gone]), "insert-4x3");
    let pre = desk.badge_preflight(&req).unwrap();
    assert_eq!(pre.badges.len(), 1);
    assert_eq!(pre.refused.len(), 2);
    let e = desk.print_badges(&req, &pdf).unwrap_err();
    assert!(matches!(e, Error::Conflict(_)));
    assert!(e.to_string().contains("Col. Given2 Family2 (#2, waitlisted)"), "{e}");
    assert!(e.to_string().contains("Col. Given3 Family3 (#3, cancelled)"), "{e}");
    assert!(!pdf.exists(), "nothing written");
    assert!(desk.badge_history(seated).unwrap().is_empty(), "nothing recorded");
    // "All registered" never includes them.
    desk.print_badges(&request(BadgeSelection::AllRegistered, "insert-4x3"), &pdf).unwrap();
    assert_eq!(pages(&pdf), 1);
}

#[test]
fn not_printed_selects_only_badges_never_printed() {
    let (dir, _p, mut desk) = desk();
    let ids: Vec<i64> = (1..=3).map(|i| desk.register(&nth(i)).unwrap().attendee.id).collect();
    let pdf = dir.path().join("b.pdf");
    desk.print_badges(&request(BadgeSelection::Ids(vec![ids[1]]), "cr80"), &pdf).unwrap();
    let pre = desk.badge_preflight(&request(BadgeSelection::NotPrinted, "cr80")).unwrap();
    let chosen: Vec<i64> = pre.badges.iter().map(|b| b.attendee_id).collect();
    assert_eq!(chosen, [ids[0], ids[2]]);
    desk.print_badges(&request(BadgeSelection::NotPrinted, "cr80"), &dir.path().join("c.pdf")).unwrap();
    let e = desk
        .print_badges(&request(BadgeSelection::NotPrinted, "cr80"), &dir.path().join("d.pdf"))
        .unwrap_err();
    assert!(e.to_string().contains("every registered attendee already has a badge"), "{e}");
}

#[test]
fn the_preflight_lists_missing_characters_and_condensed_names() {
    let (_dir, _p, mut desk) = desk();
    let chinese = desk
        .register(&AttendeeInput {
            given_name: Some("王小明".into()),
            category: Some("press".into()),
            ..Default::default()
        })
        .unwrap()
        .attendee
        .id;
    let long = desk
        .register(&AttendeeInput {
            given_name: Some("Wolfeschlegelsteinhausenbergerdorffwelchevoralternwarengewissenhaft".into()),
            category: Some("delegate".into()),
            ..Default::default()
        })
        .unwrap()
        .attendee
        .id;
    let fine = desk.register(&nth(1)).unwrap().attendee.id;
    let pre = desk.badge_preflight(&request(BadgeSelection::AllRegistered, "cr80")).unwrap();
    let problems = |id: i64| pre.badges.iter().find(|b| b.attendee_id == id).unwrap().problems.clone();
    assert!(problems(chinese)[0].contains("cannot draw \"王\" (U+738B)"), "{:?}", problems(chinese));
    assert!(problems(long)[0].contains("condensed to"), "{:?}", problems(long));
    assert!(problems(fine).is_empty(), "{:?}", problems(fine));
    assert_eq!(pre.with_problems, 2);
}

#[test]
fn a_long_name_stays_inside_its_box_on_every_stock() {
    let (_dir, _p, mut desk) = desk();
    let a = desk
        .register(&AttendeeInput {
            rank: Some("Rear Adm.".into()),
            given_name: Some(NAMES[10].0.into()),
            family_name: Some(NAMES[10].1.into()),
            position: Some(
                "Deputy Permanent Secretary, Ministry of National Security and Public Safety".into(),
            ),
            organization: Some("Caribbean Community Implementation Agency for Crime and Security".into()),
            delegation: Some("Saint Vincent and the Grenadines".into()),
            category: Some("Regional institution".into()),
            ..Default::default()
        })
        .unwrap()
        .attendee;
    let event = desk.event().unwrap();
    for p in PRESETS {
        let l = layout(&BadgeContent::new(&a, 1, &event), p.badge_width, p.badge_height);
        for t in &l.texts {
            let measured = delegate_desk::badge::fonts::metrics(t.weight).width(&t.text, t.size) * t.scale;
            assert!(t.x >= t.box_x - 0.01, "{} {}: starts left of its box", p.name, t.field);
            assert!(
                t.x + measured <= t.box_x + t.box_width + 0.01,
                "{} {}: runs past its box",
                p.name,
                t.field
            );
            assert!(
                t.box_x + t.box_width <= p.badge_width,
                "{} {}: box wider than the badge",
                p.name,
                t.field
            );
            assert!(t.y >= 0.0 && t.y + t.size <= p.badge_height, "{} {}: off the badge", p.name, t.field);
        }
    }
}

#[test]
fn every_word_of_a_long_badge_is_drawn_inside_its_badge_on_every_stock() {
    // Read back from the PDF, not from the layout: where the viewer finds each word.
    let (dir, _p, mut desk) = desk();
    desk.register(&AttendeeInput {
        rank: Some("Rear Adm.".into()),
        given_name: Some(NAMES[10].0.into()),
        family_name: Some(NAMES[10].1.into()),
        position: Some("Deputy Permanent Secretary, Ministry of National Security and Public Safety".into()),
        organization: Some("Caribbean Community Implementation Agency for Crime and Security".into()),
        delegation: Some("Saint Vincent and the Grenadines".into()),
        category: Some("Regional institution".into()),
        ..Default::default()
    })
    .unwrap();
    for (i, p) in PRESETS.iter().enumerate() {
        let pdf = dir.path().join(format!("{}.pdf", p.name));
        let mut req = request(BadgeSelection::AllRegistered, p.name);
        req.reason = (i > 0).then(|| "other".to_string());
        desk.print_badges(&req, &pdf).unwrap();
        let (x, y) = p.slot_origin(0);
        let (left, right) = (x, x + p.badge_width);
        let (top, bottom) = (p.page_height - (y + p.badge_height), p.page_height - y);
        let words = word_boxes(&pdf, 1);
        let found = words.iter().map(|w| w.0.as_str()).collect::<Vec<_>>().join(" ");
        assert!(found.contains("Montgomery-Fitzwilliam"), "{}: {found}", p.name);
        for (text, x0, y0, x1, y1) in &words {
            // Half a point of slack for the extractor's rounding.
            assert!(
                *x0 >= left - 0.5 && *x1 <= right + 0.5,
                "{}: \"{text}\" spans x {x0}..{x1}, badge {left}..{right}",
                p.name
            );
            assert!(
                *y0 >= top - 0.5 && *y1 <= bottom + 0.5,
                "{}: \"{text}\" spans y {y0}..{y1}, badge {top}..{bottom}",
                p.name
            );
        }
    }
}

#[test]
fn a_positive_shift_moves_the_print_right_and_down() {
    let (dir, _p, mut desk) = desk();
    let id = desk.register(&nth(3)).unwrap().attendee.id;
    let where_is = |desk: &mut Desk, file: &str| {
        let pdf = dir.path().join(file);
        let mut req = request(BadgeSelection::Ids(vec![id]), "insert-4x3");
        if file != "plain.pdf" {
            req.reason = Some("other".into());
        }
        desk.print_badges(&req, &pdf).unwrap();
        let words = word_boxes(&pdf, 1);
        let w = words
            .iter()
            .find(|w| w.0 == "JAMAICA" || w.0 == "Jamaica")
            .unwrap_or_else(|| panic!("{words:?}"));
        (w.1, w.2)
    };
    let (x0, y0) = where_is(&mut desk, "plain.pdf");
    desk.set_calibration("insert-4x3", "2", "-1").unwrap();
    let (x1, y1) = where_is(&mut desk, "shifted.pdf");
    let mm = 72.0 / 25.4;
    assert!((x1 - x0 - 2.0 * mm).abs() < 0.2, "2 mm right: {x0} → {x1}");
    assert!((y1 - y0 + 1.0 * mm).abs() < 0.2, "1 mm up (down −1): {y0} → {y1}");
}

#[test]
fn calibration_is_saved_per_stock_and_checked() {
    let (dir, _p, mut desk) = desk();
    assert_eq!(desk.calibration("cr80").unwrap().dx_mm, 0.0);
    desk.set_calibration("cr80", "1,5", "\u{2212}0.75").unwrap();
    let o = desk.calibration("cr80").unwrap();
    assert_eq!((o.dx_mm, o.dy_mm), (1.5, -0.75), "a decimal comma and a typographic minus are read");
    assert_eq!(desk.calibration("a6-portrait").unwrap().dx_mm, 0.0);
    assert_eq!(desk.set_calibration("cr80", "25", "0").unwrap_err().field(), Some("dxMm"));
    assert_eq!(desk.set_calibration("cr80", "0", "up").unwrap_err().field(), Some("dyMm"));
    for not_a_number in ["NaN", "inf", "-infinity"] {
        let e = desk.set_calibration("cr80", not_a_number, "0").unwrap_err();
        assert!(e.to_string().contains("is not a number of millimetres"), "{e}");
    }
    assert_eq!(desk.set_calibration("a5", "0", "0").unwrap_err().field(), Some("preset"));
    assert_eq!(desk.calibration("cr80").unwrap(), o, "a refused change keeps the saved shift");
    let page = dir.path().join("cal.pdf");
    desk.calibration_page("letter-6up-4x3", &page).unwrap();
    assert_eq!(pages(&page), 1);
    let info = tool("pdfinfo", &[page.to_str().unwrap()]);
    assert!(info.contains("612 x 792 pts"), "{info}");
    assert!(tool("pdftotext", &[page.to_str().unwrap(), "-"]).contains("Print at 100 %"));
}

#[test]
fn a_hundred_badges_make_a_small_pdf() {
    let (dir, _p, mut desk) = desk();
    for i in 0..100 {
        desk.register(&nth(i)).unwrap();
    }
    let pdf = dir.path().join("hundred.pdf");
    let out = desk.print_badges(&request(BadgeSelection::AllRegistered, "insert-4x3"), &pdf).unwrap();
    assert_eq!(out.pages, 100);
    let size = std::fs::metadata(&pdf).unwrap().len();
    assert_eq!(size as usize, out.bytes);
    assert!(size < 200_000, "100 badges take {size} bytes");
}

#[test]
fn pdfs_for_the_window_go_to_the_output_folder_with_a_timestamped_name() {
    // The only test that sets the variable: tests of one binary share the environment.
    let out = tempfile::tempdir().unwrap();
    std::env::set_var(delegate_desk::printing::OUTPUT_DIR_ENV, out.path());
    let (_d, _p, desk) = desk();
    let a = desk.new_output_file("badges", "pdf").unwrap();
    std::fs::write(&a, b"%PDF-1.7").unwrap();
    let b = desk.new_output_file("badges", "pdf").unwrap();
    assert_ne!(a, b, "a name in use is not reused");
    assert!(a.starts_with(out.path()) && a.file_name().unwrap().to_string_lossy().starts_with("badges-20"));
    // Only the desk's own PDFs may be opened from the window.
    let elsewhere = tempfile::NamedTempFile::new().unwrap();
    let e = delegate_desk::printing::open_in_viewer(elsewhere.path()).unwrap_err();
    assert!(e.to_string().contains("Only files written by the desk"), "{e}");
    let e = delegate_desk::printing::open_in_viewer(&out.path().join("gone.pdf")).unwrap_err();
    assert!(matches!(e, Error::NotFound(_)), "{e}");
}

#[test]
fn a_large_batch_reports_its_progress_up_to_the_whole() {
    let (dir, _p, mut desk) = desk_with_capacity(300);
    for i in 0..300 {
        desk.register(&nth(i)).unwrap();
    }
    let mut seen: Vec<(usize, usize)> = Vec::new();
    let pdf = dir.path().join("batch.pdf");
    let out = desk
        .print_badges_with_progress(
            &request(BadgeSelection::AllRegistered, "letter-6up-4x3"),
            &pdf,
            &mut |done, total| seen.push((done, total)),
        )
        .unwrap();
    assert_eq!(out.badges, 300);
    assert!(seen.len() >= 5, "a batch of 300 reports progress along the way: {seen:?}");
    assert!(seen.iter().all(|&(_, total)| total == 300), "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "progress never goes back: {seen:?}");
    assert_eq!(seen.first(), Some(&(0, 300)));
    assert_eq!(seen.last(), Some(&(300, 300)), "the end is reported once the PDF is written");
    assert_eq!(pages(&pdf), 50);
}

/// A walk-in typed in a hurry: a name all in lower case and no delegation are warned about
/// before the badge prints (the badge-name override counts, as printed), and a proper record
/// gets no warning; printing anyway is still possible (the window asks first).
#[test]
fn a_lower_case_name_or_no_delegation_is_warned_about_before_printing() {
    let (dir, _p, mut desk) = desk();
    let hurried = AttendeeInput {
        given_name: Some("marcus".into()),
        family_name: Some("oneil".into()),
        category: Some("delegate".into()),
        ..Default::default()
    };
    let hurried = desk.register(&hurried).unwrap().attendee.id;
    let proper = desk.register(&nth(1)).unwrap().attendee.id;
    let overridden = AttendeeInput {
        given_name: Some("Ana".into()),
        family_name: Some("Ruiz".into()),
        badge_name: Some("ana ruiz".into()),
        delegation: Some("Belize".into()),
        category: Some("delegate".into()),
        ..Default::default()
    };
    let overridden = desk.register(&overridden).unwrap().attendee.id;
    let req = request(BadgeSelection::Ids(vec![hurried, proper, overridden]), "insert-4x3");
    let pre = desk.badge_preflight(&req).unwrap();
    let warnings = |id: i64| pre.badges.iter().find(|b| b.attendee_id == id).unwrap().warnings.clone();
    let w = warnings(hurried);
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(
        w[0].contains("\"marcus oneil\" is all in lower case") && w[0].contains("\"Marcus Oneil\""),
        "{w:?}"
    );
    assert!(w[1].contains("no delegation"), "{w:?}");
    assert!(warnings(proper).is_empty());
    assert_eq!(warnings(overridden).len(), 1);
    assert_eq!(pre.with_warnings, 2);
    assert_eq!(pre.with_problems, 0, "a warning is not a layout problem");
    desk.print_badges(&req, &dir.path().join("anyway.pdf")).unwrap();
}

#[test]
fn the_badge_says_where_one_may_go_in_every_stock() {
    let (dir, _p, mut desk) = desk();
    let session =
        |day: u32, start: &str, end: &str, title: &str, press: bool| delegate_desk::programme::SessionInput {
            day: Some(day),
            start: Some(start.into()),
            end: Some(end.into()),
            title: Some(title.into()),
            open_to: press.then(|| "press".into()),
            ..Default::default()
        };
    // No programme: no line.
    let reporter = desk
        .register(&AttendeeInput { category: Some("press".into()), days: Some("1,2".into()), ..nth(1) })
        .unwrap()
        .attendee
        .id;
    let delegate = desk.register(&AttendeeInput { days: Some("1,2".into()), ..nth(2) }).unwrap().attendee.id;
    let pdf = dir.path().join("before.pdf");
    desk.print_badges(&request(BadgeSelection::AllRegistered, "cr80"), &pdf).unwrap();
    let text = words(&tool("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]));
    assert!(!text.contains("sessions") && !text.contains(" only"), "{text}");
    desk.add_session(&session(1, "08:00", "08:30", "Welcoming remarks", true)).unwrap();
    desk.add_session(&session(1, "08:30", "10:00", "Disaster response", false)).unwrap();
    desk.add_session(&session(2, "08:30", "10:00", "Transnational threats", false)).unwrap();
    for preset in PRESETS {
        let pdf = dir.path().join(format!("access-{}.pdf", preset.name));
        let req = BadgeRequest {
            reason: Some("other".into()),
            ..request(BadgeSelection::Ids(vec![reporter, delegate]), preset.name)
        };
        let out = desk.print_badges(&req, &pdf).unwrap();
        assert_eq!(out.badges, 2);
        let text = words(&tool("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]));
        assert!(text.contains("Press — Welcoming remarks only"), "{}: {text}", preset.name);
        assert!(text.contains("All sessions"), "{}: {text}", preset.name);
        assert!(text.contains("All days"), "the days stay: {}: {text}", preset.name);
    }
    // The pre-flight finds nothing to say about the delegate's badge on any stock, and never
    // that the line is below its own size. (On the 62 × 100 mm label, whose text is the
    // smallest, the line started below its minimum: every badge with a programme was flagged,
    // and printing at check-in, which asks first about a badge with a problem, never printed
    // there. The press line, longer, is condensed a little there, and says so.)
    for preset in PRESETS {
        let check = desk
            .badge_preflight(&request(BadgeSelection::Ids(vec![reporter, delegate]), preset.name))
            .unwrap();
        let of = |id: i64| {
            check.badges.iter().find(|b| b.attendee_id == id).map(|b| b.problems.clone()).unwrap_or_default()
        };
        assert!(of(delegate).is_empty(), "{}: {:?}", preset.name, of(delegate));
        let shrunk: Vec<String> = of(reporter).into_iter().filter(|p| p.contains("shrunk")).collect();
        assert!(shrunk.is_empty(), "{}: {shrunk:?}", preset.name);
    }
}

/// A soft hyphen or a word joiner typed in a name (pasted from a word processor) prints as
/// nothing, on the badge and on the roster: the embedded font draws a soft hyphen as "-", and
/// "Mül\u{AD}ler" printed as "Mül-ler". The record keeps what was typed.
#[test]
fn a_soft_hyphen_in_a_name_prints_as_nothing() {
    let (dir, _p, mut desk) = desk();
    let id = desk
        .register(&AttendeeInput {
            family_name: Some("Mül\u{AD}ler".into()),
            organization: Some("Minis\u{2060}try of Security".into()),
            ..nth(1)
        })
        .unwrap()
        .attendee
        .id;
    let pdf = dir.path().join("soft.pdf");
    desk.print_badges(&request(BadgeSelection::Ids(vec![id]), "cr80"), &pdf).unwrap();
    let text = tool("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    assert!(text.contains("Müller") && !text.contains("Mül-ler"), "{text}");
    assert_eq!(desk.attendee(id).unwrap().fields.family_name, "Mül\u{AD}ler", "stored as typed");
    let roster =
        delegate_desk::roster_pdf::roster_pdf(&desk.event().unwrap(), &[desk.attendee(id).unwrap()], "now");
    let out = dir.path().join("roster.pdf");
    assert!(roster.warnings.is_empty(), "{:?}", roster.warnings);
    std::fs::write(&out, roster.bytes).unwrap();
    let text = tool("pdftotext", &["-enc", "UTF-8", out.to_str().unwrap(), "-"]);
    assert!(text.contains("Müller") && !text.contains("Mül-ler"), "{text}");
    assert!(text.contains("Ministry of Security"), "{text}");
}

/// The ids of one print are bounded before anything is set aside for them, and a person named
/// many times is one badge: a list of any length from the window reserved memory for each id
/// and compared each with every one before it.
#[test]
fn the_ids_of_one_print_are_bounded_and_each_is_one_badge() {
    let (_d, _p, mut desk) = desk();
    let id = desk.register(&nth(1)).unwrap().attendee.id;
    let many: Vec<i64> = (1..=delegate_desk::printing::MAX_IDS as i64 + 1).collect();
    let e = desk.badge_preflight(&request(BadgeSelection::Ids(many), "cr80")).unwrap_err();
    assert_eq!(e.field(), Some("ids"), "{e}");
    assert!(e.to_string().contains("at most 100000"), "{e}");
    let same = vec![id; 50_000];
    let check = desk.badge_preflight(&request(BadgeSelection::Ids(same), "cr80")).unwrap();
    assert_eq!(check.badges.len(), 1);
}

#[test]
fn a_shift_that_would_cut_the_qr_code_off_the_card_is_refused() {
    // A CR80 card has under 3 mm between its QR code and its right edge: a shift of 5 mm
    // (within the general ±20 mm) printed every badge with part of its code off the card.
    let (dir, _p, mut desk) = desk();
    let id = desk.register(&nth(2)).unwrap().attendee.id;
    let cr80 = delegate_desk::badge::Preset::find("cr80").unwrap();
    let (left, right, up, down) = cr80.qr_room_mm();
    assert!(right < 5.0 && left > 20.0 && down < 20.0 && up > 20.0, "{:?}", (left, right, up, down));
    desk.set_calibration("cr80", "0.5", "0").unwrap();
    for (dx, dy, field, edge) in [("5", "0", "dxMm", "right"), ("0", "12", "dyMm", "bottom")] {
        let e = desk.set_calibration("cr80", dx, dy).unwrap_err();
        assert_eq!(e.field(), Some(field), "{e}");
        assert!(e.to_string().contains("QR code") && e.to_string().contains(edge), "{e}");
        assert!(!e.to_string().contains("  "), "one space between words: {e}");
    }
    assert_eq!(desk.calibration("cr80").unwrap().dx_mm, 0.5, "a refused shift keeps the saved one");
    // The largest shifts accepted still print a code that scans, in every direction.
    let fits = [(right - 0.1, 0.0), (-(right - 0.1), 0.0), (0.0, down - 0.1), (0.0, -(down - 0.1))];
    for (i, (dx, dy)) in fits.into_iter().enumerate() {
        desk.set_calibration("cr80", &format!("{dx:.2}"), &format!("{dy:.2}")).unwrap();
        let pdf = dir.path().join(format!("edge-{i}.pdf"));
        let req = BadgeRequest {
            reason: (i > 0).then(|| "damaged".into()),
            ..request(BadgeSelection::Ids(vec![id]), "cr80")
        };
        desk.print_badges(&req, &pdf).unwrap();
        let png = dir.path().join(format!("edge-{i}"));
        tool("pdftoppm", &["-png", "-r", "300", "-singlefile", pdf.to_str().unwrap(), png.to_str().unwrap()]);
        let code = tool("zbarimg", &["-q", "--raw", &format!("{}.png", png.display())]);
        assert_eq!(code.trim().len(), 29, "shift {dx} {dy}: {code}");
    }
    // Every stock: a shift just past the room on any side is refused.
    for p in delegate_desk::badge::PRESETS {
        let (l, r, u, d) = p.qr_room_mm();
        for (dx, dy) in [(r + 0.5, 0.0), (-(l + 0.5), 0.0), (0.0, d + 0.5), (0.0, -(u + 0.5))] {
            if dx.abs() > 20.0 || dy.abs() > 20.0 {
                continue;
            }
            let e = desk.set_calibration(p.name, &format!("{dx:.2}"), &format!("{dy:.2}"));
            assert!(e.is_err(), "{} shift {dx} {dy} was saved", p.name);
        }
    }
}
