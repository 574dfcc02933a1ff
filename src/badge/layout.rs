//! Where everything goes on one badge, and how each line is made to fit: measured with the
//! embedded font, shrunk down to a minimum size, then condensed — never clipped, never
//! overflowing. Everything here is in points, from the badge's lower-left corner.

use super::fonts::{metrics, Weight};
use super::BadgeContent;
use crate::model::Category;
use serde::Serialize;

/// An RGB colour, each channel 0.0–1.0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rgb(pub f32, pub f32, pub f32);

const INK: Rgb = Rgb(0.07, 0.09, 0.15);
const GREY: Rgb = Rgb(0.25, 0.28, 0.33);
const WHITE: Rgb = Rgb(1.0, 1.0, 1.0);

/// The colour of a category's band.
pub fn category_colour(c: Category) -> Rgb {
    let hex = match c {
        Category::Delegate => 0x1f3a5f,
        Category::CoHost => 0x8b1a1a,
        Category::RegionalInstitution => 0x0f6b6b,
        Category::Observer => 0x4b5563,
        Category::Speaker => 0x5b2a86,
        Category::Vip => 0x7a5200,
        Category::Press => 0xb83d0b,
        Category::Staff => 0x2f6b2f,
    };
    let ch = |shift: u32| ((hex >> shift) & 0xff) as f32 / 255.0;
    Rgb(ch(16), ch(8), ch(0))
}

/// One line of text, placed and sized.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlacedText {
    /// Which field it shows (`name`, `delegation`, …).
    pub field: &'static str,
    /// The text, NFC-normalized.
    pub text: String,
    /// Regular or bold.
    #[serde(skip)]
    pub weight: Weight,
    /// Font size, points.
    pub size: f32,
    /// Horizontal scaling, 1.0 = not condensed.
    pub scale: f32,
    /// Left end of the baseline.
    pub x: f32,
    /// Baseline.
    pub y: f32,
    /// Drawn width (already scaled).
    pub width: f32,
    /// The box the line must stay in: left edge and width.
    pub box_x: f32,
    /// Width of the box.
    pub box_width: f32,
    /// Colour.
    #[serde(skip)]
    pub colour: Rgb,
}

/// A filled rectangle.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Block {
    /// Left.
    pub x: f32,
    /// Bottom.
    pub y: f32,
    /// Width.
    pub width: f32,
    /// Height.
    pub height: f32,
    /// Fill colour.
    #[serde(skip)]
    pub colour: Rgb,
}

/// What a badge needed to make its text fit, or could not draw.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", tag = "problem")]
pub enum FitProblem {
    /// Characters the font has no glyph for: they would print as empty boxes.
    MissingGlyphs {
        /// The characters.
        chars: Vec<char>,
    },
    /// The text did not fit at the smallest size and was condensed.
    Condensed {
        /// The horizontal scaling applied, in percent.
        percent: u32,
    },
    /// Letters written right to left (Arabic, Hebrew…): the badge lays text out left to
    /// right, letter by letter, so they would print reversed and unjoined.
    RightToLeft,
    /// The text was shrunk below the smallest size its line is designed for (a small stock
    /// with much to say).
    Shrunk {
        /// The size printed, in points (one decimal).
        size_pt: f32,
        /// The line's designed smallest size, in points.
        minimum_pt: f32,
    },
}

/// The smallest size each line of a badge is designed for, in points: below it the pre-flight
/// check reports the line.
pub fn minimum_size(field: &str) -> f32 {
    match field {
        "name" => 12.0,
        "delegation" => 9.0,
        "rank" => 7.0,
        "position" | "organization" | "access" => 6.0,
        _ => 5.0,
    }
}

/// One finding of the pre-flight check on one line of one badge.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FitIssue {
    /// Which field (`name`, `organization`, …).
    pub field: &'static str,
    /// The text concerned.
    pub text: String,
    /// What happened.
    #[serde(flatten)]
    pub problem: FitProblem,
}

impl FitIssue {
    /// One sentence for the operator.
    pub fn describe(&self) -> String {
        match &self.problem {
            FitProblem::MissingGlyphs { chars } => {
                let list: Vec<String> =
                    chars.iter().map(|c| format!("\"{c}\" (U+{:04X})", *c as u32)).collect();
                format!("{} \"{}\": the badge font cannot draw {}", self.field, self.text, list.join(", "))
            }
            FitProblem::RightToLeft => format!(
                "{} \"{}\" is written right to left: the badge would print its letters reversed and unjoined. Give a badge name in Latin letters",
                self.field, self.text
            ),
            FitProblem::Condensed { percent } => format!(
                "{} \"{}\" is too long: condensed to {percent} % of its width at the smallest size",
                self.field, self.text
            ),
            FitProblem::Shrunk { size_pt, minimum_pt } => format!(
                "{} \"{}\" had to be shrunk to {size_pt} pt, below its {minimum_pt} pt minimum",
                self.field, self.text
            ),
        }
    }
}

/// A badge laid out.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BadgeLayout {
    /// Badge width.
    pub width: f32,
    /// Badge height.
    pub height: f32,
    /// Every line of text.
    pub texts: Vec<PlacedText>,
    /// The full-width category band.
    pub band: Block,
    /// Where the QR code goes (a square: `width` = `height`).
    pub qr: Block,
    /// What the pre-flight check found.
    pub issues: Vec<FitIssue>,
}

/// How one line may be sized: largest size, smallest size before condensing.
#[derive(Clone, Copy)]
struct Size {
    max: f32,
    min: f32,
}

/// The size and horizontal scaling that make `text` fit `box_width`.
fn fit(text: &str, weight: Weight, size: Size, box_width: f32) -> (f32, f32) {
    let m = metrics(weight);
    let at_max = m.width(text, size.max);
    if at_max <= box_width || at_max == 0.0 {
        return (size.max, 1.0);
    }
    let shrunk = size.max * box_width / at_max;
    if shrunk >= size.min {
        return (shrunk, 1.0);
    }
    (size.min, box_width / m.width(text, size.min))
}

/// Split a name into two lines at the space that makes the longer line shortest.
fn split_in_two(text: &str, weight: Weight) -> Option<(String, String)> {
    let m = metrics(weight);
    text.char_indices()
        .filter(|(_, c)| *c == ' ')
        .map(|(i, _)| (text[..i].trim().to_string(), text[i..].trim().to_string()))
        .filter(|(a, b)| !a.is_empty() && !b.is_empty())
        .min_by(|x, y| {
            let wx = m.width(&x.0, 10.0).max(m.width(&x.1, 10.0));
            let wy = m.width(&y.0, 10.0).max(m.width(&y.1, 10.0));
            wx.total_cmp(&wy)
        })
}

/// A line before vertical placement.
struct Line {
    field: &'static str,
    text: String,
    weight: Weight,
    size: f32,
    scale: f32,
    colour: Rgb,
    /// Extra space above, as a fraction of the size.
    space_before: f32,
}

fn line_height(size: f32) -> f32 {
    size * 1.18
}

/// Where the QR code goes on a badge of `width` × `height` points: a square in the footer's
/// right corner, whatever the badge's words.
pub fn qr_block(width: f32, height: f32) -> Block {
    let short = width.min(height);
    let margin = 0.05 * short;
    let qr_size = 0.22 * short;
    let footer_bottom = 0.13 * short + 0.5 * margin;
    Block { x: width - margin - qr_size, y: footer_bottom, width: qr_size, height: qr_size, colour: INK }
}

/// Lay out one badge of `width` × `height` points.
pub fn layout(content: &BadgeContent, width: f32, height: f32) -> BadgeLayout {
    let short = width.min(height);
    let margin = 0.05 * short;
    let band_height = 0.13 * short;
    let qr_size = 0.22 * short;
    let footer_bottom = band_height + 0.5 * margin;
    let footer_top = footer_bottom + qr_size;
    let text_width = width - 2.0 * margin;
    // Text sizes are designed on a 4 × 3 in badge and follow the badge's scale; a tall badge
    // may use larger type, as far as its height allows (the loop below shrinks to fit).
    let k0 = (width / 288.0).min(height / 216.0);
    let k_start = if height > width { (1.35 * width / 288.0).min(height / 216.0) } else { k0 };
    let top = height - margin;
    let bottom = footer_top + 0.35 * margin;

    let mut k = k_start;
    let mut lines = build_lines(content, k, text_width);
    for _ in 0..12 {
        if stack_height(&lines) <= top - bottom {
            break;
        }
        k *= 0.92;
        lines = build_lines(content, k, text_width);
    }

    // Header at the top; the person's block centred in the space left above the footer.
    let header_count = lines.iter().take_while(|l| l.field.starts_with("event")).count();
    let header_height = stack_height(&lines[..header_count]);
    let body_height = stack_height(&lines[header_count..]);
    let body_top = (top - header_height) - ((top - header_height - bottom) - body_height).max(0.0) / 2.0;
    let mut texts = Vec::with_capacity(lines.len() + 2);
    let mut place = |lines: &[Line], mut y_top: f32| {
        for l in lines {
            y_top -= l.space_before * l.size;
            let baseline = y_top - 0.93 * l.size;
            let drawn = metrics(l.weight).width(&l.text, l.size) * l.scale;
            texts.push(PlacedText {
                field: l.field,
                text: l.text.clone(),
                weight: l.weight,
                size: l.size,
                scale: l.scale,
                x: margin + (text_width - drawn).max(0.0) / 2.0,
                y: baseline,
                width: drawn,
                box_x: margin,
                box_width: text_width,
                colour: l.colour,
            });
            y_top -= line_height(l.size);
        }
    };
    place(&lines[..header_count], top);
    place(&lines[header_count..], body_top);

    // Footer: the days of validity on the left, the QR code on the right.
    let days_width = width - 3.0 * margin - qr_size;
    let days_size = Size { max: 10.0 * k0, min: minimum_size("days") };
    let (size, scale) = fit(&content.valid_days, Weight::Bold, days_size, days_width);
    let drawn = metrics(Weight::Bold).width(&content.valid_days, size) * scale;
    texts.push(PlacedText {
        field: "days",
        text: content.valid_days.clone(),
        weight: Weight::Bold,
        size,
        scale,
        x: margin,
        y: footer_bottom + qr_size / 2.0 - 0.35 * size,
        width: drawn,
        box_x: margin,
        box_width: days_width,
        colour: INK,
    });

    // Where they may go, above the days, in the category's colour: what a guard reads at a
    // glance ("All sessions", "Press — Welcoming remarks only").
    if !content.access.is_empty() {
        // Never below its own minimum, as the version line: on the 62 × 100 mm label 9 × k0 is
        // 5.5 pt, and every badge was flagged as shrunk.
        let access_size = Size { max: (9.0 * k0).max(minimum_size("access")), min: minimum_size("access") };
        let (size, scale) = fit(&content.access, Weight::Bold, access_size, days_width);
        texts.push(PlacedText {
            field: "access",
            text: content.access.clone(),
            weight: Weight::Bold,
            size,
            scale,
            x: margin,
            y: footer_top - size,
            width: metrics(Weight::Bold).width(&content.access, size) * scale,
            box_x: margin,
            box_width: days_width,
            colour: category_colour(content.category),
        });
    }

    // The badge's version in small print under the days, so a desk can tell a reprint.
    let version = content.version_line();
    let version_size = (6.0 * k0).max(minimum_size("version"));
    texts.push(PlacedText {
        field: "version",
        text: version.clone(),
        weight: Weight::Regular,
        size: version_size,
        scale: 1.0,
        x: margin,
        y: footer_bottom + 0.2 * version_size,
        width: metrics(Weight::Regular).width(&version, version_size),
        box_x: margin,
        box_width: days_width,
        colour: GREY,
    });

    // The band: the category's colour, its word in white, full width at the bottom.
    let word = content.category.label().to_uppercase();
    let band_text = Size { max: 0.5 * band_height, min: minimum_size("category") };
    let (size, scale) = fit(&word, Weight::Bold, band_text, text_width);
    let drawn = metrics(Weight::Bold).width(&word, size) * scale;
    texts.push(PlacedText {
        field: "category",
        text: word,
        weight: Weight::Bold,
        size,
        scale,
        x: margin + (text_width - drawn).max(0.0) / 2.0,
        y: band_height / 2.0 - 0.36 * size,
        width: drawn,
        box_x: margin,
        box_width: text_width,
        colour: WHITE,
    });

    let mut issues = Vec::new();
    for t in &texts {
        let missing = metrics(t.weight).missing(&t.text);
        if !missing.is_empty() && !issues.iter().any(|i: &FitIssue| i.field == t.field) {
            issues.push(FitIssue {
                field: t.field,
                text: t.text.clone(),
                problem: FitProblem::MissingGlyphs { chars: missing },
            });
        }
    }
    for t in &texts {
        if crate::text::has_right_to_left(&t.text) {
            issues.push(FitIssue { field: t.field, text: t.text.clone(), problem: FitProblem::RightToLeft });
        }
    }
    for t in &texts {
        let minimum_pt = minimum_size(t.field);
        if t.size < minimum_pt - 0.05 {
            issues.push(FitIssue {
                field: t.field,
                text: t.text.clone(),
                problem: FitProblem::Shrunk { size_pt: (t.size * 10.0).floor() / 10.0, minimum_pt },
            });
        }
        if t.scale < 0.999 {
            let percent = (t.scale * 100.0).floor() as u32;
            issues.push(FitIssue {
                field: t.field,
                text: t.text.clone(),
                problem: FitProblem::Condensed { percent },
            });
        }
    }
    BadgeLayout {
        width,
        height,
        texts,
        band: Block { x: 0.0, y: 0.0, width, height: band_height, colour: category_colour(content.category) },
        qr: qr_block(width, height),
        issues,
    }
}

fn stack_height(lines: &[Line]) -> f32 {
    lines.iter().map(|l| l.space_before * l.size + line_height(l.size)).sum()
}

/// The lines of the header and the person's block at text scale `k`, each fitted to `width`.
fn build_lines(c: &BadgeContent, k: f32, width: f32) -> Vec<Line> {
    let sz = |max: f32, min: f32| Size { max: max * k, min: min.min(max * k) };
    // The name first: every other line of the person's block stays smaller than it.
    let mut name = Vec::new();
    push_name(&mut name, c, sz(28.0, minimum_size("name")), width);
    let name_size = name.iter().map(|l| l.size).fold(f32::INFINITY, f32::min);
    let below_name = |s: Size, ratio: f32| {
        let cap = ratio * name_size;
        Size { max: s.max.min(cap), min: s.min.min(cap) }
    };
    let mut out = Vec::new();
    let mut push = |field, text: &str, weight, size: Size, colour, space_before| {
        if text.is_empty() {
            return;
        }
        let (size_pt, scale) = fit(text, weight, size, width);
        out.push(Line { field, text: text.to_string(), weight, size: size_pt, scale, colour, space_before });
    };
    let min = minimum_size;
    push("eventName", &c.event_name, Weight::Bold, sz(9.0, min("eventName")), GREY, 0.0);
    push("eventDates", &c.event_dates, Weight::Regular, sz(7.5, min("eventDates")), GREY, 0.0);
    push("rank", &c.rank, Weight::Regular, below_name(sz(12.0, min("rank")), 0.75), INK, 0.0);
    push("position", &c.position, Weight::Regular, below_name(sz(10.0, min("position")), 0.7), INK, 0.15);
    push(
        "organization",
        &c.organization,
        Weight::Regular,
        below_name(sz(10.0, min("organization")), 0.7),
        INK,
        0.0,
    );
    push("delegation", &c.delegation, Weight::Bold, below_name(sz(16.0, min("delegation")), 0.9), INK, 0.3);

    let at = out
        .iter()
        .position(|l| l.field == "position" || l.field == "organization" || l.field == "delegation");
    let at = at.unwrap_or(out.len());
    out.splice(at..at, name);
    out
}

/// The printed name: one line if it fits at a good size, else two balanced lines of the same
/// size, else condensed.
fn push_name(out: &mut Vec<Line>, c: &BadgeContent, size: Size, width: f32) {
    let one = |text: &str, size_pt: f32, scale: f32, space: f32| Line {
        field: "name",
        text: text.to_string(),
        weight: Weight::Bold,
        size: size_pt,
        scale,
        colour: INK,
        space_before: space,
    };
    let (s1, k1) = fit(&c.name, Weight::Bold, size, width);
    let two_lines_below = 0.62 * size.max;
    if s1 >= two_lines_below {
        out.push(one(&c.name, s1, k1, 0.05));
        return;
    }
    if let Some((a, b)) = split_in_two(&c.name, Weight::Bold) {
        let two = Size { max: 0.82 * size.max, min: size.min };
        let (sa, ka) = fit(&a, Weight::Bold, two, width);
        let (sb, kb) = fit(&b, Weight::Bold, two, width);
        let s = sa.min(sb);
        let m = metrics(Weight::Bold);
        let ka = ka.min(width / m.width(&a, s)).min(1.0);
        let kb = kb.min(width / m.width(&b, s)).min(1.0);
        // Two lines when they allow a larger size, or the same size less condensed.
        if s > s1 + 0.01 || ka.min(kb) > k1 + 0.01 {
            out.push(one(&a, s, ka, 0.05));
            out.push(one(&b, s, kb, 0.0));
            return;
        }
    }
    out.push(one(&c.name, s1, k1, 0.05));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(name: &str) -> BadgeContent {
        BadgeContent {
            attendee_id: 7,
            version: 1,
            event_name: "Caribbean Nations Security Conference (CANSEC) 2019".into(),
            event_dates: "14–15 November 2019 · U.S. Southern Command, Miami".into(),
            rank: "Lt. Col.".into(),
            name: name.into(),
            position: "Head of Maritime Security".into(),
            organization: "Ministry of National Security".into(),
            delegation: "Saint Vincent and the Grenadines".into(),
            category: Category::RegionalInstitution,
            valid_days: "Days 1 & 2 · 14–15 Nov".into(),
            access: "All sessions".into(),
        }
    }

    #[test]
    fn a_short_name_is_large_and_on_one_line() {
        let l = layout(&content("Zoë Ali"), 288.0, 216.0);
        let names: Vec<&PlacedText> = l.texts.iter().filter(|t| t.field == "name").collect();
        assert_eq!(names.len(), 1);
        assert!(names[0].size >= 26.0, "{}", names[0].size);
        assert!(l.issues.is_empty(), "{:?}", l.issues);
    }

    #[test]
    fn a_long_name_breaks_into_two_lines_before_condensing() {
        let l = layout(&content("Zoë O'Brien-Ísleifsdóttir Papadopoulou"), 288.0, 216.0);
        let names: Vec<&PlacedText> = l.texts.iter().filter(|t| t.field == "name").collect();
        assert_eq!(names.len(), 2);
        assert_eq!(names[0].size, names[1].size);
    }

    #[test]
    fn an_unbreakable_name_is_condensed_and_reported() {
        let long = "W".repeat(60);
        let l = layout(&content(&long), 243.0, 153.0);
        let name = l.texts.iter().find(|t| t.field == "name").unwrap();
        assert!(name.scale < 1.0);
        assert!(name.x >= name.box_x - 0.01 && name.x + name.width <= name.box_x + name.box_width + 0.01);
        assert!(l
            .issues
            .iter()
            .any(|i| i.field == "name" && matches!(i.problem, FitProblem::Condensed { .. })));
    }

    #[test]
    fn every_line_shrunk_below_its_minimum_is_reported_with_its_size() {
        let mut c = content("Maximiliano Alejandro Fernández de la Santísima Trinidad Ruiz");
        c.position = "Deputy Permanent Secretary, Ministry of National Security and Public Safety".into();
        c.organization = "Caribbean Community Implementation Agency for Crime and Security".into();
        // A badge smaller than any stock, so that the text must shrink below its design sizes.
        let l = layout(&c, 200.0, 110.0);
        let below: Vec<&PlacedText> =
            l.texts.iter().filter(|t| t.size < minimum_size(t.field) - 0.05).collect();
        let sizes: Vec<(&str, f32)> = l.texts.iter().map(|t| (t.field, t.size)).collect();
        assert!(
            !below.is_empty(),
            "this much text on a small badge needs some line below its minimum: {sizes:?}"
        );
        for t in below {
            let issue = l
                .issues
                .iter()
                .find(|i| {
                    i.field == t.field && i.text == t.text && matches!(i.problem, FitProblem::Shrunk { .. })
                })
                .unwrap_or_else(|| panic!("{} at {} pt is not reported: {:?}", t.field, t.size, l.issues));
            assert!(issue.describe().contains("below its"), "{}", issue.describe());
        }
        // On the stock the sizes are designed for, nothing is.
        let l = layout(&content("Zoë Ali"), 288.0, 216.0);
        assert!(!l.issues.iter().any(|i| matches!(i.problem, FitProblem::Shrunk { .. })), "{:?}", l.issues);
    }

    #[test]
    fn missing_glyphs_are_reported() {
        let l = layout(&content("王小明"), 288.0, 216.0);
        let issue = l.issues.iter().find(|i| i.field == "name").unwrap();
        assert_eq!(issue.problem, FitProblem::MissingGlyphs { chars: vec!['王', '小', '明'] });
        assert!(issue.describe().contains("U+738B"), "{}", issue.describe());
        // A space other than the plain one has no glyph either: it prints as a box.
        let l = layout(&content("Anna\u{3000}Berg"), 288.0, 216.0);
        let issue = l.issues.iter().find(|i| i.field == "name").expect("the ideographic space is reported");
        assert_eq!(issue.problem, FitProblem::MissingGlyphs { chars: vec!['\u{3000}'] });
    }

    #[test]
    fn right_to_left_names_are_reported() {
        for name in ["محمد العبدالله", "שרה לוי", "Col. محمد Ali"] {
            let l = layout(&content(name), 288.0, 216.0);
            let issue = l
                .issues
                .iter()
                .find(|i| i.field == "name" && i.problem == FitProblem::RightToLeft)
                .unwrap_or_else(|| panic!("{name}: {:?}", l.issues));
            assert!(issue.describe().contains("right to left"), "{}", issue.describe());
        }
        let l = layout(&content("Zoë Ali"), 288.0, 216.0);
        assert!(!l.issues.iter().any(|i| i.problem == FitProblem::RightToLeft), "{:?}", l.issues);
    }

    #[test]
    fn nothing_overlaps_the_footer_or_leaves_the_badge() {
        for (w, h) in [(288.0, 216.0), (297.6, 419.5), (242.6, 153.0)] {
            let mut c = content("Begoña Núñez Almánzar de la Santísima Trinidad y Ruiz");
            c.position = "Deputy Permanent Secretary, Ministry of National Security and Public Safety".into();
            let l = layout(&c, w, h);
            for t in &l.texts {
                assert!(t.x >= 0.0 && t.x + t.width <= w + 0.01, "{w}x{h} {} leaves the badge", t.field);
                assert!(t.y > 0.0 && t.y + t.size <= h, "{w}x{h} {} leaves the badge", t.field);
                if t.field == "version" {
                    let days = l.texts.iter().find(|d| d.field == "days").unwrap();
                    assert!(t.y - 0.25 * t.size >= l.band.height, "{w}x{h} the version runs into the band");
                    assert!(
                        t.y + t.size <= days.y - 0.2 * days.size,
                        "{w}x{h} the version runs into the days"
                    );
                    assert!(t.x + t.width <= l.qr.x, "{w}x{h} the version runs into the QR code");
                }
                if t.field == "access" {
                    let days = l.texts.iter().find(|d| d.field == "days").unwrap();
                    assert!(
                        t.y - 0.25 * t.size >= days.y + 0.8 * days.size,
                        "{w}x{h} the access line runs into the days"
                    );
                    assert!(
                        t.y + t.size <= l.qr.y + l.qr.height + 0.01,
                        "{w}x{h} the access line leaves the footer"
                    );
                    assert!(t.x + t.width <= l.qr.x, "{w}x{h} the access line runs into the QR code");
                }
                let in_body = !matches!(t.field, "days" | "category" | "version" | "access");
                if in_body {
                    assert!(
                        t.y - 0.25 * t.size >= l.qr.y + l.qr.height,
                        "{w}x{h} {} runs into the footer",
                        t.field
                    );
                }
            }
        }
    }
}
