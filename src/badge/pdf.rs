//! Drawing badges, and the printer calibration page, into a PDF with printpdf: the embedded
//! font (subset), vector QR codes, exact page sizes in points.

use super::fonts::{metrics, Weight, BOLD_TTF, REGULAR_TTF};
use super::layout::{BadgeLayout, Block, Rgb};
use super::preset::{mm, Preset};
use super::qr::{self, QrModules};
use printpdf::{
    Color, CurTransMat, FontId, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem, WindingOrder,
};
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

fn parsed(weight: Weight) -> &'static ParsedFont {
    static REGULAR: OnceLock<ParsedFont> = OnceLock::new();
    static BOLD: OnceLock<ParsedFont> = OnceLock::new();
    let (cell, bytes) = match weight {
        Weight::Regular => (&REGULAR, REGULAR_TTF),
        Weight::Bold => (&BOLD, BOLD_TTF),
    };
    cell.get_or_init(|| ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).expect("the embedded font parses"))
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

/// A document under construction with the two faces of the font registered.
pub(crate) struct Doc {
    doc: PdfDocument,
    regular: FontId,
    bold: FontId,
}

impl Doc {
    pub(crate) fn new(title: &str) -> Doc {
        let mut doc = PdfDocument::new(title);
        doc.metadata.info.creator = "Delegate Desk".into();
        doc.metadata.info.producer = "Delegate Desk (printpdf)".into();
        let regular = doc.add_font(parsed(Weight::Regular));
        let bold = doc.add_font(parsed(Weight::Bold));
        Doc { doc, regular, bold }
    }

    fn font(&self, w: Weight) -> PdfFontHandle {
        PdfFontHandle::External(match w {
            Weight::Regular => self.regular.clone(),
            Weight::Bold => self.bold.clone(),
        })
    }

    /// One line of text with its baseline's left end at (x, y), condensed by `scale`.
    pub(crate) fn text(
        &self,
        ops: &mut Vec<Op>,
        text: &str,
        weight: Weight,
        size: f32,
        (x, y): (f32, f32),
        scale: f32,
    ) {
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
        self.doc.with_pages(pages);
        self.doc.save(&PdfSaveOptions { subset_fonts: true, ..Default::default() }, &mut Vec::new())
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

fn draw_badge(doc: &Doc, ops: &mut Vec<Op>, b: &Drawn, code: Option<&QrModules>, origin: (f32, f32)) {
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
    let doc = Doc::new(title);
    let (dx, dy) = (mm(offset.dx_mm), -mm(offset.dy_mm));
    let pages = badges
        .chunks(preset.per_page())
        .zip(codes.chunks(preset.per_page()))
        .map(|(chunk, codes)| {
            let mut ops = Vec::new();
            for (i, (b, code)) in chunk.iter().zip(codes).enumerate() {
                let (x, y) = preset.slot_origin(i);
                draw_badge(&doc, &mut ops, b, code.as_ref(), (x + dx, y + dy));
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
        _ if i % 10 == 0 => 4.0,
        _ if i % 5 == 0 => 2.5,
        _ => 1.2,
    })
}

/// A calibration page for `preset`: millimetre rulers along the top and left edges, and the
/// outline of every badge slot with a crosshair at each corner, shifted by the saved `offset`,
/// so that a printout shows how far the printer is off and whether the shift corrects it.
pub fn calibration_pdf(preset: &Preset, offset: Offset) -> Vec<u8> {
    let doc = Doc::new(&format!("Calibration — {}", preset.label));
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
