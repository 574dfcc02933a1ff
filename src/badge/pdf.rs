//! Drawing badges, and the printer calibration page, into a PDF with printpdf: the embedded
//! font (subset here, to the characters each document draws), vector QR codes, exact page
//! sizes in points.

use super::fonts::{metrics, Weight};
use super::layout::{BadgeLayout, Block, Rgb};
use super::preset::{mm, Preset};
use super::qr::{self, QrModules};
use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{CmapTarget, SubsetProfile};
use printpdf::{
    Color, CurTransMat, FontId, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFont,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem, WindingOrder,
};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// Where printed matter lands relative to where it should: a shift in millimetres per
/// preset, measured on the calibration page.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Offset {
    /// Shift to the right, mm (negative: to the left).
    pub dx_mm: f32,
    /// Shift downwards, mm (negative: upwards).
    pub dy_mm: f32,
}

/// One badge to draw: its layout and what its QR code carries.
pub struct Drawn<'a> {
    /// The layout.
    pub layout: &'a BadgeLayout,
    /// The QR payload.
    pub qr: String,
}

/// The whole face as printpdf reads it (the metrics of its font descriptor), parsed once.
fn parsed(weight: Weight) -> &'static ParsedFont {
    static REGULAR: OnceLock<ParsedFont> = OnceLock::new();
    static BOLD: OnceLock<ParsedFont> = OnceLock::new();
    let cell = match weight {
        Weight::Regular => &REGULAR,
        Weight::Bold => &BOLD,
    };
    cell.get_or_init(|| {
        ParsedFont::from_bytes(weight.ttf(), 0, &mut Vec::new()).expect("the embedded font parses")
    })
}

/// The face reduced to the glyphs of `chars` (and `.notdef`), as the font a document embeds.
///
/// printpdf subsets only with its `text_layout` feature, which brings a whole layout engine
/// (azul: about a fifth of the release build's compile time) that nothing here uses. The
/// subset is made with the crate printpdf would use (allsorts), the way printpdf does it: the
/// glyph ids asked for become 0, 1, 2, … in that order (composite glyphs' parts after them),
/// so each character maps to its glyph's position. A character the face has no glyph for is
/// left out and prints as `.notdef`, as before (the layout reports it before printing). Should
/// subsetting fail, the whole face is embedded (a larger file, the same page).
fn subset(weight: Weight, chars: &BTreeSet<char>) -> ParsedFont {
    let name = weight.postscript_name();
    let face = metrics(weight).face();
    let glyph_of: BTreeMap<char, u16> = chars
        .iter()
        .filter_map(|&c| face.glyph_index(c).map(|g| (c, g.0)))
        .filter(|&(_, g)| g != 0)
        .collect();
    let mut ids: Vec<u16> = glyph_of.values().copied().collect();
    ids.sort_unstable();
    ids.dedup();
    ids.insert(0, 0);
    let program = ReadScope::new(weight.ttf()).read::<FontData<'_>>().ok().and_then(|file| {
        let provider = file.table_provider(0).ok()?;
        allsorts::subset::subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode).ok()
    });
    let whole = parsed(weight);
    let Some(mut font) = program.and_then(|p| ParsedFont::from_bytes(&p, 0, &mut Vec::new())) else {
        return ParsedFont { font_name: Some(name.into()), ..whole.clone() };
    };
    // The descriptor describes the face, not the subset's remains.
    font.pdf_font_metrics = whole.pdf_font_metrics.clone();
    font.font_metrics = whole.font_metrics.clone();
    font.codepoint_to_glyph = glyph_of
        .iter()
        .filter_map(|(&c, g)| Some((u32::from(c), ids.binary_search(g).ok()? as u16)))
        .collect();
    // ISO 32000-1, 9.6.4: a subset's name starts with a tag of six capital letters, here
    // derived from its glyphs (two different subsets in one document get different tags).
    let tag =
        ids.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &g| (h ^ u64::from(g)).wrapping_mul(0x100_0000_01b3));
    let tag: String = (0..6).map(|i| char::from(b'A' + ((tag >> (i * 8)) % 26) as u8)).collect();
    font.font_name = Some(format!("{tag}+{name}"));
    font
}

pub(crate) fn colour(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb { r: c.0, g: c.1, b: c.2, icc_profile: None })
}

/// A coordinate to a hundredth of a point (0.0035 mm): finer than any printer, and short to
/// write in the page's content stream.
fn r(v: f32) -> Pt {
    Pt((v * 100.0).round() / 100.0)
}

pub(crate) fn fill_rect(ops: &mut Vec<Op>, x: f32, y: f32, w: f32, h: f32) {
    ops.push(Op::DrawRectangle {
        rectangle: Rect {
            x: r(x),
            y: r(y),
            width: r(w),
            height: r(h),
            mode: Some(PaintMode::Fill),
            winding_order: Some(WindingOrder::NonZero),
        },
    });
}

pub(crate) fn line(ops: &mut Vec<Op>, (x1, y1): (f32, f32), (x2, y2): (f32, f32)) {
    let p = |x: f32, y: f32| LinePoint { p: Point { x: Pt(x), y: Pt(y) }, bezier: false };
    ops.push(Op::DrawLine { line: Line { points: vec![p(x1, y1), p(x2, y2)], is_closed: false } });
}

/// A document under construction: its two faces, and the characters drawn in each (the fonts
/// are subset to them when the document is saved).
pub(crate) struct Doc {
    doc: PdfDocument,
    regular: FontId,
    bold: FontId,
    used: [BTreeSet<char>; 2],
}

impl Doc {
    pub(crate) fn new(title: &str) -> Doc {
        let mut doc = PdfDocument::new(title);
        doc.metadata.info.creator = "Delegate Desk".into();
        doc.metadata.info.producer = "Delegate Desk (printpdf)".into();
        Doc { doc, regular: FontId::new(), bold: FontId::new(), used: Default::default() }
    }

    fn font(&self, w: Weight) -> PdfFontHandle {
        PdfFontHandle::External(match w {
            Weight::Regular => self.regular.clone(),
            Weight::Bold => self.bold.clone(),
        })
    }

    /// One line of text with its baseline's left end at (x, y), condensed by `scale`.
    pub(crate) fn text(
        &mut self,
        ops: &mut Vec<Op>,
        text: &str,
        weight: Weight,
        size: f32,
        (x, y): (f32, f32),
        scale: f32,
    ) {
        self.used[weight as usize].extend(text.chars());
        ops.push(Op::SaveGraphicsState);
        ops.push(Op::StartTextSection);
        ops.push(Op::SetFont { font: self.font(weight), size: Pt(size) });
        if scale < 0.999 {
            ops.push(Op::SetHorizontalScaling { percent: scale * 100.0 });
        }
        ops.push(Op::SetTextCursor { pos: Point { x: Pt(x), y: Pt(y) } });
        ops.push(Op::ShowText { items: vec![TextItem::Text(text.to_string())] });
        ops.push(Op::EndTextSection);
        ops.push(Op::RestoreGraphicsState);
    }

    fn page(preset: &Preset, ops: Vec<Op>) -> PdfPage {
        Doc::page_sized(preset.page_width, preset.page_height, ops)
    }

    /// A page of exactly `width` × `height` points.
    pub(crate) fn page_sized(width: f32, height: f32, ops: Vec<Op>) -> PdfPage {
        let mut page = PdfPage::new(Mm(0.0), Mm(0.0), ops);
        let size = Rect::from_wh(Pt(width), Pt(height));
        page.media_box = size.clone();
        page.trim_box = size.clone();
        page.crop_box = size;
        page
    }

    pub(crate) fn save(mut self, pages: Vec<PdfPage>) -> Vec<u8> {
        for (id, weight) in [(&self.regular, Weight::Regular), (&self.bold, Weight::Bold)] {
            let used = &self.used[weight as usize];
            if !used.is_empty() {
                self.doc.resources.fonts.map.insert(id.clone(), PdfFont::new(subset(weight, used)));
            }
        }
        self.doc.with_pages(pages);
        self.doc.save(&PdfSaveOptions::default(), &mut Vec::new())
    }
}

fn draw_qr(ops: &mut Vec<Op>, code: Option<&QrModules>, area: &Block, (ox, oy): (f32, f32)) {
    let Some(code) = code else {
        return;
    };
    let n = code.width;
    // Two modules of quiet zone inside the area; the white badge around it adds more.
    let module = area.width / (n as f32 + 4.0);
    let (x0, y0) = (ox + area.x + 2.0 * module, oy + area.y + 2.0 * module);
    // Drawn in module units (one unit = one module, origin at the code's lower-left corner)
    // so that every rectangle is a few small integers in the content stream.
    ops.push(Op::SaveGraphicsState);
    ops.push(Op::SetTransformationMatrix { matrix: CurTransMat::Raw([module, 0.0, 0.0, module, x0, y0]) });
    ops.push(Op::SetFillColor { col: colour(Rgb(0.0, 0.0, 0.0)) });
    let dark = |row: usize, col: usize| code.is_dark(row, col);
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if !dark(row, col) {
                col += 1;
                continue;
            }
            let start = col;
            while col < n && dark(row, col) {
                col += 1;
            }
            let y = (n - 1 - row) as f32;
            // A hair taller than the module so that neighbouring rows leave no seam.
            ops.push(Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(start as f32),
                    y: Pt(y - 0.02),
                    width: Pt((col - start) as f32),
                    height: Pt(1.04),
                    mode: Some(PaintMode::Fill),
                    winding_order: Some(WindingOrder::NonZero),
                },
            });
        }
    }
    ops.push(Op::RestoreGraphicsState);
}

fn draw_badge(doc: &mut Doc, ops: &mut Vec<Op>, b: &Drawn, code: Option<&QrModules>, origin: (f32, f32)) {
    let (ox, oy) = origin;
    let l = b.layout;
    ops.push(Op::SetFillColor { col: colour(l.band.colour) });
    fill_rect(ops, ox + l.band.x, oy + l.band.y, l.band.width, l.band.height);
    for t in &l.texts {
        ops.push(Op::SetFillColor { col: colour(t.colour) });
        doc.text(ops, &t.text, t.weight, t.size, (ox + t.x, oy + t.y), t.scale);
    }
    draw_qr(ops, code, &l.qr, origin);
}

/// Light cut marks at the corners of every slot, outside the badges where the page allows,
/// shifted by `(dx, dy)` points with the badges so that cutting along them trims the badges
/// where they actually printed.
fn cut_marks(ops: &mut Vec<Op>, preset: &Preset, used: usize, (dx, dy): (f32, f32)) {
    let len = mm(4.0);
    let gap = mm(1.0);
    ops.push(Op::SetOutlineColor { col: colour(Rgb(0.6, 0.6, 0.6)) });
    ops.push(Op::SetOutlineThickness { pt: Pt(0.3) });
    for i in 0..used {
        let (x, y) = preset.slot_origin(i);
        let (x, y) = (x + dx, y + dy);
        let (w, h) = (preset.badge_width, preset.badge_height);
        for (cx, cy, sx, sy) in
            [(x, y, -1.0, -1.0), (x + w, y, 1.0, -1.0), (x, y + h, -1.0, 1.0), (x + w, y + h, 1.0, 1.0)]
        {
            line(ops, (cx + sx * gap, cy), (cx + sx * (gap + len), cy));
            line(ops, (cx, cy + sy * gap), (cx, cy + sy * (gap + len)));
        }
    }
}

/// The PDF of `badges` on `preset` stock, shifted by the printer's `offset`.
pub fn badges_pdf(badges: &[Drawn], preset: &Preset, offset: Offset, title: &str) -> Vec<u8> {
    let codes = qr_codes(badges);
    let mut doc = Doc::new(title);
    let (dx, dy) = (mm(offset.dx_mm), -mm(offset.dy_mm));
    let pages = badges
        .chunks(preset.per_page())
        .zip(codes.chunks(preset.per_page()))
        .map(|(chunk, codes)| {
            let mut ops = Vec::new();
            for (i, (b, code)) in chunk.iter().zip(codes).enumerate() {
                let (x, y) = preset.slot_origin(i);
                draw_badge(&mut doc, &mut ops, b, code.as_ref(), (x + dx, y + dy));
            }
            if preset.cut_marks {
                cut_marks(&mut ops, preset, chunk.len(), (dx, dy));
            }
            Doc::page(preset, ops)
        })
        .collect();
    doc.save(pages)
}

/// The QR codes of `badges`, in order, encoded on every processor the computer has (the
/// largest share of laying out a batch; each code is independent of the others).
fn qr_codes(badges: &[Drawn]) -> Vec<Option<QrModules>> {
    let encode = |part: &[Drawn]| part.iter().map(|b| qr::encode(b.qr.as_bytes())).collect::<Vec<_>>();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    if threads < 2 || badges.len() < 8 {
        return encode(badges);
    }
    let per_thread = badges.len().div_ceil(threads);
    std::thread::scope(|s| {
        let parts: Vec<_> = badges.chunks(per_thread).map(|part| s.spawn(move || encode(part))).collect();
        // A panic in a thread (a bug) goes on in the caller, as if encoded here.
        parts.into_iter().flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))).collect()
    })
}

/// The length of ruler tick `i` (in mm from the edge): long every 10 mm, medium every 5.
fn tick_length(i: u32) -> f32 {
    mm(match i {
        _ if i.is_multiple_of(10) => 4.0,
        _ if i.is_multiple_of(5) => 2.5,
        _ => 1.2,
    })
}

/// A calibration page for `preset`: millimetre rulers along the top and left edges, and the
/// outline of every badge slot with a crosshair at each corner, shifted by the saved `offset`,
/// so that a printout shows how far the printer is off and whether the shift corrects it.
pub fn calibration_pdf(preset: &Preset, offset: Offset) -> Vec<u8> {
    let mut doc = Doc::new(&format!("Calibration — {}", preset.label));
    let (dx, dy) = (mm(offset.dx_mm), -mm(offset.dy_mm));
    let mut ops = vec![
        Op::SetOutlineColor { col: colour(Rgb(0.0, 0.0, 0.0)) },
        Op::SetOutlineThickness { pt: Pt(0.25) },
    ];
    let (pw, ph) = (preset.page_width, preset.page_height);
    // Rulers at their nominal place (not shifted): a tick every mm, longer every 5 mm,
    // numbered every 10 mm. On paper, the gap between the edge and tick 0 is the printer's
    // own error.
    let mut labels = Vec::new();
    for i in 0..=((pw / mm(1.0)) as u32) {
        let x = mm(i as f32);
        let len = tick_length(i);
        line(&mut ops, (x, ph), (x, ph - len));
        if i % 10 == 0 && i > 0 {
            labels.push((i.to_string(), (x + 1.0, ph - mm(6.5))));
        }
    }
    for i in 0..=((ph / mm(1.0)) as u32) {
        let y = ph - mm(i as f32);
        let len = tick_length(i);
        line(&mut ops, (0.0, y), (len, y));
        if i % 10 == 0 && i > 0 {
            labels.push((i.to_string(), (mm(5.0), y - 2.5)));
        }
    }
    // The badge slots where the saved shift puts them.
    let cross = mm(3.0);
    for i in 0..preset.per_page() {
        let (x, y) = preset.slot_origin(i);
        let (x, y, w, h) = (x + dx, y + dy, preset.badge_width, preset.badge_height);
        for (a, b) in [
            ((x, y), (x + w, y)),
            ((x + w, y), (x + w, y + h)),
            ((x + w, y + h), (x, y + h)),
            ((x, y + h), (x, y)),
        ] {
            line(&mut ops, a, b);
        }
        for (cx, cy) in [(x, y), (x + w, y), (x, y + h), (x + w, y + h)] {
            line(&mut ops, (cx - cross, cy), (cx + cross, cy));
            line(&mut ops, (cx, cy - cross), (cx, cy + cross));
        }
    }
    ops.push(Op::SetFillColor { col: colour(Rgb(0.0, 0.0, 0.0)) });
    for (text, pos) in labels {
        doc.text(&mut ops, &text, Weight::Regular, 6.0, pos, 1.0);
    }
    let lines = [
        format!("Calibration page — {}", preset.label),
        "Print at 100 % (Actual size, no scaling, no fit to page).".to_string(),
        "Tick 0 of each ruler belongs on the paper's edge; the crosshairs on the".to_string(),
        "badge corners. If they print 2 mm too far right, shift left: enter −2 for".to_string(),
        format!(
            "\"Shift right\" (and likewise down). Saved shift: right {} mm, down {} mm;",
            offset.dx_mm, offset.dy_mm
        ),
        "the crosshairs are drawn with it, the rulers without it.".to_string(),
    ];
    // One size for the whole note, the largest up to 9 pt at which its longest line fits
    // between the left ruler and the right edge.
    let room = pw - mm(12.0) - mm(3.0);
    let widest = lines.iter().map(|l| metrics(Weight::Regular).width(l, 1.0)).fold(0.0, f32::max);
    let size = (room / widest).min(9.0);
    let mut y = ph / 2.0 + size * 3.0;
    for l in &lines {
        doc.text(&mut ops, l, Weight::Regular, size, (mm(12.0), y), 1.0);
        y -= size * 1.4;
    }
    doc.save(vec![Doc::page(preset, ops)])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A glyph's outline as drawing commands, to compare a subset's glyph with the face's.
    fn outline(face: &ttf_parser::Face, glyph: u16) -> String {
        struct Pen(String);
        impl ttf_parser::OutlineBuilder for Pen {
            fn move_to(&mut self, x: f32, y: f32) {
                self.0 += &format!("M{x} {y} ");
            }
            fn line_to(&mut self, x: f32, y: f32) {
                self.0 += &format!("L{x} {y} ");
            }
            fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
                self.0 += &format!("Q{x1} {y1} {x} {y} ");
            }
            fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
                self.0 += &format!("C{x1} {y1} {x2} {y2} {x} {y} ");
            }
            fn close(&mut self) {
                self.0 += "Z ";
            }
        }
        let mut pen = Pen(String::new());
        face.outline_glyph(ttf_parser::GlyphId(glyph), &mut pen);
        pen.0
    }

    #[test]
    fn the_subset_holds_only_the_glyphs_drawn_and_each_character_draws_its_own() {
        // Composite glyphs (accented letters are a base and a mark), three scripts, spaces,
        // punctuation the badges use, and characters the face has no glyph for.
        let text = "Łukasz Żółć Αλέξανδρος Παπαδόπουλος Мария Иванова Ngô Siân Ó Súilleabháin \
                    0123456789 · – — «» № 王小明";
        let chars: BTreeSet<char> = text.chars().collect();
        for weight in [Weight::Regular, Weight::Bold] {
            let font = subset(weight, &chars);
            let whole = metrics(weight).face();
            let sub = ttf_parser::Face::parse(&font.original_bytes, 0).expect("the subset parses");
            assert!(whole.number_of_glyphs() > 5000);
            assert!(
                usize::from(sub.number_of_glyphs()) <= chars.len() * 3,
                "{} glyphs for {} characters",
                sub.number_of_glyphs(),
                chars.len()
            );
            assert!(
                font.original_bytes.len() * 10 < weight.ttf().len(),
                "{} bytes",
                font.original_bytes.len()
            );
            for &c in &chars {
                let Some(g) = whole.glyph_index(c) else {
                    assert_eq!(font.lookup_glyph_index(u32::from(c)), None, "{c} has no glyph in the face");
                    continue;
                };
                let s =
                    font.lookup_glyph_index(u32::from(c)).unwrap_or_else(|| panic!("{c} is in the subset"));
                assert_eq!(outline(&sub, s), outline(whole, g.0), "{c} draws its own outline");
                assert_eq!(font.get_glyph_width(s), whole.glyph_hor_advance(g), "{c} keeps its advance");
            }
            let name = font.font_name.clone().unwrap();
            let (tag, face) = name.split_once('+').unwrap();
            assert!(tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()), "{name}");
            assert!(face.starts_with("DejaVuSans"), "{name}");
            // The same glyphs, the same name; other glyphs, another.
            assert_eq!(subset(weight, &chars).font_name, font.font_name);
            assert_ne!(subset(weight, &"Zoë".chars().collect()).font_name, font.font_name);
            assert_eq!(
                font.pdf_font_metrics,
                parsed(weight).pdf_font_metrics,
                "the descriptor is the face's"
            );
            // Nothing the face can draw: a subset of `.notdef` alone, every character unmapped.
            let none = subset(weight, &"王小".chars().collect());
            assert!(none.codepoint_to_glyph.is_empty());
            assert!(none.font_name.unwrap().contains('+'), "still a subset");
        }
    }

    #[test]
    fn a_document_embeds_only_the_faces_it_draws_with() {
        let one = |weight: Weight| {
            let mut doc = Doc::new("t");
            let mut ops = Vec::new();
            doc.text(&mut ops, "Zoë", weight, 10.0, (10.0, 10.0), 1.0);
            let pdf = doc.save(vec![Doc::page_sized(100.0, 100.0, ops)]);
            let text = String::from_utf8_lossy(&pdf).into_owned();
            (
                text.contains("+DejaVuSans/") || text.contains("+DejaVuSans "),
                text.contains("+DejaVuSans-Bold"),
            )
        };
        assert_eq!(one(Weight::Regular), (true, false));
        assert_eq!(one(Weight::Bold), (false, true));
        let empty = Doc::new("t").save(vec![Doc::page_sized(100.0, 100.0, Vec::new())]);
        assert!(!String::from_utf8_lossy(&empty).contains("DejaVu"));
    }
}
