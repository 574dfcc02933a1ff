//! The embedded Unicode font (DejaVu Sans, regular and bold; licence in
//! `src/badge/fonts/LICENSE-DejaVu.txt`): glyph coverage and text widths, measured with
//! ttf-parser exactly as printpdf will draw them (advance widths, no kerning, no shaping).

use std::sync::OnceLock;

/// DejaVu Sans.
pub const REGULAR_TTF: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold.
pub const BOLD_TTF: &[u8] = include_bytes!("fonts/DejaVuSans-Bold.ttf");

/// Which face of the font.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weight {
    /// DejaVu Sans.
    Regular,
    /// DejaVu Sans Bold.
    Bold,
}

impl Weight {
    /// The face's TrueType file, as embedded in the program.
    pub fn ttf(self) -> &'static [u8] {
        match self {
            Weight::Regular => REGULAR_TTF,
            Weight::Bold => BOLD_TTF,
        }
    }

    /// The face's PostScript name (the name a PDF gives its font).
    pub fn postscript_name(self) -> &'static str {
        match self {
            Weight::Regular => "DejaVuSans",
            Weight::Bold => "DejaVuSans-Bold",
        }
    }
}

/// Metrics of one face.
pub struct Metrics {
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
}

impl Metrics {
    fn load(bytes: &'static [u8]) -> Metrics {
        let face = ttf_parser::Face::parse(bytes, 0).expect("the embedded font parses");
        let units_per_em = f32::from(face.units_per_em());
        Metrics { face, units_per_em }
    }

    /// The face itself (its glyph ids, as the PDF's subset font is made from them).
    pub(crate) fn face(&self) -> &ttf_parser::Face<'static> {
        &self.face
    }

    /// Width of `text` at `size` points, in points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| {
                self.face
                    .glyph_index(c)
                    .or_else(|| self.face.glyph_index('\u{FFFD}'))
                    .and_then(|g| self.face.glyph_hor_advance(g))
                    .map(u32::from)
                    .unwrap_or(0)
            })
            .sum();
        units as f32 * size / self.units_per_em
    }

    /// The characters of `text` this face has no glyph for. Only the plain space is taken
    /// for granted: any other (an ideographic space typed before the desk made every space
    /// plain) prints as the box of a missing glyph.
    pub fn missing(&self, text: &str) -> Vec<char> {
        let mut out: Vec<char> =
            text.chars().filter(|c| *c != ' ' && self.face.glyph_index(*c).is_none()).collect();
        out.dedup();
        out
    }
}

/// The metrics of a face, loaded once.
pub fn metrics(weight: Weight) -> &'static Metrics {
    static REGULAR: OnceLock<Metrics> = OnceLock::new();
    static BOLD: OnceLock<Metrics> = OnceLock::new();
    let cell = match weight {
        Weight::Regular => &REGULAR,
        Weight::Bold => &BOLD,
    };
    cell.get_or_init(|| Metrics::load(weight.ttf()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_grow_with_size_and_text() {
        let m = metrics(Weight::Regular);
        let w = m.width("Hélène", 10.0);
        assert!(w > 20.0 && w < 60.0, "{w}");
        assert!((m.width("Hélène", 20.0) - 2.0 * w).abs() < 0.001);
        assert!(metrics(Weight::Bold).width("Hélène", 10.0) > w);
    }

    #[test]
    fn coverage_of_the_names_a_conference_meets() {
        let m = metrics(Weight::Bold);
        for name in [
            "Łukasz Żółć",
            "Αλέξανδρος Παπαδόπουλος",
            "Мария Иванова",
            "Jean-Baptiste Ngô",
            "Siân Ó Súilleabháin",
        ] {
            assert!(m.missing(name).is_empty(), "{name}: {:?}", m.missing(name));
        }
        assert_eq!(m.missing("王小明"), vec!['王', '小', '明']);
    }
}
