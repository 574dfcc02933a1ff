//! Printer calibration per badge stock: the shift saved for a stock (bounded so that no QR
//! code leaves the page), and the calibration page that measures it.

use crate::badge::pdf::{calibration_pdf, Offset};
use crate::badge::Preset;
use crate::error::{Error, Result};
use crate::params;
use crate::store::db::Db;
use crate::store::records::audit;
use crate::Desk;
use std::path::{Path, PathBuf};

/// The largest calibration shift accepted, millimetres.
pub const MAX_OFFSET_MM: f32 = 20.0;

/// The saved shift of the stock `preset` (zero until set).
pub(super) fn offset_of(db: &Db, preset: &str) -> Result<Offset> {
    Ok(db
        .query_opt("SELECT dx_mm, dy_mm FROM calibration WHERE preset = ?1", params![preset], |r| {
            Ok(Offset { dx_mm: r.get::<f64>(0)? as f32, dy_mm: r.get::<f64>(1)? as f32 })
        })?
        .unwrap_or_default())
}

impl Desk {
    /// The calibration shift of a stock (zero until set).
    pub fn calibration(&self, preset: &str) -> Result<Offset> {
        let preset = Preset::find(preset)?;
        offset_of(&self.db, preset.name)
    }

    /// Save the calibration shift of a stock: the correction, the opposite of the error measured
    /// on its calibration page (positive moves the print right and down).
    pub fn set_calibration(&mut self, preset: &str, dx_mm: &str, dy_mm: &str) -> Result<Offset> {
        let preset = Preset::find(preset)?;
        let parse = |field: &str, label: &str, raw: &str| -> Result<f32> {
            // A decimal comma, and the typographic minus sign (U+2212) the hint itself uses.
            let v: f32 = raw.trim().replace(',', ".").replace('\u{2212}', "-").parse().map_err(|_| {
                Error::invalid(field, format!("{label} \"{}\" is not a number of millimetres", raw.trim()))
            })?;
            // "NaN" and "inf" parse as numbers, and are none.
            if !v.is_finite() {
                return Err(Error::invalid(
                    field,
                    format!("{label} \"{}\" is not a number of millimetres", raw.trim()),
                ));
            }
            if v.abs() > MAX_OFFSET_MM {
                return Err(Error::invalid(
                    field,
                    format!("{label} {v} mm is more than {MAX_OFFSET_MM} mm; check the measurement"),
                ));
            }
            Ok(v)
        };
        let offset = Offset {
            dx_mm: parse("dxMm", "Shift right", dx_mm)?,
            dy_mm: parse("dyMm", "Shift down", dy_mm)?,
        };
        // A shift that moves part of a QR code off the page prints badges that do not scan at
        // the door: the printer is off by more than a shift can correct.
        let (left, right, up, down) = preset.qr_room_mm();
        let off_page = |field: &str, label: &str, v: f32, edge: &str, room: f32| {
            Error::invalid(
                field,
                format!(
                    "{label} {v} mm would put the QR code past the {edge} edge of the {} (it is {room:.1} mm \
                     from it), and badges would not scan; check the measurement, or set the printer's own \
                     margins or card position",
                    if preset.per_page() == 1 { "badge" } else { "sheet" }
                ),
            )
        };
        if offset.dx_mm > right + 0.05 {
            return Err(off_page("dxMm", "Shift right", offset.dx_mm, "right", right));
        }
        if -offset.dx_mm > left + 0.05 {
            return Err(off_page("dxMm", "Shift right", offset.dx_mm, "left", left));
        }
        if offset.dy_mm > down + 0.05 {
            return Err(off_page("dyMm", "Shift down", offset.dy_mm, "bottom", down));
        }
        if -offset.dy_mm > up + 0.05 {
            return Err(off_page("dyMm", "Shift down", offset.dy_mm, "top", up));
        }
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let before = offset_of(&tx, preset.name)?;
        tx.execute(
            "INSERT INTO calibration (preset, dx_mm, dy_mm) VALUES (?1, ?2, ?3)
             ON CONFLICT (preset) DO UPDATE SET dx_mm = excluded.dx_mm, dy_mm = excluded.dy_mm",
            params![preset.name, f64::from(offset.dx_mm), f64::from(offset.dy_mm)],
        )?;
        let record = |o: Offset| serde_json::json!({"preset": preset.name, "dxMm": o.dx_mm, "dyMm": o.dy_mm});
        audit(&tx, &operator, "calibration.set", None, Some(&record(before)), Some(&record(offset)))?;
        tx.finish(offset)
    }

    /// Write the calibration page of a stock, with its saved shift applied, to `out`.
    pub fn calibration_page(&self, preset: &str, out: &Path) -> Result<PathBuf> {
        let preset = Preset::find(preset)?;
        self.check_output(out)?;
        let pdf = calibration_pdf(preset, offset_of(&self.db, preset.name)?);
        crate::store::storage::write_atomically(out, &pdf)?;
        Ok(out.to_path_buf())
    }
}
