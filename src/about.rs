//! What the About box says: the version, the licences (the app's and the badge font's, which
//! is embedded in every badge PDF), where the database and the output folder are, and whether
//! the window shows demo data.

use crate::desk::{DbInfo, Desk};
use crate::error::Result;
use serde::{Deserialize, Serialize};

/// The app's licence (MIT), as shipped in `LICENSE`.
pub const LICENSE: &str = include_str!("../LICENSE");

/// The licence of the DejaVu fonts embedded in badge PDFs.
pub const FONT_LICENSE: &str = include_str!("badge/fonts/LICENSE-DejaVu.txt");

/// The About box's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct About {
    /// "Delegate Desk".
    pub name: String,
    /// The version of this build (the same for the window, the CLI and the package).
    pub version: String,
    /// The app's licence, by its SPDX name.
    pub license: String,
    /// Its text.
    pub license_text: String,
    /// The font embedded in badges.
    pub font: String,
    /// The font's licence text.
    pub font_license_text: String,
    /// The database, its engine and schema, and the folder for badge PDFs and rosters.
    pub database: DbInfo,
    /// Whether the database is a demo (invented people).
    pub demo: bool,
}

/// This build's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

impl Desk {
    /// What the About box shows for this desk.
    pub fn about(&self) -> Result<About> {
        Ok(About {
            name: "Delegate Desk".into(),
            version: VERSION.into(),
            license: env!("CARGO_PKG_LICENSE").into(),
            license_text: LICENSE.into(),
            font: "DejaVu Sans (regular and bold)".into(),
            font_license_text: FONT_LICENSE.into(),
            database: self.info(),
            demo: self.event()?.demo,
        })
    }
}
