//! Badge stock presets: each one a data entry (page size, badge size, grid, margins, cut
//! marks). Adding a stock is adding an entry to [`PRESETS`].

use crate::error::{Error, Result};
use serde::Serialize;

/// Points per millimetre (1 in = 72 pt = 25.4 mm).
pub const PT_PER_MM: f32 = 72.0 / 25.4;

/// Millimetres to points.
pub fn mm(v: f32) -> f32 {
    v * PT_PER_MM
}

/// Inches to points.
pub fn inch(v: f32) -> f32 {
    v * 72.0
}

/// One badge stock: what is on a sheet and where.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preset {
    /// Name used on the command line and in settings (`letter-6up-4x3`).
    pub name: &'static str,
    /// What a person calls it.
    pub label: &'static str,
    /// Page width, points.
    pub page_width: f32,
    /// Page height, points.
    pub page_height: f32,
    /// Badge width, points.
    pub badge_width: f32,
    /// Badge height, points.
    pub badge_height: f32,
    /// Badges across.
    pub columns: u32,
    /// Badges down.
    pub rows: u32,
    /// Distance from the page's left edge to the first column, points.
    pub left: f32,
    /// Distance from the page's top edge to the first row, points.
    pub top: f32,
    /// Space between columns, points.
    pub gap_x: f32,
    /// Space between rows, points.
    pub gap_y: f32,
    /// Whether light cut marks are drawn at the badge corners.
    pub cut_marks: bool,
}

/// Every stock preset.
pub const PRESETS: &[Preset] = &[
    Preset {
        name: "insert-4x3",
        label: "4 × 3 in badge insert, one per page",
        page_width: 288.0,
        page_height: 216.0,
        badge_width: 288.0,
        badge_height: 216.0,
        columns: 1,
        rows: 1,
        left: 0.0,
        top: 0.0,
        gap_x: 0.0,
        gap_y: 0.0,
        cut_marks: false,
    },
    Preset {
        name: "a6-portrait",
        label: "A6 portrait (105 × 148 mm), one per page",
        page_width: 105.0 * PT_PER_MM,
        page_height: 148.0 * PT_PER_MM,
        badge_width: 105.0 * PT_PER_MM,
        badge_height: 148.0 * PT_PER_MM,
        columns: 1,
        rows: 1,
        left: 0.0,
        top: 0.0,
        gap_x: 0.0,
        gap_y: 0.0,
        cut_marks: false,
    },
    Preset {
        name: "letter-6up-4x3",
        label: "US Letter, 6 badges of 4 × 3 in (Avery 5392 / 74459 style), cut marks",
        page_width: 612.0,
        page_height: 792.0,
        badge_width: 288.0,
        badge_height: 216.0,
        columns: 2,
        rows: 3,
        left: 18.0,
        top: 72.0,
        gap_x: 0.0,
        gap_y: 0.0,
        cut_marks: true,
    },
    Preset {
        name: "a4-4up-a6",
        label: "A4, 4 badges of A6 (105 × 148 mm), cut marks",
        page_width: 210.0 * PT_PER_MM,
        page_height: 297.0 * PT_PER_MM,
        badge_width: 105.0 * PT_PER_MM,
        badge_height: 148.0 * PT_PER_MM,
        columns: 2,
        rows: 2,
        left: 0.0,
        top: 0.5 * PT_PER_MM,
        gap_x: 0.0,
        gap_y: 0.0,
        cut_marks: true,
    },
    Preset {
        name: "cr80",
        label: "CR80 card (85.6 × 54 mm) for card printers (Evolis, Zebra), one per page",
        page_width: 85.6 * PT_PER_MM,
        page_height: 53.98 * PT_PER_MM,
        badge_width: 85.6 * PT_PER_MM,
        badge_height: 53.98 * PT_PER_MM,
        columns: 1,
        rows: 1,
        left: 0.0,
        top: 0.0,
        gap_x: 0.0,
        gap_y: 0.0,
        cut_marks: false,
    },
    Preset {
        name: "ql-62x100",
        label: "Brother QL die-cut label 62 × 100 mm (DK-11202), one per label",
        page_width: 62.0 * PT_PER_MM,
        page_height: 100.0 * PT_PER_MM,
        badge_width: 62.0 * PT_PER_MM,
        badge_height: 100.0 * PT_PER_MM,
        columns: 1,
        rows: 1,
        left: 0.0,
        top: 0.0,
        gap_x: 0.0,
        gap_y: 0.0,
        cut_marks: false,
    },
    Preset {
        name: "ql-62-continuous",
        label: "Brother QL 62 mm continuous tape (DK-22205), cut at 100 mm, the badge across the tape",
        page_width: 100.0 * PT_PER_MM,
        page_height: 62.0 * PT_PER_MM,
        badge_width: 100.0 * PT_PER_MM,
        badge_height: 62.0 * PT_PER_MM,
        columns: 1,
        rows: 1,
        left: 0.0,
        top: 0.0,
        gap_x: 0.0,
        gap_y: 0.0,
        cut_marks: false,
    },
    Preset {
        name: "zebra-4x3",
        label: "Zebra 4 × 3 in direct-thermal label, one per label (black only)",
        page_width: 288.0,
        page_height: 216.0,
        badge_width: 288.0,
        badge_height: 216.0,
        columns: 1,
        rows: 1,
        left: 0.0,
        top: 0.0,
        gap_x: 0.0,
        gap_y: 0.0,
        cut_marks: false,
    },
];

impl Preset {
    /// Find a preset by name (case ignored).
    pub fn find(name: &str) -> Result<&'static Preset> {
        let key = name.trim().to_lowercase();
        PRESETS.iter().find(|p| p.name == key).ok_or_else(|| {
            let names: Vec<&str> = PRESETS.iter().map(|p| p.name).collect();
            Error::invalid(
                "preset",
                format!("Unknown badge stock \"{}\"; use one of: {}", name.trim(), names.join(", ")),
            )
        })
    }

    /// Badges per page.
    pub fn per_page(&self) -> usize {
        (self.columns * self.rows) as usize
    }

    /// How far, in millimetres, every badge's QR code can move before part of it leaves the
    /// page: (left, right, up, down). A calibration shift past this would print badges that do
    /// not scan (a one-per-page card has under 3 mm to its right edge).
    pub fn qr_room_mm(&self) -> (f32, f32, f32, f32) {
        let qr = super::layout::qr_block(self.badge_width, self.badge_height);
        let mut room = (f32::MAX, f32::MAX, f32::MAX, f32::MAX);
        for i in 0..self.per_page() {
            let (x, y) = self.slot_origin(i);
            let (left, bottom) = (x + qr.x, y + qr.y);
            room.0 = room.0.min(left);
            room.1 = room.1.min(self.page_width - left - qr.width);
            room.2 = room.2.min(self.page_height - bottom - qr.height);
            room.3 = room.3.min(bottom);
        }
        let mm = |pt: f32| (pt / PT_PER_MM).max(0.0);
        (mm(room.0), mm(room.1), mm(room.2), mm(room.3))
    }

    /// Lower-left corner of slot `i` (0-based, row by row from the top left) on its page,
    /// before calibration, in points from the page's lower-left corner.
    pub fn slot_origin(&self, i: usize) -> (f32, f32) {
        let i = i % self.per_page();
        let (col, row) = ((i as u32 % self.columns) as f32, (i as u32 / self.columns) as f32);
        let x = self.left + col * (self.badge_width + self.gap_x);
        let top_of_slot = self.page_height - self.top - row * (self.badge_height + self.gap_y);
        (x, top_of_slot - self.badge_height)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_slot_lies_on_its_page() {
        for p in PRESETS {
            for i in 0..p.per_page() {
                let (x, y) = p.slot_origin(i);
                assert!(x >= -0.01 && y >= -0.01, "{} slot {i} starts off the page", p.name);
                assert!(
                    x + p.badge_width <= p.page_width + 0.01,
                    "{} slot {i} leaves the page right",
                    p.name
                );
                assert!(
                    y + p.badge_height <= p.page_height + 0.01,
                    "{} slot {i} leaves the page top",
                    p.name
                );
            }
        }
    }

    #[test]
    fn stock_sizes() {
        let letter = Preset::find("letter-6up-4x3").unwrap();
        assert_eq!(letter.per_page(), 6);
        assert_eq!(letter.slot_origin(0), (18.0, 792.0 - 72.0 - 216.0));
        assert_eq!(letter.slot_origin(5), (306.0, 72.0));
        let cr80 = Preset::find("CR80").unwrap();
        assert!((cr80.badge_width / PT_PER_MM - 85.6).abs() < 0.001);
        assert_eq!(Preset::find("a5").unwrap_err().field(), Some("preset"));
    }
}
