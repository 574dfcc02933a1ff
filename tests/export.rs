//! Rosters out and back in: CSV parsed with the csv crate, XLSX read back with calamine, JSON
//! in the wire shape — identical values, including cells a spreadsheet would run as formulas.

mod common;

use calamine::{Reader, Xlsx};
use common::{desk, person};
use delegate_desk::export::{unescape_cell, ExportRequest, Format, RosterFilter};
use delegate_desk::import::ImportOptions;
use delegate_desk::{AttendeeInput, Desk};

fn tricky(desk: &mut Desk) {
    desk.register(&AttendeeInput {
        phone: Some("+1-555-0100".into()),
        notes: Some("=1+1".into()),
        dietary: Some("@cmd".into()),
        ..person("-Ann", "Dupré-Bâtard", "France")
    })
    .unwrap();
    desk.register(&AttendeeInput {
        organization: Some("Ministry of Foreign Affairs, \"Trade\"".into()),
        days: Some("2".into()),
        email: Some("alexandros@example.org".into()),
        ..person("Αλέξανδρος", "Παπαδόπουλος", "CDEMA")
    })
    .unwrap();
    let cancelled = desk.register(&person("Gone", "Away", "Haiti")).unwrap().attendee.id;
    desk.cancel(cancelled).unwrap();
}

fn request(format: Format, columns: &str) -> ExportRequest {
    ExportRequest {
        format,
        filter: RosterFilter::default(),
        columns: columns.into(),
        sheet_per_preset: false,
    }
}

#[test]
fn csv_round_trip_keeps_every_value_and_is_safe_in_a_spreadsheet() {
    let (dir, _p, mut desk) = desk();
    tricky(&mut desk);
    let out = dir.path().join("roster.csv");
    let r = desk.export_roster(&request(Format::Csv, "full"), &out).unwrap();
    assert_eq!(r.rows, 2, "registered only by default");
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.contains("\r\n") && !text.replace("\r\n", "").contains('\n'), "CRLF line ends only");
    assert!(text.contains("'+1-555-0100") && text.contains("'=1+1") && text.contains("'-Ann"), "{text}");
    assert!(text.contains("\"Ministry of Foreign Affairs, \"\"Trade\"\"\""), "RFC 4180 quoting: {text}");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<Vec<String>> =
        reader.records().map(|r| r.unwrap().iter().map(|v| unescape_cell(v).to_string()).collect()).collect();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let ann = rows.iter().find(|r| r[col("Family name")] == "Dupré-Bâtard").unwrap();
    assert_eq!(ann[col("Given name")], "-Ann");
    assert_eq!(ann[col("Phone")], "+1-555-0100");
    assert_eq!(ann[col("Notes")], "=1+1");
    assert_eq!(ann[col("Dietary requirements")], "@cmd");
    let greek = rows.iter().find(|r| r[col("Given name")] == "Αλέξανδρος").unwrap();
    assert_eq!(greek[col("Organisation")], "Ministry of Foreign Affairs, \"Trade\"");
    // And the desk's own import reads its export back as the same people.
    let (_d2, _p2, other) = common::desk();
    let p = other.import_preview(&std::fs::read(&out).unwrap(), &ImportOptions::default()).unwrap();
    assert_eq!((p.new, p.invalid), (2, 0), "{:?}", p.errors);
}

#[test]
fn xlsx_round_trip_keeps_every_value_as_text() {
    let (dir, _p, mut desk) = desk();
    tricky(&mut desk);
    let out = dir.path().join("roster.xlsx");
    desk.export_roster(&request(Format::Xlsx, "name,phone,notes,dietary,days"), &out).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let range = book.worksheet_range("Roster").unwrap();
    let cells: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(cells[0], ["Name", "Phone", "Notes", "Dietary requirements", "Days"]);
    let ann = cells.iter().find(|r| r[0] == "-Ann Dupré-Bâtard").unwrap();
    assert_eq!(ann[1..], ["+1-555-0100", "=1+1", "@cmd", "1,2"]);
    for row in range.rows().skip(1) {
        assert!(
            row.iter().all(|c| matches!(c, calamine::Data::String(_) | calamine::Data::Empty)),
            "{row:?}"
        );
    }
    let sheets = dir.path().join("sheets.xlsx");
    let req = ExportRequest { sheet_per_preset: true, ..request(Format::Xlsx, "full") };
    desk.export_roster(&req, &sheets).unwrap();
    let book: Xlsx<_> = calamine::open_workbook(&sheets).unwrap();
    assert_eq!(book.sheet_names(), ["Security list", "Catering", "Protocol", "Full"]);
}

#[test]
fn json_is_the_wire_shape_and_filters_combine() {
    let (dir, _p, mut desk) = desk();
    tricky(&mut desk);
    let out = dir.path().join("roster.json");
    let req = ExportRequest {
        filter: RosterFilter { days: Some("2".into()), ..Default::default() },
        ..request(Format::Json, "")
    };
    desk.export_roster(&req, &out).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let names: Vec<&str> = v.as_array().unwrap().iter().map(|a| a["givenName"].as_str().unwrap()).collect();
    assert_eq!(names, ["-Ann", "Αλέξανδρος"]);
    let req = ExportRequest {
        filter: RosterFilter {
            status: Some("all".into()),
            delegation: Some("haiti".into()),
            ..Default::default()
        },
        ..request(Format::Json, "")
    };
    let out = dir.path().join("haiti.json");
    desk.export_roster(&req, &out).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(v[0]["status"], "cancelled");
    assert_eq!(v[0]["familyName"], "Away");
    let req = ExportRequest {
        filter: RosterFilter {
            days: Some("1".into()),
            category: Some("delegate".into()),
            ..Default::default()
        },
        ..request(Format::Csv, "catering")
    };
    let r = desk.export_roster(&req, &dir.path().join("c.csv")).unwrap();
    assert_eq!(r.rows, 1, "only -Ann attends day 1");
    let e = desk.export_roster(&request(Format::Csv, "name,shoe"), &dir.path().join("d.csv")).unwrap_err();
    assert_eq!(e.field(), Some("columns"));
    // An export never writes over a file that holds something (yesterday's roster, a backup).
    let before = std::fs::read(&out).unwrap();
    let e = desk.export_roster(&request(Format::Json, ""), &out).unwrap_err();
    assert_eq!(e.field(), Some("output"));
    assert!(e.to_string().contains("already exists"), "{e}");
    assert_eq!(std::fs::read(&out).unwrap(), before);
}

#[test]
fn the_pdf_roster_holds_every_name_grouped_with_page_numbers() {
    let (dir, _p, mut desk) = desk();
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/src/data/invitees-sample.csv")).unwrap();
    let opts = ImportOptions { mode: delegate_desk::import::ImportMode::Register, ..Default::default() };
    desk.import(&bytes, &opts).unwrap();
    let out = dir.path().join("roster.pdf");
    let r = desk.export_roster(&request(Format::Pdf, ""), &out).unwrap();
    assert_eq!(r.rows, 100);
    let text = std::process::Command::new("pdftotext").args(["-layout"]).arg(&out).arg("-").output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let people = desk
        .list(&delegate_desk::ListFilter { status: Some("registered".into()), ..Default::default() })
        .unwrap();
    for a in &people {
        for word in a.display_name.split_whitespace() {
            assert!(flat.contains(word), "{word} of {} is missing", a.display_name);
        }
    }
    let info = std::process::Command::new("pdfinfo").arg(&out).output().unwrap();
    let info = String::from_utf8(info.stdout).unwrap();
    let pages: usize = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    assert!((4..=15).contains(&pages), "{pages} pages for 100 people");
    assert!(
        flat.contains(&format!("Page 1 of {pages}")) && flat.contains(&format!("Page {pages} of {pages}"))
    );
    assert!(flat.contains("Jamaica (") && flat.contains("Signature"));
}

#[test]
fn the_pdf_roster_groups_spellings_of_one_delegation_together() {
    let (dir, _p, mut desk) = desk();
    for (i, d) in ["Atlantis", "ATLANTIS", "Ätlantis", "Lemuria"].iter().enumerate() {
        desk.register(&person(&format!("P{i}"), "Person", d)).unwrap();
    }
    let out = dir.path().join("roster.pdf");
    desk.export_roster(&request(Format::Pdf, ""), &out).unwrap();
    let text = std::process::Command::new("pdftotext").arg(&out).arg("-").output().unwrap();
    let flat = String::from_utf8(text.stdout).unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
    let headings = flat.matches("tlantis (").count() + flat.matches("TLANTIS (").count();
    assert_eq!(headings, 1, "one heading for the three spellings: {flat}");
    assert!(flat.contains("Atlantis (3)") && flat.contains("Lemuria (1)"), "{flat}");
}

/// A name the sheet's font cannot draw, or written right to left, is named in the outcome
/// (it printed blank or reversed, and the export said "8 people written"); a long event name
/// and heading are wrapped on the page, not cut off with the people count after them.
#[test]
fn the_pdf_roster_names_what_will_not_print_and_wraps_long_headings() {
    let (dir, _p, mut desk) = desk();
    let long = "Caribbean Nations Security Conference on Disaster Response, Humanitarian Assistance and Countering Transnational Threats 2019";
    desk.update_event(&delegate_desk::EventInput { name: Some(long.into()), ..Default::default() }).unwrap();
    let no_email = |given: &str, family: &str, delegation: &str| AttendeeInput {
        email: Some(String::new()),
        ..person(given, family, delegation)
    };
    let han = desk.register(&no_email("小明", "王", "China")).unwrap().attendee.id;
    let arabic = desk.register(&no_email("محمد", "علي", "Qatar")).unwrap().attendee.id;
    desk.register(&person("Ana", "Pierre", "Haiti")).unwrap();
    let out = dir.path().join("roster.pdf");
    let r = desk.export_roster(&request(Format::Pdf, ""), &out).unwrap();
    assert_eq!(r.rows, 3);
    assert_eq!(r.warnings.len(), 2, "{:?}", r.warnings);
    assert!(
        r.warnings[0].starts_with(&format!("#{han} ")) && r.warnings[0].contains("print blank"),
        "{:?}",
        r.warnings
    );
    assert!(
        r.warnings[1].starts_with(&format!("#{arabic} ")) && r.warnings[1].contains("reverse order"),
        "{:?}",
        r.warnings
    );
    assert!(r.message.contains("2 lines will not print as they read"), "{}", r.message);
    let text = std::process::Command::new("pdftotext").arg(&out).arg("-").output().unwrap();
    let flat = String::from_utf8(text.stdout).unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(long), "{flat}");
    assert!(flat.contains("3 people · generated"), "{flat}");
    // Other formats have nothing to say of it.
    let csv = dir.path().join("roster.csv");
    assert!(desk.export_roster(&request(Format::Csv, "name"), &csv).unwrap().warnings.is_empty());
}

#[test]
fn registered_at_is_written_at_the_venue_as_every_other_time() {
    // A venue far from UTC: the stored instant and the venue's clock differ by 14 hours, and
    // often by a date. The window shows "since" at the venue; a roster that said the UTC
    // instant put a registration made at 20:00 on the evening before on the next day.
    let (dir, _p, mut desk) = desk();
    desk.update_event(&delegate_desk::EventInput {
        timezone: Some("Pacific/Kiritimati".into()),
        ..Default::default()
    })
    .unwrap();
    let a = desk.register(&person("Ann", "Ho", "Jamaica")).unwrap().attendee;
    let event = desk.event().unwrap();
    let stored = a.registered_at.clone().unwrap();
    let at_venue = chrono::DateTime::parse_from_rfc3339(&stored)
        .unwrap()
        .with_timezone(&"Pacific/Kiritimati".parse::<chrono_tz::Tz>().unwrap())
        .format("%Y-%m-%d %H:%M")
        .to_string();
    assert_eq!(delegate_desk::model::venue_format(&event, &stored, "%Y-%m-%d %H:%M"), at_venue);

    let csv_out = dir.path().join("roster.csv");
    desk.export_roster(&request(Format::Csv, "name,registeredAt"), &csv_out).unwrap();
    let text = String::from_utf8(std::fs::read(&csv_out).unwrap()[3..].to_vec()).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let row: Vec<String> = reader.records().next().unwrap().unwrap().iter().map(str::to_string).collect();
    assert_eq!(row, ["Ann Ho".to_string(), at_venue.clone()], "{text}");

    let xlsx_out = dir.path().join("roster.xlsx");
    desk.export_roster(&request(Format::Xlsx, "name,registeredAt"), &xlsx_out).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx_out).unwrap();
    let range = book.worksheet_range("Roster").unwrap();
    assert_eq!(range.get((1, 1)).map(|c| c.to_string()), Some(at_venue));

    // JSON keeps the stored instant: it is the wire shape, read by programs.
    let json_out = dir.path().join("roster.json");
    desk.export_roster(&request(Format::Json, "full"), &json_out).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json_out).unwrap()).unwrap();
    assert_eq!(v[0]["registeredAt"], serde_json::Value::String(stored));
}

/// A delegation that goes on to the next page has its heading again at the top of that page:
/// the people signing there saw only names, and a delegation of 40 spans two or three pages.
#[test]
fn a_delegation_continued_on_the_next_page_is_headed_there_again() {
    let (dir, _p, mut desk) = common::desk_with_capacity(200);
    for i in 0..70 {
        desk.register(&person(&format!("Given{i:02}"), "Brown", "Jamaica")).unwrap();
    }
    for i in 0..3 {
        desk.register(&person(&format!("Other{i}"), "Smith", "Zanzibar")).unwrap();
    }
    let out = dir.path().join("roster.pdf");
    desk.export_roster(&request(Format::Pdf, ""), &out).unwrap();
    let page = |n: usize| {
        let o = std::process::Command::new("pdftotext")
            .args(["-f", &n.to_string(), "-l", &n.to_string(), "-layout"])
            .arg(&out)
            .arg("-")
            .output()
            .unwrap();
        String::from_utf8(o.stdout).unwrap()
    };
    let info =
        String::from_utf8(std::process::Command::new("pdfinfo").arg(&out).output().unwrap().stdout).unwrap();
    let pages: usize = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    assert!(pages >= 3, "{pages} pages");
    assert!(page(1).contains("Jamaica (70)") && !page(1).contains("continued"), "{}", page(1));
    for n in 2..=pages {
        let text = page(n);
        let first_row = text.lines().position(|l| l.contains("Brown") || l.contains("Smith")).unwrap();
        let heading = text
            .lines()
            .position(|l| l.contains("Jamaica (70), continued") || l.contains("Zanzibar (3)"))
            .unwrap_or_else(|| panic!("page {n} has no delegation heading:\n{text}"));
        assert!(heading < first_row, "page {n}: the heading comes before its rows:\n{text}");
    }
}
