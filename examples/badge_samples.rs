//! Writes one sample PDF per badge stock into the folder given (default `target/badge-samples`)
//! with the test names of the badge issue, to look at them: `cargo run --example badge_samples`.

use delegate_desk::badge::pdf::{badges_pdf, calibration_pdf, Drawn, Offset};
use delegate_desk::badge::{layout, BadgeContent, PRESETS};
use delegate_desk::Category;

const NAMES: &[(&str, &str, &str, Category)] = &[
    ("Col.", "Hélène Dupré-Bâtard", "France", Category::CoHost),
    ("Lt. Col.", "Marc-André Côté", "Canada", Category::CoHost),
    ("Dr.", "IJsbrand van 't Hof", "Netherlands", Category::CoHost),
    ("Ms.", "Siân Ó Súilleabháin", "United Kingdom", Category::Observer),
    ("H.E.", "Begoña Núñez Almánzar", "Dominican Republic", Category::Vip),
    ("Mr.", "Łukasz Żółć", "Press", Category::Press),
    ("Cdr.", "Jean-Baptiste Ngô", "Haiti", Category::Delegate),
    ("Dr.", "Zoë O'Brien-Ísleifsdóttir", "CDEMA", Category::RegionalInstitution),
    ("Mr.", "Αλέξανδρος Παπαδόπουλος", "Regional Security System", Category::Speaker),
    ("Ms.", "Мария Иванова", "CARICOM IMPACS", Category::Staff),
    (
        "Brig. Gen.",
        "Bartholomew Montgomery-Fitzwilliam Archibald",
        "Saint Vincent and the Grenadines",
        Category::Delegate,
    ),
];

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "target/badge-samples".into());
    std::fs::create_dir_all(&dir).expect("output folder");
    let contents: Vec<BadgeContent> = NAMES
        .iter()
        .enumerate()
        .map(|(i, (rank, name, delegation, category))| BadgeContent {
            attendee_id: i as i64 + 1,
            version: 1,
            event_name: "Caribbean Nations Security Conference (CANSEC) 2019".into(),
            event_dates: "14–15 November 2019 · U.S. Southern Command, Miami".into(),
            rank: rank.to_string(),
            name: name.to_string(),
            position: "Head of Maritime Security".into(),
            organization: "Ministry of National Security".into(),
            delegation: delegation.to_string(),
            category: *category,
            valid_days: "All days · 14–15 Nov".into(),
        })
        .collect();
    for p in PRESETS {
        let layouts: Vec<_> = contents.iter().map(|c| layout(c, p.badge_width, p.badge_height)).collect();
        let drawn: Vec<Drawn> = layouts
            .iter()
            .map(|l| Drawn { layout: l, qr: delegate_desk::token::new_token().unwrap() })
            .collect();
        let pdf = badges_pdf(&drawn, p, Offset::default(), "Badge samples");
        std::fs::write(format!("{dir}/{}.pdf", p.name), pdf).expect("write");
        std::fs::write(format!("{dir}/{}-calibration.pdf", p.name), calibration_pdf(p, Offset::default()))
            .expect("write");
        for l in &layouts {
            for i in &l.issues {
                println!("{}: {}", p.name, i.describe());
            }
        }
    }
    println!("written to {dir}");
}
