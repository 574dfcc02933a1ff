//! The PDF roster: a sign-in sheet grouped by delegation, on US Letter landscape, with the
//! same embedded font as the badges. Columns No. / Name / Position / Organisation / Category /
//! Days / Signature; long values wrap (a word too long for its column is broken), never
//! clipped; the table header repeats on every page; "Page X of Y" in the footer. A session's
//! sign-in sheet is the same table with "In at" (the time each was admitted) for "Days".

use crate::badge::fonts::{metrics, Weight};
use crate::badge::layout::Rgb;
use crate::badge::pdf::{colour, fill_rect, line, Doc};
use crate::model::{Attendee, Event, Session};
use printpdf::{Op, Pt};
use std::collections::HashMap;

const PAGE_W: f32 = 792.0;
const PAGE_H: f32 = 612.0;
const MARGIN: f32 = 36.0;
const SIZE: f32 = 9.0;
const LEADING: f32 = 11.0;
const PAD: f32 = 4.0;
/// Signature rows are at least this tall, so there is room to sign.
const MIN_ROW: f32 = 24.0;

/// (header, width in points) of each column; the widths fill the page between the margins.
/// "No." holds six digits on one line (a list may hold 100,000 people; at 30 pt, "1000" broke
/// into "100" over "0").
const COLUMNS: [(&str, f32); 7] = [
    ("No.", 44.0),
    ("Name", 150.0),
    ("Position", 130.0),
    ("Organisation", 150.0),
    ("Category", 80.0),
    ("Days", 45.0),
    ("Signature", 121.0),
];

/// Break `text` into lines that fit `width` at `size`: at spaces, and inside a word only when
/// the word alone is too long.
pub fn wrap(text: &str, weight: Weight, size: f32, width: f32) -> Vec<String> {
    let m = metrics(weight);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut current = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if current.is_empty() { word.to_string() } else { format!("{current} {word}") };
            if m.width(&candidate, size) <= width {
                current = candidate;
                continue;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            // The word alone: break it where it must.
            let mut piece = String::new();
            for c in word.chars() {
                let longer = format!("{piece}{c}");
                if m.width(&longer, size) > width && !piece.is_empty() {
                    lines.push(std::mem::replace(&mut piece, c.to_string()));
                } else {
                    piece = longer;
                }
            }
            current = piece;
        }
        lines.push(current);
    }
    while lines.len() > 1 && lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// One laid-out line of the table.
enum Item {
    /// A delegation's heading, wrapped, and as it is repeated at the top of a page the group
    /// goes on to ("Jamaica (40), continued").
    Group {
        title: Vec<String>,
        continued: Vec<String>,
    },
    Row {
        cells: Vec<Vec<String>>,
        height: f32,
    },
}

fn cells(no: usize, a: &Attendee, sixth: &dyn Fn(&Attendee) -> String) -> Vec<Vec<String>> {
    let values = [
        no.to_string(),
        crate::text::printable(&a.display_name).into_owned(),
        crate::text::printable(&a.fields.position).into_owned(),
        crate::text::printable(&a.fields.organization).into_owned(),
        a.fields.category.label().to_string(),
        sixth(a),
        String::new(),
    ];
    values.iter().zip(COLUMNS).map(|(v, (_, w))| wrap(v, Weight::Regular, SIZE, w - 2.0 * PAD)).collect()
}

/// A PDF sheet and what in it will not print as it reads: text with a character the
/// embedded font cannot draw (it prints blank), or written right to left (it prints in
/// reverse order), each said once with whose line it is.
pub struct Sheet {
    /// The PDF.
    pub bytes: Vec<u8>,
    /// "#12 王 小明: 王, 小, 明 cannot be printed by the sheet's font (they print blank)".
    pub warnings: Vec<String>,
}

/// What in `text` will not print as it reads, if anything: for the warning naming `whose`.
fn misprint(whose: &str, text: &str, weight: Weight) -> Option<String> {
    let missing = metrics(weight).missing(text);
    if !missing.is_empty() {
        let chars: Vec<String> = missing.iter().take(8).map(char::to_string).collect();
        let more = if missing.len() > 8 { ", …" } else { "" };
        return Some(format!(
            "{whose}: {}{more} cannot be printed by the sheet's font (they print blank)",
            chars.join(", ")
        ));
    }
    crate::text::has_right_to_left(text)
        .then(|| format!("{whose}: written right to left, it prints in reverse order"))
}

/// The roster of `people` (already in the order wanted) as a PDF; `generated` is the time
/// printed in the header.
pub fn roster_pdf(event: &Event, people: &[Attendee], generated: &str) -> Sheet {
    let days = |a: &Attendee| a.fields.days.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
    let heading =
        format!("Sign-in roster · {}", crate::badge::date_range(event.start_date, event.end_date, true));
    sheet_pdf(event, people, &heading, ("Days", &days), generated)
}

/// The sign-in sheet of `session`: `people` (in the order wanted), each with the time they
/// were admitted when they were (`in_at`, by attendee id).
pub fn attendance_pdf(
    event: &Event,
    session: &Session,
    people: &[Attendee],
    in_at: &HashMap<i64, String>,
    generated: &str,
) -> Sheet {
    let room = if session.room.is_empty() { String::new() } else { format!(" · {}", session.room) };
    let heading = format!(
        "Sign-in sheet · “{}” · day {}, {}–{}{room}",
        session.title, session.day, session.start, session.end
    );
    let at = |a: &Attendee| in_at.get(&a.id).cloned().unwrap_or_default();
    sheet_pdf(event, people, &heading, ("In at", &at), generated)
}

/// The table of `people` under `heading`, its sixth column `sixth` (header, value).
fn sheet_pdf(
    event: &Event,
    people: &[Attendee],
    heading: &str,
    sixth: (&str, &dyn Fn(&Attendee) -> String),
    generated: &str,
) -> Sheet {
    let mut warnings = Vec::new();
    let mut check = |whose: &str, text: &str, weight: Weight| {
        if let Some(w) = misprint(whose, text, weight) {
            if !warnings.contains(&w) {
                warnings.push(w);
            }
        }
    };
    // Group by delegation, in order of delegation then the list's order. Spellings that differ
    // only in case or accents ("Jamaica", "JAMAICA") are one group, headed by the first seen.
    let key = |a: &Attendee| crate::text::fold(&a.fields.delegation);
    let mut sorted: Vec<(String, &Attendee)> = people.iter().map(|a| (key(a), a)).collect();
    sorted.sort_by(|x, y| x.0.cmp(&y.0));
    let mut items = Vec::new();
    let mut group: Option<&str> = None;
    let mut no = 0;
    for (i, (k, a)) in sorted.iter().enumerate() {
        if group != Some(k.as_str()) {
            let count = sorted[i..].iter().take_while(|(other, _)| other == k).count();
            let d = if a.fields.delegation.is_empty() { "(no delegation)" } else { &a.fields.delegation };
            check(&format!("Delegation {d}"), d, Weight::Bold);
            let title = wrap(&format!("{d} ({count})"), Weight::Bold, 11.0, PAGE_W - 2.0 * MARGIN);
            let continued =
                wrap(&format!("{d} ({count}), continued"), Weight::Bold, 11.0, PAGE_W - 2.0 * MARGIN);
            items.push(Item::Group { title, continued });
            group = Some(k);
        }
        no += 1;
        let whose = format!("#{} {}", a.id, a.display_name);
        for text in [&a.display_name, &a.fields.position, &a.fields.organization] {
            check(&whose, &crate::text::printable(text), Weight::Regular);
        }
        let c = cells(no, a, sixth.1);
        let lines = c.iter().map(Vec::len).max().unwrap_or(1) as f32;
        items.push(Item::Row { cells: c, height: (lines * LEADING + 2.0 * PAD).max(MIN_ROW) });
    }

    // The header block, on every page: the event's name and the sheet's heading, each wrapped
    // to the page's width (a long name or session title ran off the page, and the people
    // count and the time went with it).
    let width = PAGE_W - 2.0 * MARGIN;
    check("The event's name", &event.name, Weight::Bold);
    check("The heading", heading, Weight::Regular);
    let name_lines = wrap(&event.name, Weight::Bold, 14.0, width);
    let sub = format!(
        "{heading} · {} {} · generated {generated}",
        people.len(),
        if people.len() == 1 { "person" } else { "people" }
    );
    let sub_lines = wrap(&sub, Weight::Regular, 9.0, width);
    let header = name_lines.len() as f32 * 17.0 + sub_lines.len() as f32 * 11.0 + 12.0;

    // Paginate: the header block and table header on every page.
    let top = PAGE_H - MARGIN - header;
    let bottom = MARGIN + 20.0;
    let table_header = 18.0;
    // Each page holds (item, y, continued): `continued` marks a group's heading repeated at the
    // top of a page its rows go on to, so that the people who sign there see their delegation.
    let mut pages: Vec<Vec<(usize, f32, bool)>> = vec![Vec::new()];
    let mut y = top - table_header;
    let mut last_group = None;
    for (i, item) in items.iter().enumerate() {
        let h = match item {
            Item::Group { title, .. } => group_height(title),
            Item::Row { height, .. } => *height,
        };
        // A group heading never ends a page alone.
        let needs = if matches!(item, Item::Group { .. }) {
            h + items.get(i + 1).map_or(0.0, |n| if let Item::Row { height, .. } = n { *height } else { 0.0 })
        } else {
            h
        };
        if y - needs < bottom && !pages.last().is_some_and(Vec::is_empty) {
            pages.push(Vec::new());
            y = top - table_header;
            if let (Item::Row { .. }, Some(g)) = (item, last_group) {
                if let (Some(p), Item::Group { continued, .. }) = (pages.last_mut(), &items[g]) {
                    p.push((g, y, true));
                    y -= group_height(continued);
                }
            }
        }
        if matches!(item, Item::Group { .. }) {
            last_group = Some(i);
        }
        if let Some(p) = pages.last_mut() {
            p.push((i, y, false));
        }
        y -= h;
    }

    let mut doc = Doc::new(&format!("Roster — {}", event.name));
    let total = pages.len();
    let mut out_pages = Vec::with_capacity(total);
    for (n, page) in pages.iter().enumerate() {
        let mut ops = Vec::new();
        ops.push(Op::SetFillColor { col: colour(Rgb(0.0, 0.0, 0.0)) });
        let mut y = PAGE_H - MARGIN;
        for l in &name_lines {
            y -= 17.0;
            doc.text(&mut ops, l, Weight::Bold, 14.0, (MARGIN, y + 3.0), 1.0);
        }
        y -= 2.0;
        for l in &sub_lines {
            y -= 11.0;
            doc.text(&mut ops, l, Weight::Regular, 9.0, (MARGIN, y + 2.0), 1.0);
        }
        // Table header.
        ops.push(Op::SetFillColor { col: colour(Rgb(0.9, 0.92, 0.95)) });
        fill_rect(&mut ops, MARGIN, top - table_header, PAGE_W - 2.0 * MARGIN, table_header);
        ops.push(Op::SetFillColor { col: colour(Rgb(0.0, 0.0, 0.0)) });
        let mut x = MARGIN;
        for (i, (h, w)) in COLUMNS.iter().enumerate() {
            let h = if i == 5 { sixth.0 } else { h };
            doc.text(&mut ops, h, Weight::Bold, SIZE, (x + PAD, top - 12.5), 1.0);
            x += w;
        }
        ops.push(Op::SetOutlineColor { col: colour(Rgb(0.55, 0.58, 0.62)) });
        ops.push(Op::SetOutlineThickness { pt: Pt(0.4) });
        for &(i, y, again) in page {
            match &items[i] {
                Item::Group { title, continued } => {
                    let title = if again { continued } else { title };
                    ops.push(Op::SetFillColor { col: colour(Rgb(0.07, 0.16, 0.29)) });
                    for (k, l) in title.iter().enumerate() {
                        doc.text(&mut ops, l, Weight::Bold, 11.0, (MARGIN, y - 14.0 - k as f32 * 13.0), 1.0);
                    }
                }
                Item::Row { cells, height } => {
                    ops.push(Op::SetFillColor { col: colour(Rgb(0.0, 0.0, 0.0)) });
                    let mut x = MARGIN;
                    for (lines, (_, w)) in cells.iter().zip(COLUMNS) {
                        for (k, l) in lines.iter().enumerate() {
                            let baseline = y - PAD - SIZE + 1.0 - k as f32 * LEADING;
                            doc.text(&mut ops, l, Weight::Regular, SIZE, (x + PAD, baseline), 1.0);
                        }
                        x += w;
                    }
                    line(&mut ops, (MARGIN, y - height), (PAGE_W - MARGIN, y - height));
                }
            }
        }
        ops.push(Op::SetFillColor { col: colour(Rgb(0.3, 0.3, 0.3)) });
        let footer = format!("Page {} of {total}", n + 1);
        let fw = metrics(Weight::Regular).width(&footer, 8.0);
        doc.text(&mut ops, &footer, Weight::Regular, 8.0, (PAGE_W - MARGIN - fw, MARGIN), 1.0);
        out_pages.push(Doc::page_sized(PAGE_W, PAGE_H, ops));
    }
    Sheet { bytes: doc.save(out_pages), warnings }
}

/// The height of a delegation's heading of `lines` lines.
fn group_height(lines: &[String]) -> f32 {
    20.0 + lines.len().saturating_sub(1) as f32 * 13.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_columns_fill_the_page_and_a_six_digit_number_is_one_line() {
        let total: f32 = COLUMNS.iter().map(|c| c.1).sum();
        assert_eq!(total, PAGE_W - 2.0 * MARGIN);
        for n in ["1000", "99999", "100000"] {
            assert_eq!(wrap(n, Weight::Regular, SIZE, COLUMNS[0].1 - 2.0 * PAD), [n], "{n}");
        }
    }

    #[test]
    fn wrapping_keeps_every_character_and_fits() {
        let text =
            "Caribbean Community Implementation Agency for Crime and Security Wolfeschlegelsteinhausenberger";
        let lines = wrap(text, Weight::Regular, 9.0, 100.0);
        assert!(lines.len() > 3);
        for l in &lines {
            assert!(metrics(Weight::Regular).width(l, 9.0) <= 100.0 + 0.01, "{l}");
        }
        let joined: String = lines.concat().chars().filter(|c| !c.is_whitespace()).collect();
        let original: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(joined, original);
        assert_eq!(wrap("", Weight::Regular, 9.0, 100.0), [""]);
    }
}
