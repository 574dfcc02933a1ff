//! Files the window writes: named with the time at the venue, never outside the output
//! folder whatever the name it is given, and two jobs in one second get two files. (The only
//! test binary that sets `DELEGATE_DESK_OUTPUT_DIR` besides tests/badges.rs: each test binary
//! is its own process.)

mod common;

use chrono::{Duration, Utc};
use common::desk;
use delegate_desk::model::parse_timezone;
use delegate_desk::printing::OUTPUT_DIR_ENV;
use delegate_desk::{Error, EventInput};

/// A time zone is refused unless it is an IANA name; any case is accepted and stored in its
/// canonical spelling.
#[test]
fn time_zones_are_validated_and_spelled_canonically() {
    assert_eq!(parse_timezone(" america/port_of_spain ").unwrap().name(), "America/Port_of_Spain");
    for bad in ["Mars/Olympus_Mons", "EST-5", "", "America/New York", &"x".repeat(10_000)] {
        let e = parse_timezone(bad).unwrap_err();
        assert_eq!(e.field(), Some("timezone"), "{bad:.20}");
    }
    let (_d, _p, mut desk) = desk();
    let e = desk
        .update_event(&EventInput { timezone: Some("Caribbean/Bridgetown".into()), ..Default::default() });
    assert_eq!(e.unwrap_err().field(), Some("timezone"));
    let out =
        desk.update_event(&EventInput { timezone: Some("america/barbados".into()), ..Default::default() });
    assert_eq!(out.unwrap().event.timezone, "America/Barbados");
}

/// File names and the roster's "generated" line carry the time at the venue, not this
/// computer's; a stem from the window cannot leave the output folder; a failed job leaves
/// no empty file behind.
#[test]
fn output_files_use_the_venue_time_and_stay_in_the_output_folder() {
    let out = tempfile::tempdir().unwrap();
    std::env::set_var(OUTPUT_DIR_ENV, out.path());
    let (_d, _p, mut desk) = desk();
    desk.update_event(&EventInput { timezone: Some("Asia/Tokyo".into()), ..Default::default() }).unwrap();
    let tokyo = |t: chrono::DateTime<Utc>| (t + Duration::hours(9)).format("%Y-%m-%d-%H").to_string();
    let before = tokyo(Utc::now());
    let a = desk.new_output_file("roster", "csv").unwrap();
    let after = tokyo(Utc::now());
    let name = a.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with(&format!("roster-{before}")) || name.starts_with(&format!("roster-{after}")),
        "{name}"
    );
    let b = desk.new_output_file("roster", "csv").unwrap();
    assert_ne!(a, b, "two files in one second");

    let evil = desk.new_output_file("calibration-../../../etc/x", "pdf/../../y").unwrap();
    assert_eq!(evil.parent().unwrap(), out.path(), "{}", evil.display());

    let failed: Result<(), Error> =
        desk.to_new_file("badges", "pdf", |_, _| Err(Error::Conflict("no".into())));
    assert!(failed.is_err());
    let left: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("badges"))
        .collect();
    assert!(left.is_empty(), "{left:?}");

    desk.register(&common::nth(1)).unwrap();
    let req = delegate_desk::export::ExportRequest {
        format: delegate_desk::export::Format::Pdf,
        filter: Default::default(),
        columns: "full".into(),
        sheet_per_preset: false,
    };
    let pdf = desk.to_new_file("roster", "pdf", |d, out| d.export_roster(&req, out)).unwrap();
    let text = std::process::Command::new("pdftotext").arg(&pdf.path).arg("-").output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("JST"), "the generated time names the venue's zone: {text}");
}
