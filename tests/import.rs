//! Invite lists as spreadsheets export them, made by the test: encodings, separators, quoting,
//! header synonyms, unknown and missing columns, invalid and duplicate rows, re-imports.

mod common;

use common::{desk, desk_with_capacity};
use delegate_desk::import::{ImportMode, ImportOptions};
use delegate_desk::{ListFilter, Status};

fn utf16le_with_bom(s: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in s.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

fn windows_1252(s: &str) -> Vec<u8> {
    let (bytes, _, bad) = encoding_rs::WINDOWS_1252.encode(s);
    assert!(!bad);
    bytes.into_owned()
}

const INVITE: ImportOptions = ImportOptions {
    mode: ImportMode::Invite,
    update_existing: false,
    unknown_as_notes: false,
    skip_invalid: false,
    map: std::collections::BTreeMap::new(),
    default_category: None,
};

fn names(desk: &delegate_desk::Desk) -> Vec<String> {
    let mut v: Vec<String> =
        desk.list(&ListFilter::default()).unwrap().into_iter().map(|a| a.fields.full_name()).collect();
    v.sort();
    v
}

#[test]
fn every_encoding_and_separator_reads_the_same_people() {
    let semicolon_crlf_bom = "\u{FEFF}First Name;Last Name;Country / Delegation;Type;E-mail\r\n\
         Hélène;Dupré-Bâtard;France;Co-host;helene@example.org\r\n\
         \"Marc-André\";\"Côté; Jr.\";Canada;co host;mac@example.org\r\n";
    let tab_utf16 = "Surname\tGiven name\tDelegation\tCategory\r\nDupré-Bâtard\tHélène\tFrance\tCo-host\r\nCôté; Jr.\tMarc-André\tCanada\tCo-host\r\n";
    let comma_1252 = "given_name,family_name,delegation,category\nHélène,Dupré-Bâtard,France,Co-host\nMarc-André,Côté; Jr.,Canada,Co-host\n";
    let files: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        ("UTF-8 BOM, semicolon, CRLF", semicolon_crlf_bom.as_bytes().to_vec(), "UTF-8", "semicolon"),
        ("UTF-16LE BOM, tab", utf16le_with_bom(tab_utf16), "UTF-16LE", "tab"),
        ("Windows-1252, comma", windows_1252(comma_1252), "windows-1252", "comma"),
    ];
    for (what, bytes, encoding, separator) in files {
        let (_d, _p, mut desk) = desk();
        let p = desk.import_preview(&bytes, &INVITE).unwrap();
        assert_eq!((p.encoding.as_str(), p.separator.as_str()), (encoding, separator), "{what}");
        assert_eq!((p.rows, p.new, p.invalid), (2, 2, 0), "{what}: {:?}", p.errors);
        let out = desk.import(&bytes, &INVITE).unwrap();
        assert_eq!(out.invited, 2, "{what}");
        assert_eq!(names(&desk), ["Hélène Dupré-Bâtard", "Marc-André Côté; Jr."], "{what}");
        let all = desk.list(&ListFilter::default()).unwrap();
        assert!(
            all.iter().all(|a| a.status == Status::Invited && a.fields.category.wire() == "coHost"),
            "{what}"
        );
    }
}

#[test]
fn quoted_fields_keep_separators_and_line_breaks_and_stray_spaces_go() {
    let (_d, _p, mut desk) = desk();
    let csv = "given_name , family_name,organization,notes,category\n  Zoë  ,\"O'Brien, Ísleifsdóttir\",\"Ministry of Foreign Affairs,\nTrade and Industry\",\"first line\nsecond line\", press \n";
    let p = desk.import_preview(csv.as_bytes(), &INVITE).unwrap();
    // The organisation cannot hold a line break: the row is refused with its line number.
    assert_eq!(p.invalid, 1);
    assert_eq!(p.errors[0].line, 2);
    assert_eq!(p.errors[0].field, "organization");
    let csv = csv.replace("Affairs,\nTrade", "Affairs, Trade");
    desk.import(csv.as_bytes(), &INVITE).unwrap();
    let a = &desk.list(&ListFilter::default()).unwrap()[0];
    assert_eq!(a.fields.given_name, "Zoë");
    assert_eq!(a.fields.family_name, "O'Brien, Ísleifsdóttir");
    assert_eq!(a.fields.organization, "Ministry of Foreign Affairs, Trade and Industry");
    assert_eq!(a.fields.notes, "first line\nsecond line");
}

#[test]
fn unknown_columns_are_listed_and_kept_as_notes_only_if_asked() {
    let csv = "Last Name,First Name,Shoe size,Type,Arrival flight\nNgô,Jean-Baptiste,44,Delegate,AA 1234\n";
    let (_d, _p, mut desk) = desk();
    let p = desk.import_preview(csv.as_bytes(), &INVITE).unwrap();
    assert_eq!(p.unknown_columns, ["Shoe size", "Arrival flight"]);
    desk.import(csv.as_bytes(), &INVITE).unwrap();
    assert_eq!(desk.list(&ListFilter::default()).unwrap()[0].fields.notes, "");
    let (_d2, _p2, mut other) = common::desk();
    other.import(csv.as_bytes(), &ImportOptions { unknown_as_notes: true, ..INVITE }).unwrap();
    assert_eq!(
        other.list(&ListFilter::default()).unwrap()[0].fields.notes,
        "Shoe size: 44\nArrival flight: AA 1234"
    );
}

#[test]
fn a_file_without_a_name_column_is_refused_clearly() {
    let (_d, _p, desk) = desk();
    let e = desk.import_preview(b"email,category\na@example.org,press\n", &INVITE).unwrap_err();
    assert_eq!(e.field(), Some("file"));
    assert!(e.to_string().contains("has no name column") && e.to_string().contains("email, category"), "{e}");
    assert!(desk.import_preview(b"", &INVITE).unwrap_err().to_string().contains("empty"));
}

#[test]
fn invalid_and_duplicate_rows_are_reported_by_line_and_a_refused_import_writes_nothing() {
    let (_d, _p, mut desk) = desk();
    desk.register(&common::person("Siân", "Ó Súilleabháin", "United Kingdom")).unwrap();
    let csv = "given_name,family_name,delegation,category,email\n\
               Begoña,Núñez Almánzar,Dominican Republic,VIP,begona@example.org\n\
               Bad,Email,Haiti,Delegate,not-an-email\n\
               ,,Haiti,Delegate,\n\
               Begoña,Nunez Almanzar,Dominican Republic,VIP,other@example.org\n\
               Siân,Ó Súilleabháin,United Kingdom,Observer,sian.osuilleabhain@example.org\n\
               Łukasz,Żółć,Press,Press,lz@example.org\n";
    let p = desk.import_preview(csv.as_bytes(), &INVITE).unwrap();
    assert_eq!((p.rows, p.new, p.changed, p.present, p.invalid), (6, 2, 1, 0, 3));
    let lines: Vec<(u64, &str)> = p.errors.iter().map(|e| (e.line, e.field.as_str())).collect();
    assert_eq!(lines, [(3, "email"), (4, "givenName"), (5, "givenName")]);
    assert!(p.errors[2].message.contains("same person as on line 2"), "{}", p.errors[2].message);
    assert_eq!(p.changes[0].changes[0].field, "category");
    let before = desk.revision().unwrap();
    let e = desk.import(csv.as_bytes(), &INVITE).unwrap_err();
    assert!(e.to_string().contains("3 rows of the file are invalid; nothing was imported"), "{e}");
    assert!(e.to_string().contains("line 3: Email \"not-an-email\" has no @"), "{e}");
    assert_eq!(desk.revision().unwrap(), before, "nothing written");
    let out = desk.import(csv.as_bytes(), &ImportOptions { skip_invalid: true, ..INVITE }).unwrap();
    assert_eq!((out.invited, out.updated), (2, 0));
    assert!(out.message.contains("1 changed but not updated"), "{}", out.message);
}

#[test]
fn register_mode_claims_seats_in_file_order_then_waitlists() {
    let (_d, _p, mut desk) = desk_with_capacity(2);
    let csv = "given_name,category\nFirst,delegate\nSecond,delegate\nThird,delegate\n";
    let out = desk.import(csv.as_bytes(), &ImportOptions { mode: ImportMode::Register, ..INVITE }).unwrap();
    assert_eq!((out.registered, out.waitlisted), (2, 1));
    assert_eq!(out.message, "Imported: 2 registered, 1 waitlisted (event full)");
    let w = desk.list(&ListFilter { status: Some("waitlisted".into()), ..Default::default() }).unwrap();
    assert_eq!(w[0].fields.given_name, "Third");
}

#[test]
fn a_reimport_updates_changed_people_only_when_asked_and_keeps_capitalisation() {
    let (_d, _p, mut desk) = desk();
    let v1 = "given_name,family_name,delegation,category,dietary\nIJsbrand,van 't Hof,Netherlands,Co-host,\nMARIA,ivanova,CARICOM IMPACS,Staff,\n";
    desk.import(v1.as_bytes(), &INVITE).unwrap();
    assert_eq!(names(&desk), ["IJsbrand van 't Hof", "MARIA ivanova"], "never title-cased");
    let v2 = "given_name,family_name,delegation,category,dietary\nIJsbrand,van 't Hof,Netherlands,Co-host,vegetarian\nMARIA,ivanova,CARICOM IMPACS,Staff,\n";
    let p = desk.import_preview(v2.as_bytes(), &INVITE).unwrap();
    assert_eq!((p.new, p.present, p.changed), (0, 1, 1));
    assert_eq!(p.changes[0].changes.len(), 1);
    assert_eq!(
        (p.changes[0].changes[0].before.as_str(), p.changes[0].changes[0].after.as_str()),
        ("", "vegetarian")
    );
    desk.import(v2.as_bytes(), &INVITE).unwrap();
    let ij = desk.list(&ListFilter { name: Some("ijsbrand".into()), ..Default::default() }).unwrap();
    assert_eq!(ij[0].fields.dietary, "", "not updated unless asked");
    let out = desk.import(v2.as_bytes(), &ImportOptions { update_existing: true, ..INVITE }).unwrap();
    assert_eq!(out.updated, 1);
    let ij = desk.list(&ListFilter { name: Some("ijsbrand".into()), ..Default::default() }).unwrap();
    assert_eq!(ij[0].fields.dietary, "vegetarian");
    assert_eq!(ij[0].status, Status::Invited, "an update leaves the status alone");
    let h = desk.history(ij[0].id).unwrap();
    assert_eq!(h.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["import", "import.update"]);
}

#[test]
fn an_invited_person_is_registered_at_the_desk_with_one_action() {
    let (_d, _p, mut desk) = desk_with_capacity(1);
    desk.import(b"given_name,category\nInvited,delegate\n", &INVITE).unwrap();
    let id = desk.list(&ListFilter::default()).unwrap()[0].id;
    assert_eq!(desk.status().unwrap().invited, 1);
    let out = desk.reinstate(id).unwrap();
    assert_eq!(out.message, "Registered — seat 1 of 1");
    let s = desk.status().unwrap();
    assert_eq!((s.invited, s.registered), (0, 1));
}

#[test]
fn the_shared_sample_list_imports_completely() {
    let (_d, _p, mut desk) = desk();
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/src/data/invitees-sample.csv")).unwrap();
    let p = desk.import_preview(&bytes, &INVITE).unwrap();
    assert_eq!((p.rows, p.new, p.invalid, p.unknown_columns.len()), (120, 120, 0, 0), "{:?}", p.errors);
    let out = desk.import(&bytes, &ImportOptions { mode: ImportMode::Register, ..INVITE }).unwrap();
    assert_eq!((out.registered, out.waitlisted), (100, 20));
}

/// An attendee report exported from Eventbrite imports as exported: its columns are
/// recognised, ticket names read as categories, and rows without one take the default.
#[test]
fn an_eventbrite_export_imports_as_exported() {
    let (_d, _p, mut desk) = desk();
    let bytes = std::fs::read("tests/data/eventbrite-attendees.csv").unwrap();
    let plain = desk.import_preview(&bytes, &ImportOptions::default()).unwrap();
    let read_as = |p: &delegate_desk::import::ImportPreview, h: &str| {
        p.columns.iter().find(|c| c.header == h).and_then(|c| c.field)
    };
    for (h, f) in [
        ("Prefix", Some("rank")),
        ("First Name", Some("givenName")),
        ("Ticket Type", Some("category")),
        ("Job Title", Some("position")),
        ("Company", Some("organization")),
        ("Cell Phone", Some("phone")),
        ("Order #", None),
        ("Attendee Status", None),
    ] {
        assert_eq!(read_as(&plain, h), f, "{h}");
    }
    // "Home Country" is no header of ours, and the last row has no ticket type.
    assert_eq!(plain.invalid, 1, "{:?}", plain.errors);
    assert_eq!(plain.errors[0].field, "category");

    let options = ImportOptions {
        map: [("Home Country".to_string(), "delegation".to_string())].into(),
        default_category: Some("Regional institution".into()),
        ..INVITE
    };
    let p = desk.import_preview(&bytes, &options).unwrap();
    assert_eq!((p.new, p.invalid, p.defaulted), (4, 0, 1), "{:?}", p.errors);
    assert_eq!(read_as(&p, "Home Country"), Some("delegation"));
    let out = desk.import(&bytes, &options).unwrap();
    assert_eq!(out.invited, 4);
    let all = desk.list(&ListFilter::default()).unwrap();
    let cote = all.iter().find(|a| a.fields.family_name == "Côté").unwrap();
    assert_eq!(cote.fields.category.wire(), "delegate");
    assert_eq!(cote.fields.delegation, "Canada");
    let press = all.iter().find(|a| a.fields.given_name == "Zoë").unwrap();
    assert_eq!(press.fields.category.wire(), "press");
    let sian = all.iter().find(|a| a.fields.given_name == "Siân").unwrap();
    assert_eq!(sian.fields.category.wire(), "regionalInstitution");

    // The mapping is remembered for the next file with the same header.
    let again = desk.import_preview(&bytes, &ImportOptions::default()).unwrap();
    let home = again.columns.iter().find(|c| c.header == "Home Country").unwrap();
    assert_eq!((home.field, home.source), (Some("delegation"), "remembered"));
    assert_eq!(again.present + again.invalid, 4);
}

/// A mapping that names no field, a column the file does not have, or two columns for one
/// field is refused with a message that says which.
#[test]
fn a_wrong_mapping_is_refused_with_its_reason() {
    let (_d, _p, desk) = desk();
    let bytes = std::fs::read("tests/data/eventbrite-attendees.csv").unwrap();
    let with = |h: &str, f: &str| ImportOptions { map: [(h.to_string(), f.to_string())].into(), ..INVITE };
    let e = desk.import_preview(&bytes, &with("Home Country", "shoe size")).unwrap_err();
    assert_eq!(e.field(), Some("map"));
    assert!(e.to_string().contains("no field has that name"), "{e}");
    let e = desk.import_preview(&bytes, &with("Country of birth", "delegation")).unwrap_err();
    assert!(e.to_string().contains("The file has no column \"Country of birth\""), "{e}");
    let two = ImportOptions {
        map: [("Home Country".into(), "email".into()), ("Order #".into(), "Email".into())].into(),
        ..INVITE
    };
    let e = desk.import_preview(&bytes, &two).unwrap_err();
    assert!(e.to_string().contains("are both read as email"), "{e}");
    // "Not used" is a choice too: the Email column then reads nothing.
    let p = desk.import_preview(&bytes, &with("Email", "")).unwrap();
    let email = p.columns.iter().find(|c| c.header == "Email").unwrap();
    assert_eq!((email.field, email.source), (None, "manual"));
    let e = desk
        .import_preview(&bytes, &ImportOptions { default_category: Some("Spectator".into()), ..INVITE })
        .unwrap_err();
    assert_eq!(e.field(), Some("defaultCategory"));
}

/// A file far wider or longer than any invite list is refused by its size in columns or people
/// before anything is planned: a header of separators alone once took seconds and hundreds of
/// megabytes to map, and a row count had no bound below the byte limit.
#[test]
fn a_file_too_wide_or_too_long_is_refused_by_its_shape_and_writes_nothing() {
    use delegate_desk::import::{MAX_IMPORT_COLUMNS, MAX_IMPORT_ROWS};
    let (_d, _p, mut desk) = desk();
    let wide = format!("given_name{}\nAda\n", ",email".repeat(MAX_IMPORT_COLUMNS));
    let e = desk.import_preview(wide.as_bytes(), &ImportOptions::default()).unwrap_err();
    assert!(e.to_string().contains(&format!("{} columns", MAX_IMPORT_COLUMNS + 1)), "{e}");
    assert!(e.to_string().contains("at most 200"), "{e}");
    let long_row = format!("given_name,family_name\nAda,Lovelace\nBo{}\n", ",".repeat(MAX_IMPORT_COLUMNS));
    let e = desk.import(long_row.as_bytes(), &ImportOptions::default()).unwrap_err();
    assert!(e.to_string().contains("Line 3 has 201 cells"), "{e}");
    // Exactly the most people is read; one more is refused, whole.
    let mut most = String::from("given_name,family_name\n");
    for i in 0..MAX_IMPORT_ROWS {
        most.push_str(&format!("G{i},F\n"));
    }
    let preview = desk.import_preview(most.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(preview.rows, MAX_IMPORT_ROWS);
    most.push_str("\n\nOne,More\n");
    let e = desk.import(most.as_bytes(), &ImportOptions::default()).unwrap_err();
    assert!(e.to_string().contains("more than 100,000 people"), "{e}");
    assert!(names(&desk).is_empty(), "nothing imported");
}

/// A file in no one encoding — UTF-8 with one line saved in Windows-1252, or a UTF-8 BOM with
/// a stray byte — is refused naming the line: read either way, names would be wrong. A file
/// all in Windows-1252, or all in UTF-8, still reads.
#[test]
fn a_file_that_mixes_encodings_is_refused_naming_the_line() {
    let (_d, _p, mut desk) = desk();
    let header = "given_name,family_name,delegation,category\n";
    let mut mixed = format!("{header}Hélène,Dupré,Haiti,Delegate\n").into_bytes();
    mixed.extend_from_slice(b"Jos\xE9,Garc\xEDa,Belize,Delegate\n");
    let e = desk.import(&mixed, &ImportOptions::default()).unwrap_err();
    assert!(e.to_string().contains("mixes encodings") && e.to_string().contains("line 3"), "{e}");
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(format!("{header}Ana,Lee,Haiti,Delegate\n").as_bytes());
    bom.extend_from_slice(b"Jos\xE9,Garc\xEDa,Belize,Delegate\n");
    let e = desk.import_preview(&bom, &ImportOptions::default()).unwrap_err();
    assert!(e.to_string().contains("line 3"), "{e}");
    assert!(names(&desk).is_empty(), "nothing imported");
    let cp1252 = windows_1252(&format!("{header}José,García,Belize,Delegate\n"));
    desk.import(&cp1252, &ImportOptions::default()).unwrap();
    assert_eq!(names(&desk).len(), 1);
}

/// A file of updates without a category column (e-mails and dietary needs): the people on
/// file are matched and updated, each keeping their category, and only a new person needs
/// one. With a default category given, it goes to the new people only: before, every row was
/// refused as a new person without a category, and with the default a VIP on file was made a
/// delegate by the update.
#[test]
fn an_update_file_without_categories_keeps_the_categories_on_file() {
    let (_d, _p, mut desk) = desk();
    let v1 = "given_name,family_name,delegation,category,email\nAnn,Lee,Haiti,VIP,ann@example.org\nBo,Ray,Belize,Staff,\n";
    desk.import(v1.as_bytes(), &INVITE).unwrap();
    let update = "email,given_name,family_name,delegation,dietary\nann@example.org,Ann,Lee,Haiti,Vegetarian\n,Bo,Ray,Belize,Halal\n,Cy,New,Belize,\n";
    let opts = ImportOptions { update_existing: true, ..INVITE };
    let p = desk.import_preview(update.as_bytes(), &opts).unwrap();
    assert_eq!((p.new, p.changed, p.invalid), (0, 2, 1), "{:?}", p.errors);
    assert_eq!(p.errors[0].line, 4, "only the new person needs a category: {:?}", p.errors);
    for c in &p.changes {
        let fields: Vec<&str> = c.changes.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["dietary"], "{}: only the dietary need changes", c.display_name);
    }
    let with_default = ImportOptions { default_category: Some("delegate".into()), ..opts };
    let p = desk.import_preview(update.as_bytes(), &with_default).unwrap();
    assert_eq!((p.new, p.changed, p.invalid, p.defaulted), (1, 2, 0, 1));
    let out = desk.import(update.as_bytes(), &with_default).unwrap();
    assert_eq!((out.invited, out.updated), (1, 2));
    let category = |name: &str| {
        let a = desk.list(&ListFilter { name: Some(name.into()), ..Default::default() }).unwrap();
        (a[0].fields.category.wire().to_string(), a[0].fields.dietary.clone())
    };
    assert_eq!(category("ann"), ("vip".to_string(), "Vegetarian".to_string()));
    assert_eq!(category("bo"), ("staff".to_string(), "Halal".to_string()));
    assert_eq!(category("cy").0, "delegate");
}

/// An update taking away a day someone is checked in for is refused by its line, in the
/// preview's forecast and by the import, and nothing is imported. Before, the preview failed
/// whole with the reason alone (no line, no preview to read), and the import's refusal did
/// not say that nothing was imported.
#[test]
fn an_update_refused_for_a_day_checked_in_names_its_line_in_the_preview_and_the_import() {
    let (_d, _p, mut desk) = desk();
    let v1 = "given_name,family_name,delegation,category\nBo,Ray,Belize,Staff\nAnn,Lee,Haiti,VIP\n";
    desk.import(v1.as_bytes(), &ImportOptions { mode: ImportMode::Register, ..INVITE }).unwrap();
    let ann = desk.list(&ListFilter { name: Some("ann".into()), ..Default::default() }).unwrap()[0].id;
    desk.check_in(ann, Some(1)).unwrap();
    let update = "given_name,family_name,delegation,category,days,dietary\nBo,Ray,Belize,Staff,,Halal\nAnn,Lee,Haiti,VIP,2,\n";
    let opts = ImportOptions { update_existing: true, ..INVITE };
    let p = desk.import_preview(update.as_bytes(), &opts).unwrap();
    assert_eq!(p.changed, 2);
    let refused = p.forecast.expect("a forecast").refused.expect("refused");
    assert!(refused.starts_with("Line 3: Ann Lee is checked in for day 1"), "{refused}");
    let rev = desk.revision().unwrap();
    let e = desk.import(update.as_bytes(), &opts).unwrap_err();
    assert!(matches!(e, delegate_desk::Error::Conflict(_)), "{e:?}");
    assert!(e.to_string().contains("Line 3: ") && e.to_string().ends_with("nothing was imported"), "{e}");
    assert_eq!(desk.revision().unwrap(), rev, "nothing written");
    let bo = desk.list(&ListFilter { name: Some("bo".into()), ..Default::default() }).unwrap();
    assert_eq!(bo[0].fields.dietary, "", "not even the row before it");
}

/// A semicolon or tab file that begins with a blank line (as some spreadsheets save it) reads
/// its columns: before, the separator was judged on the blank line, and the file was refused
/// as having no name column.
#[test]
fn a_file_beginning_with_a_blank_line_reads_its_separator_from_the_header() {
    let (_d, _p, desk) = desk();
    for csv in
        ["\r\ngiven_name;family_name;category\r\nAnn;Lee;VIP\r\n", "\n\ngiven_name\tcategory\nAnn\tVIP\n"]
    {
        let p = desk.import_preview(csv.as_bytes(), &INVITE).unwrap();
        assert_eq!((p.new, p.invalid), (1, 0), "{csv:?}: {:?}", p.errors);
    }
}

/// A column chosen now for a field wins over another column remembered for it from an earlier
/// import of the same layout. Before, every preview of the file was refused as two columns
/// read as one field, and the remembered choice could not be undone.
#[test]
fn a_field_chosen_now_wins_over_the_column_remembered_for_it() {
    let (_d, _p, mut desk) = desk();
    let file = "First Name,Last Name,Ticket Type,Home Country,Nationality\nAnn,Lee,VIP,Haiti,Jamaica\n";
    let map = |header: &str| ImportOptions {
        map: [(header.to_string(), "delegation".to_string())].into_iter().collect(),
        ..INVITE
    };
    desk.import(file.as_bytes(), &map("Home Country")).unwrap();
    let again = "First Name,Last Name,Ticket Type,Home Country,Nationality\nBo,Ray,Staff,Belize,Guyana\n";
    let p = desk.import_preview(again.as_bytes(), &map("Nationality")).unwrap();
    let field = |h: &str| p.columns.iter().find(|c| c.header == h).and_then(|c| c.field);
    assert_eq!((field("Nationality"), field("Home Country")), (Some("delegation"), None));
    desk.import(again.as_bytes(), &map("Nationality")).unwrap();
    let bo = desk.list(&ListFilter { name: Some("bo".into()), ..Default::default() }).unwrap();
    assert_eq!(bo[0].fields.delegation, "Guyana");
}

/// A quote opened and never closed: the csv reader takes the rest of the file as one value, and
/// the people after it were left out while the import said "4 registered". Refused, naming
/// its line, nothing written. A quote inside a name (O"Brien) opens nothing.
#[test]
fn a_quote_never_closed_is_refused_naming_its_line_not_the_rest_of_the_file_dropped() {
    let (_d, _p, mut desk) = desk();
    let mut csv = String::from("given_name,family_name,delegation,category,Hotel\n");
    for i in 0..10 {
        let hotel = if i == 3 { "\"Marriott" } else { "Hilton" };
        csv.push_str(&format!("P{i},F{i},Jamaica,delegate,{hotel}\n"));
    }
    let before = desk.revision().unwrap();
    let e = desk.import_preview(csv.as_bytes(), &INVITE).unwrap_err();
    assert!(e.to_string().contains("Line 5 opens a quoted value"), "{e}");
    let e = desk.import(csv.as_bytes(), &INVITE).unwrap_err();
    assert!(e.to_string().contains("Line 5 opens a quoted value"), "{e}");
    assert_eq!(desk.revision().unwrap(), before, "nothing written");
    // Quotes that open and close, a doubled quote inside, a quote inside a name: all read.
    let fine = "given_name,family_name,delegation,category,notes\n\
                Ann,O\"Brien,Ireland,delegate,\"one, \"\"two\"\"\nthree\"\n\
                Bob,Lee,Jamaica,delegate,plain\n";
    let p = desk.import_preview(fine.as_bytes(), &INVITE).unwrap();
    assert_eq!((p.rows, p.new, p.invalid), (2, 2, 0));
}

/// The header line again in the middle of the file (two exports put end to end) is refused as
/// a row, naming its line: it was imported as a person "given_name family_name" taking a seat.
#[test]
fn a_header_line_repeated_inside_the_file_is_not_a_person() {
    let (_d, _p, desk) = desk();
    let csv = "given_name,family_name,delegation,category\n\
               John,Smith,Jamaica,delegate\n\
               Given_Name,family_name,delegation,category,\n\
               Anne,Lee,Barbados,delegate\n";
    let p = desk.import_preview(csv.as_bytes(), &INVITE).unwrap();
    assert_eq!((p.rows, p.new, p.invalid), (3, 2, 1));
    assert_eq!(p.errors[0].line, 3);
    assert!(p.errors[0].message.contains("repeats the header line"), "{}", p.errors[0].message);
}

/// A row without a delegation (an update file of names and dietary needs, a blank merged cell)
/// is the one person of that name on file: it was taken for a new person, who took a second
/// seat. With two of that name on file, the row must say which.
#[test]
fn a_row_without_a_delegation_is_the_one_person_of_that_name_on_file() {
    let (_d, _p, mut desk) = desk();
    let register = ImportOptions { mode: ImportMode::Register, ..INVITE };
    desk.import(b"given_name,family_name,delegation,category\nJohn,Smith,Jamaica,delegate\n", &register)
        .unwrap();
    let update = ImportOptions { update_existing: true, ..register.clone() };
    let file = "First Name,Last Name,Dietary\nJohn,Smith,Vegetarian\n";
    let p = desk.import_preview(file.as_bytes(), &update).unwrap();
    assert_eq!((p.new, p.changed, p.invalid), (0, 1, 0), "{:?}", p.errors);
    desk.import(file.as_bytes(), &update).unwrap();
    let people = desk.list(&ListFilter::default()).unwrap();
    assert_eq!(people.len(), 1);
    assert_eq!(
        (people[0].fields.delegation.as_str(), people[0].fields.dietary.as_str()),
        ("Jamaica", "Vegetarian")
    );
    assert_eq!(desk.status().unwrap().registered, 1, "no second seat");
    // Two people of that name: the row is refused, naming both delegations.
    desk.import(b"given_name,family_name,delegation,category\nJohn,Smith,Haiti,delegate\n", &register)
        .unwrap();
    let p = desk.import_preview(file.as_bytes(), &update).unwrap();
    assert_eq!((p.new, p.changed, p.invalid), (0, 0, 1));
    assert_eq!(p.errors[0].field, "delegation");
    assert!(
        p.errors[0].message.contains("Jamaica") && p.errors[0].message.contains("Haiti"),
        "{}",
        p.errors[0].message
    );
}

/// A row of another name with the e-mail of someone on file is another person (a shared office
/// address): refused, naming who has the e-mail. It renamed the person on file, who kept their
/// clearance and seat under the new name.
#[test]
fn a_shared_e_mail_does_not_turn_one_person_into_another() {
    let (_d, _p, mut desk) = desk();
    let register = ImportOptions { mode: ImportMode::Register, update_existing: true, ..INVITE };
    desk.import(
        b"given_name,family_name,delegation,category,email,vetting\nJohn,Brown,Jamaica,delegate,protocol@mfa.gov.jm,cleared\n",
        &register,
    )
    .unwrap();
    let file =
        "given_name,family_name,delegation,category,email\nMary,Green,Jamaica,observer,protocol@mfa.gov.jm\n";
    let p = desk.import_preview(file.as_bytes(), &register).unwrap();
    assert_eq!((p.new, p.changed, p.invalid), (0, 0, 1));
    assert_eq!(p.errors[0].field, "email");
    assert!(p.errors[0].message.contains("John Brown"), "{}", p.errors[0].message);
    assert!(desk.import(file.as_bytes(), &register).is_err());
    let people = desk.list(&ListFilter::default()).unwrap();
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].display_name, "John Brown");
    // The same person, the e-mail and the name agreeing, is still found by the e-mail.
    let same =
        "given_name,family_name,delegation,category,email\nJohn,Brown,Jamaica,vip,PROTOCOL@mfa.gov.jm\n";
    let p = desk.import_preview(same.as_bytes(), &register).unwrap();
    assert_eq!((p.new, p.changed, p.invalid), (0, 1, 0));
}

/// People already on the list without a seat (invited) in a file imported to register: not
/// registered by it, and said so. It said "Imported: 2 already present", and nobody had a seat.
#[test]
fn a_register_import_says_who_on_the_list_it_did_not_register() {
    let (_d, _p, mut desk) = desk();
    let file =
        "given_name,family_name,delegation,category\nAnn,Lee,Belize,delegate\nBob,Roy,Haiti,delegate\n";
    desk.import(file.as_bytes(), &INVITE).unwrap();
    let register = ImportOptions { mode: ImportMode::Register, ..INVITE };
    let p = desk.import_preview(file.as_bytes(), &register).unwrap();
    assert_eq!((p.present, p.unseated), (2, 2));
    let out = desk.import(file.as_bytes(), &register).unwrap();
    assert_eq!(out.registered, 0);
    assert!(out.message.starts_with("Nothing imported: "), "{}", out.message);
    assert!(
        out.message.contains("not registered by this import: 2 already on the list (2 invited)"),
        "{}",
        out.message
    );
    assert_eq!(desk.status().unwrap().registered, 0);
}

/// A French list is read by its headers (accents folded: "Prénom", "Délégation"); it was
/// refused as having no name column. A workbook chosen in place of its CSV is said to be one
/// (it was "mixes encodings: it is UTF-8").
#[test]
fn a_french_list_is_read_and_a_workbook_is_named_as_one() {
    let (_d, _p, desk) = desk();
    let file =
        "Prénom;Nom;Délégation;Catégorie\nHélène;Dupré;France;Délégué\nJan;de Vries;Pays-Bas;observer\n";
    let p = desk.import_preview(file.as_bytes(), &INVITE).unwrap();
    let fields: Vec<Option<&str>> = p.columns.iter().map(|c| c.field).collect();
    assert_eq!(fields, [Some("givenName"), Some("familyName"), Some("delegation"), Some("category")]);
    assert_eq!(p.rows, 2);
    let xlsx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00rest of a zip";
    let e = desk.import_preview(xlsx, &INVITE).unwrap_err();
    assert!(e.to_string().contains("spreadsheet workbook") && e.to_string().contains("CSV UTF-8"), "{e}");
    let e = desk.import_preview(b"g\0i\0v\0e\0n\0", &INVITE).unwrap_err();
    assert!(e.to_string().contains("not text"), "{e}");
}

/// A file whose header is not a header (one long value) is refused in a message a person can
/// read: it listed every header whole (a 20,000-line file made a message of 800 KB).
#[test]
fn a_file_without_a_name_column_is_refused_in_a_short_message() {
    let (_d, _p, desk) = desk();
    let mut file = String::from("\"");
    for i in 0..20_000 {
        file.push_str(&format!("line {i}, more text here\n"));
    }
    file.push_str("\",x\n");
    let e = desk.import_preview(file.as_bytes(), &INVITE).unwrap_err();
    assert!(
        e.to_string().contains("no name column") && e.to_string().len() < 600,
        "{} bytes",
        e.to_string().len()
    );
    let wide: Vec<String> = (0..50).map(|i| format!("column number {i}")).collect();
    let e = desk.import_preview(format!("{}\n", wide.join(",")).as_bytes(), &INVITE).unwrap_err();
    assert!(e.to_string().contains("and 30 more"), "{e}");
}
