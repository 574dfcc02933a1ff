//! Badge printing at the desk: who gets a badge, which version, the pre-flight check, the
//! print record; printer calibration per stock is `calibration.rs`. The drawing itself is
//! [`crate::badge`].
//!
//! Only registered attendees get a badge; asking for anyone else is refused with their names.
//! Printing a badge that was printed before is a reprint: it needs a reason, and the new badge
//! carries the next version in its QR code, so the old one is recognisably superseded.
//!
//! A badge goes to a PDF in the output folder (here), or straight to a CUPS printer with the
//! job followed until CUPS says it printed (`jobs.rs`, the print log).

mod calibration;
mod jobs;
mod retry;
use calibration::offset_of;
pub use calibration::MAX_OFFSET_MM;
pub use jobs::{follow, PrintJob, PrinterChoice, DEFAULT_WAIT_SECONDS, MAX_WAIT_SECONDS};

use crate::badge::pdf::{badges_pdf, Drawn};
use crate::badge::{layout, BadgeContent, BadgeLayout, Preset};
use crate::error::{Error, Result};
use crate::model::{access_words, Attendee, Status};
use crate::params;
use crate::store::db::Db;
pub use crate::store::records::BadgePrint;
use crate::store::records::{
    attendee_from_row, audit, badge_print_from_row, load_event, load_sessions, now, ATTENDEE_SELECT,
};
use crate::text::{clean, TextRule};
use crate::Desk;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Why a badge is printed again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReprintReason {
    /// The badge was lost.
    Lost,
    /// The badge was damaged.
    Damaged,
    /// Something on it was wrong and has been corrected.
    Correction,
    /// Another reason (say which in the note).
    Other,
}

impl ReprintReason {
    /// The stored value.
    pub fn wire(self) -> &'static str {
        match self {
            ReprintReason::Lost => "lost",
            ReprintReason::Damaged => "damaged",
            ReprintReason::Correction => "correction",
            ReprintReason::Other => "other",
        }
    }

    /// Parse a reason as typed ("lost", "Damaged", …).
    pub fn parse(s: &str) -> Result<ReprintReason> {
        match s.trim().to_lowercase().as_str() {
            "lost" => Ok(ReprintReason::Lost),
            "damaged" => Ok(ReprintReason::Damaged),
            "correction" | "corrected" => Ok(ReprintReason::Correction),
            "other" => Ok(ReprintReason::Other),
            _ => Err(Error::invalid(
                "reason",
                format!("Unknown reprint reason \"{}\"; use lost, damaged, correction or other", s.trim()),
            )),
        }
    }
}

/// Whose badges to print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "who", content = "ids")]
pub enum BadgeSelection {
    /// These attendees, in this order.
    Ids(Vec<i64>),
    /// Everyone registered.
    AllRegistered,
    /// Everyone registered whose badge was never printed.
    NotPrinted,
}

/// A print job as asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BadgeRequest {
    /// Whose badges.
    pub selection: BadgeSelection,
    /// Stock preset name.
    pub preset: String,
    /// Reason for the badges printed before (needed only if there are any).
    pub reason: Option<String>,
    /// A remark kept with the print record.
    pub note: Option<String>,
}

/// One badge of a print job, as the pre-flight check sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BadgeCheck {
    /// Whose badge.
    pub attendee_id: i64,
    /// Rank and name, as at the desk.
    pub display_name: String,
    /// The name printed.
    pub printed_name: String,
    /// The version this print will carry.
    pub version: u32,
    /// Whether a badge was printed before.
    pub reprint: bool,
    /// What the layout had to do or could not do, one sentence each.
    pub problems: Vec<String>,
    /// What looks like a mistake in what it says (a name all in lower case, no delegation),
    /// one sentence each: asked about before it prints, printed if the operator goes on.
    pub warnings: Vec<String>,
}

/// Someone asked for who gets no badge, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Refusal {
    /// Who.
    pub attendee_id: i64,
    /// Rank and name.
    pub display_name: String,
    /// Why: "waitlisted", "cancelled", "invited".
    pub status: Status,
}

/// What a print job would do: shown before the PDF is written.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BadgePreflight {
    /// The stock.
    pub preset: Preset,
    /// Every badge to print, in order.
    pub badges: Vec<BadgeCheck>,
    /// People selected who get no badge (not registered).
    pub refused: Vec<Refusal>,
    /// Pages of the PDF.
    pub pages: usize,
    /// How many badges have a problem.
    pub with_problems: usize,
    /// How many badges have a warning (see [`BadgeCheck::warnings`]).
    pub with_warnings: usize,
    /// How many are reprints (which need a reason).
    pub reprints: usize,
    /// People whose badge is still on its way to a printer (a print job sending or waiting).
    /// With "not printed yet" they are left out of `badges`, as the print leaves them out;
    /// chosen otherwise, the print is refused until their job is sent again or cancelled.
    pub on_the_way: Vec<OnTheWay>,
}

/// A badge still on its way to a printer: sent again or cancelled from the print log, never
/// printed a second time beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OnTheWay {
    /// Who.
    pub attendee_id: i64,
    /// Rank and name.
    pub display_name: String,
    /// The print job it is in.
    pub job: i64,
    /// The printer it was sent to.
    pub printer: String,
    /// How the job stands, in words.
    pub words: String,
}

impl OnTheWay {
    fn describe(&self) -> String {
        format!("{} (print job {} on {}: {})", self.display_name, self.job, self.printer, self.words)
    }
}

/// The people of `planned` whose badge is still on its way to a printer; with "not printed
/// yet" (`selection`), they are left out of `planned` (the check and the print alike).
fn on_their_way(db: &Db, selection: &BadgeSelection, planned: &mut Vec<Planned>) -> Result<Vec<OnTheWay>> {
    let mut found = Vec::new();
    for p in planned.iter() {
        let job: Option<(i64, String, String)> = db.query_opt(
            "SELECT j.id, j.printer, j.words FROM print_job_badge b JOIN print_job j ON j.id = b.job_id
              WHERE b.attendee_id = ?1 AND j.state IN ('sending', 'waiting') ORDER BY j.id DESC LIMIT 1",
            params![p.attendee.id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        if let Some((job, printer, words)) = job {
            let (attendee_id, display_name) = (p.attendee.id, p.attendee.display_name.clone());
            found.push(OnTheWay { attendee_id, display_name, job, printer, words });
        }
    }
    if *selection == BadgeSelection::NotPrinted {
        planned.retain(|p| !found.iter().any(|w| w.attendee_id == p.attendee.id));
    }
    Ok(found)
}

/// What a print job did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrintOutcome {
    /// The PDF written.
    pub path: String,
    /// Badges in it.
    pub badges: usize,
    /// Pages in it.
    pub pages: usize,
    /// Size of the file, bytes.
    pub bytes: usize,
    /// One line for the operator.
    pub message: String,
}

/// How far a print job is, as the window's progress bar shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrintProgress {
    /// Badges done.
    pub done: usize,
    /// Badges in the job.
    pub total: usize,
}

/// Where a file was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Written {
    /// The file.
    pub path: String,
}

const NOTE: TextRule = TextRule {
    field: "note",
    label: "Note",
    max_chars: 300,
    why: "a short remark for the print record",
    multiline: false,
};

/// How often a long print job reports progress, in badges.
const PROGRESS_EVERY: usize = 25;

pub use crate::store::storage::{output_dir, output_dir_path, OUTPUT_DIR_ENV};

/// Reserve `{stem}-{stamp}.{ext}` (or `…-2`, `…-3`) in [`output_dir`] by creating it empty and
/// owner-only, so that two jobs in the same second, in one process or two, never get the same
/// file.
fn reserve(stem: &str, stamp: &str, ext: &str) -> Result<PathBuf> {
    // The stem may carry a value from the window (a stock's name): only letters, digits, `-`
    // and `_` reach the file name, so it can never leave the output folder.
    let stem: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' }).take(60).collect();
    let ext: String = ext.chars().filter(char::is_ascii_alphanumeric).take(8).collect();
    let dir = output_dir()?;
    for n in 1..10_000 {
        let path = match n {
            1 => dir.join(format!("{stem}-{stamp}.{ext}")),
            n => dir.join(format!("{stem}-{stamp}-{n}.{ext}")),
        };
        match crate::store::storage::create_private_file(&path) {
            Ok(_) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::Io(format!("Cannot write in {}: {e}", dir.display()))),
        }
    }
    Err(Error::Io(format!("No free file name for {stem} in {}", dir.display())))
}

/// After the commit of a change whose file `out` already has its name: a commit that failed
/// and did not happen takes the file with it (badges nobody recorded would be refused at the
/// door). A commit whose reply was lost may have been applied all the same: `recorded` says
/// whether the change is stored. When that cannot be asked either (the server still out of
/// reach), the file is kept and the failure says so: removed, a print the server did record
/// would have no PDF, and its retry would be answered "saved as PDF" with a file that is gone.
pub(crate) fn keep_file_if_recorded(
    committed: Result<()>,
    out: &Path,
    recorded: impl FnOnce() -> Result<bool>,
) -> Result<()> {
    let e = match committed {
        Ok(()) => return Ok(()),
        Err(e) => e,
    };
    let unknown = matches!(e, Error::Storage(_) | Error::Unreachable(_));
    match if unknown { recorded() } else { Ok(false) } {
        Ok(true) => Ok(()),
        Ok(false) => {
            let _ = std::fs::remove_file(out);
            Err(e)
        }
        Err(_) => {
            let kept = format!(
                "{e}. Whether the badges were recorded is not known: their PDF is kept ({}); try again once the database answers",
                out.display()
            );
            Err(match e {
                Error::Unreachable(_) => Error::Unreachable(kept),
                _ => Error::Storage(kept),
            })
        }
    }
}

/// Whether the badge code `token` is stored in `table` (`badge_print`, `print_job_badge`); an
/// error when the database cannot be asked.
pub(crate) fn token_in(db: &crate::store::db::Db, table: &str, token: &str) -> Result<bool> {
    db.value::<i64>(&format!("SELECT count(*) FROM {table} WHERE token = ?1"), params![token]).map(|n| n > 0)
}

impl Desk {
    /// A new file in the output folder, named with the time at the venue (the event's time
    /// zone): `{stem}-YYYY-MM-DD-HHMMSS.{ext}`, reserved (see `reserve`).
    pub fn new_output_file(&self, stem: &str, ext: &str) -> Result<PathBuf> {
        let stamp = self.event()?.local_now().format("%Y-%m-%d-%H%M%S").to_string();
        reserve(stem, &stamp, ext)
    }

    /// Run a job that writes a new file of the output folder ([`Desk::new_output_file`]); the
    /// reserved name is removed again if the job fails before writing it.
    pub fn to_new_file<T>(
        &mut self,
        stem: &str,
        ext: &str,
        job: impl FnOnce(&mut Desk, &Path) -> Result<T>,
    ) -> Result<T> {
        let out = self.new_output_file(stem, ext)?;
        let result = job(self, &out);
        if result.is_err() && std::fs::metadata(&out).is_ok_and(|m| m.len() == 0) {
            let _ = std::fs::remove_file(&out);
        }
        result
    }
}

/// Open a file that the desk wrote into [`output_dir`] (a PDF, CSV, XLSX or JSON) in the
/// system's viewer for it. Anything else is refused: the window has no business opening
/// other files.
pub fn open_in_viewer(path: &Path) -> Result<()> {
    let dir = output_dir()?.canonicalize()?;
    let file = path
        .canonicalize()
        .map_err(|_| Error::NotFound(format!("{} does not exist (any more)", path.display())))?;
    let ours = file
        .extension()
        .is_some_and(|e| ["pdf", "csv", "xlsx", "json"].iter().any(|x| e.eq_ignore_ascii_case(x)));
    if !file.starts_with(&dir) || !ours || !file.is_file() {
        return Err(Error::Conflict(format!(
            "Only files written by the desk into {} can be opened here",
            dir.display()
        )));
    }
    // The system's opener starts in the background and says nothing when no program takes
    // the file: then the desk says so, and where the file is.
    if let Some((kind, mimes)) = viewer_kinds(&file) {
        if !viewer_installed(&mimes) {
            return Err(Error::Io(format!(
                "No program on this computer opens {kind} files, so nothing was opened. The file is saved at {}: open it from the file manager or another computer, or install a viewer (for a PDF: sudo apt install evince)",
                file.display()
            )));
        }
    }
    opener::open(&file).map_err(|e| Error::Io(format!("Cannot open {}: {e}", file.display())))
}

/// What kind of file `file` is, in words, and the MIME types a program may declare to open it
/// (a CSV or JSON file opens in whatever opens plain text, as the opener falls back to).
fn viewer_kinds(file: &Path) -> Option<(&'static str, Vec<&'static str>)> {
    let ext = file.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "pdf" => ("PDF", vec!["application/pdf"]),
        "csv" => ("CSV", vec!["text/csv", "text/plain"]),
        "xlsx" => ("XLSX", vec!["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]),
        "json" => ("JSON", vec!["application/json", "text/plain"]),
        _ => return None,
    })
}

/// Whether an installed application says it opens one of `mimes`: a desktop entry in
/// `$XDG_DATA_HOME/applications` or a `$XDG_DATA_DIRS/…/applications` folder listing it in its
/// `MimeType=` line (where the freedesktop opener looks). Elsewhere than Linux: assumed.
pub fn viewer_installed(mimes: &[&str]) -> bool {
    if !cfg!(target_os = "linux") {
        return true;
    }
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    let home =
        env("XDG_DATA_HOME").map(PathBuf::from).or_else(|| dirs::home_dir().map(|h| h.join(".local/share")));
    let shared = env("XDG_DATA_DIRS").unwrap_or_else(|| "/usr/local/share:/usr/share".into());
    let dirs = home.into_iter().chain(std::env::split_paths(&shared)).map(|d| d.join("applications"));
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "desktop") {
                continue;
            }
            // A desktop entry is small; a huge file is not one.
            if entry.metadata().is_ok_and(|m| m.len() > 1 << 20) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            let opens = text.lines().filter_map(|l| l.trim().strip_prefix("MimeType=")).any(|types| {
                types.split(';').map(str::trim).any(|t| mimes.iter().any(|m| t.eq_ignore_ascii_case(m)))
            });
            if opens {
                return true;
            }
        }
    }
    false
}

/// A planned badge: the attendee, the version it will carry and its layout.
struct Planned {
    attendee: Attendee,
    content: BadgeContent,
    layout: BadgeLayout,
    reprint: bool,
}

/// The newest version of a person's badge that was printed. (A badge still on its way to a
/// printer holds the next one; nothing else is printed for that person meanwhile: see
/// `prepare`.)
fn last_version(db: &Db, id: i64) -> Result<u32> {
    db.query_row(
        "SELECT coalesce(max(version), 0) FROM badge_print WHERE attendee_id = ?1",
        params![id],
        |r| r.get(0),
    )
}

/// The most attendees one print may name (the most people an event's list may hold).
pub const MAX_IDS: usize = 100_000;

fn selected(db: &Db, selection: &BadgeSelection) -> Result<Vec<Attendee>> {
    let by_name = "ORDER BY a.delegation_key, lower(a.family_name), lower(a.given_name), a.id";
    let query = |sql: String| -> Result<Vec<Attendee>> { db.query_map(&sql, params![], attendee_from_row) };
    match selection {
        BadgeSelection::AllRegistered => {
            query(format!("{ATTENDEE_SELECT} WHERE a.status = 'registered' {by_name}"))
        }
        BadgeSelection::NotPrinted => query(format!(
            "{ATTENDEE_SELECT} WHERE a.status = 'registered'
               AND NOT EXISTS (SELECT 1 FROM badge_print b WHERE b.attendee_id = a.id) {by_name}"
        )),
        BadgeSelection::Ids(ids) => {
            if ids.is_empty() {
                return Err(Error::invalid("ids", "Choose at least one attendee to print a badge for"));
            }
            // Bounded before anything is set aside for them, and each looked up once: a list of
            // ids from the window is any length (a million reserved 500 MB, and each id was
            // compared with every one before it).
            if ids.len() > MAX_IDS {
                return Err(Error::invalid(
                    "ids",
                    format!("{} attendees chosen; one print takes at most {MAX_IDS}", ids.len()),
                ));
            }
            let mut seen = std::collections::HashSet::with_capacity(ids.len());
            let mut out: Vec<Attendee> = Vec::with_capacity(ids.len());
            for &id in ids {
                if seen.insert(id) {
                    out.push(crate::store::records::load_attendee(db, id)?);
                }
            }
            Ok(out)
        }
    }
}

/// Plan every badge of a request: refusals, versions, layouts. `progress` hears
/// `(laid out, total)` as the layouts are made.
fn plan(
    db: &Db,
    req: &BadgeRequest,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<(&'static Preset, Vec<Planned>, Vec<Refusal>)> {
    let preset = Preset::find(&req.preset)?;
    let event = load_event(db)?;
    let sessions = load_sessions(db, None)?;
    let mut planned = Vec::new();
    let mut refused = Vec::new();
    let chosen = selected(db, &req.selection)?;
    let total = chosen.len();
    for (i, a) in chosen.into_iter().enumerate() {
        if i % PROGRESS_EVERY == 0 {
            progress(i, total);
        }
        if a.status != Status::Registered {
            refused.push(Refusal {
                attendee_id: a.id,
                display_name: a.display_name.clone(),
                status: a.status,
            });
            continue;
        }
        let last = last_version(db, a.id)?;
        let content = BadgeContent::new(&a, last + 1, &event).with_access(access_words(&sessions, &a));
        let layout = layout(&content, preset.badge_width, preset.badge_height);
        planned.push(Planned { attendee: a, content, layout, reprint: last > 0 });
    }
    Ok((preset, planned, refused))
}

fn refusal_message(refused: &[Refusal]) -> String {
    let names: Vec<String> = refused
        .iter()
        .map(|r| format!("{} (#{}, {})", r.display_name, r.attendee_id, r.status.wire()))
        .collect();
    format!("Only registered attendees get a badge; not printed for: {}", names.join(", "))
}

/// The reprint reason and the note of a request, checked.
fn request_words(req: &BadgeRequest) -> Result<(Option<ReprintReason>, String)> {
    let reason =
        req.reason.as_deref().filter(|r| !r.trim().is_empty()).map(ReprintReason::parse).transpose()?;
    Ok((reason, clean(&NOTE, req.note.as_deref().unwrap_or(""))?))
}

/// A print job made ready: every badge planned, a new code for each, the PDF drawn.
struct Prepared {
    preset: &'static Preset,
    planned: Vec<Planned>,
    tokens: Vec<String>,
    /// Why each badge is printed: "first", or the reprint's reason.
    why: Vec<&'static str>,
    pdf: Vec<u8>,
}

impl Prepared {
    fn outcome(&self, out: &Path) -> PrintOutcome {
        let pages = self.planned.len().div_ceil(self.preset.per_page());
        let message = format!(
            "{} badge{} on {pages} page{} ({}) — {}",
            self.planned.len(),
            if self.planned.len() == 1 { "" } else { "s" },
            if pages == 1 { "" } else { "s" },
            self.preset.label,
            out.display()
        );
        PrintOutcome {
            path: out.display().to_string(),
            badges: self.planned.len(),
            pages,
            bytes: self.pdf.len(),
            message,
        }
    }
}

/// Plan `req`, refuse what may not be printed (people not registered, nobody left, a reprint
/// without a reason), and draw the PDF with a new random code on every badge.
fn prepare(
    db: &Db,
    req: &BadgeRequest,
    reason: Option<ReprintReason>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Prepared> {
    let (preset, mut planned, refused) = plan(db, req, progress)?;
    if !refused.is_empty() {
        return Err(Error::Conflict(refusal_message(&refused)));
    }
    // A badge still on its way to a printer is sent again from the print log, or cancelled
    // there, not printed a second time beside it.
    let on_the_way = on_their_way(db, &req.selection, &mut planned)?;
    if !on_the_way.is_empty() && req.selection != BadgeSelection::NotPrinted {
        let names: Vec<String> = on_the_way.iter().map(OnTheWay::describe).collect();
        return Err(Error::Conflict(format!(
            "A badge is still on its way to a printer for {}: send it again or cancel it in the print log; nothing was printed",
            names.join(", ")
        )));
    }
    if planned.is_empty() {
        let why = match req.selection {
            BadgeSelection::NotPrinted => "every registered attendee already has a badge",
            _ => "nobody is registered",
        };
        return Err(Error::Conflict(format!("No badge to print: {why}")));
    }
    let reprints: Vec<&Planned> = planned.iter().filter(|p| p.reprint).collect();
    if !reprints.is_empty() && reason.is_none() {
        let names: Vec<String> = reprints
            .iter()
            .take(5)
            .map(|p| format!("{} (version {})", p.attendee.display_name, p.content.version - 1))
            .collect();
        let more =
            if reprints.len() > 5 { format!(" and {} more", reprints.len() - 5) } else { String::new() };
        return Err(Error::invalid(
            "reason",
            format!(
                "Reprint needs a reason (lost, damaged, correction or other): already printed for {}{more}",
                names.join(", ")
            ),
        ));
    }
    let offset = offset_of(db, preset.name)?;
    // A new random token for every badge: its QR code, and the only valid one of its holder.
    let tokens = planned.iter().map(|_| crate::token::new_token()).collect::<Result<Vec<_>>>()?;
    let drawn: Vec<Drawn> =
        planned.iter().zip(&tokens).map(|(p, t)| Drawn { layout: &p.layout, qr: t.clone() }).collect();
    let title = format!("Badges — {}", load_event(db)?.name);
    let pdf = badges_pdf(&drawn, preset, offset, &title);
    let why = planned
        .iter()
        .map(|p| if p.reprint { reason.map(ReprintReason::wire).unwrap_or("other") } else { "first" })
        .collect();
    Ok(Prepared { preset, planned, tokens, why, pdf })
}

/// Record one badge as printed, with its audit entry (`job`: the printer job it came out of).
#[allow(clippy::too_many_arguments)]
fn record_print(
    tx: &crate::store::db::Tx<'_>,
    operator: &crate::store::records::Operator,
    attendee: i64,
    version: u32,
    at: &str,
    preset: &str,
    why: &str,
    note: &str,
    token: &str,
    job: Option<(i64, &str)>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO badge_print (attendee_id, version, at, operator, preset, reason, note, token, print_job)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![attendee, version, at, operator.name, preset, why, note, token, job.map(|j| j.0)],
    )?;
    let mut record = serde_json::json!({"version": version, "preset": preset, "reason": why});
    if let Some((id, printer)) = job {
        record["printer"] = printer.into();
        record["job"] = id.into();
    }
    audit(tx, operator, "badge.print", Some(attendee), None::<&()>, Some(&record))
}

impl Desk {
    /// What printing `req` would do, without doing it: every badge with its version and the
    /// problems its layout met, and the people who get no badge.
    pub fn badge_preflight(&self, req: &BadgeRequest) -> Result<BadgePreflight> {
        let (preset, mut planned, refused) = plan(&self.db, req, &mut |_, _| {})?;
        // As the print does: with "not printed yet", a badge on its way is left out.
        let on_the_way = on_their_way(&self.db, &req.selection, &mut planned)?;
        let badges: Vec<BadgeCheck> = planned
            .iter()
            .map(|p| BadgeCheck {
                attendee_id: p.attendee.id,
                display_name: p.attendee.display_name.clone(),
                printed_name: p.content.name.clone(),
                version: p.content.version,
                reprint: p.reprint,
                problems: p.layout.issues.iter().map(|i| i.describe()).collect(),
                warnings: p.content.warnings(),
            })
            .collect();
        Ok(BadgePreflight {
            preset: preset.clone(),
            pages: badges.len().div_ceil(preset.per_page()),
            with_problems: badges.iter().filter(|b| !b.problems.is_empty()).count(),
            with_warnings: badges.iter().filter(|b| !b.warnings.is_empty()).count(),
            reprints: badges.iter().filter(|b| b.reprint).count(),
            badges,
            refused,
            on_the_way,
        })
    }

    /// Print `req` into the PDF at `out`, and record every badge printed — all in one
    /// transaction, so that the record and the file agree. Refused if anyone selected is not
    /// registered, if nobody is left to print, or if a reprint has no reason.
    pub fn print_badges(&mut self, req: &BadgeRequest, out: &Path) -> Result<PrintOutcome> {
        self.print_badges_with_progress(req, out, &mut |_, _| {})
    }

    /// [`Desk::print_badges`], telling `progress` how far it is: `(badges laid out, total)`
    /// while laying out, then `(total, total)` once the PDF is written.
    pub fn print_badges_with_progress(
        &mut self,
        req: &BadgeRequest,
        out: &Path,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<PrintOutcome> {
        let (reason, note) = request_words(req)?;
        self.check_output(out)?;
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let ready = prepare(&tx, req, reason, progress)?;
        let at = now();
        for (p, (token, why)) in ready.planned.iter().zip(ready.tokens.iter().zip(&ready.why)) {
            record_print(
                &tx,
                &operator,
                p.attendee.id,
                p.content.version,
                &at,
                ready.preset.name,
                why,
                &note,
                token,
                None,
            )?;
        }
        // The PDF takes its name before the commit: a file that cannot be written records
        // nothing, so a new version never revokes the badge in hand for a PDF nobody has.
        crate::store::storage::stage_beside(out, &ready.pdf)?
            .persist()
            .map_err(|e| Error::Io(format!("Cannot write {}: {e}; nothing was recorded", out.display())))?;
        let outcome = ready.outcome(out);
        // The outcome is what a change sent again with the same request id is answered with.
        let committed = tx.finish(outcome.clone()).map(drop);
        keep_file_if_recorded(committed, out, || token_in(&self.db, "badge_print", &ready.tokens[0]))?;
        progress(ready.planned.len(), ready.planned.len());
        Ok(outcome)
    }

    /// Every badge printed for one attendee, oldest first.
    pub fn badge_history(&self, id: i64) -> Result<Vec<BadgePrint>> {
        crate::store::records::load_attendee(&self.db, id)?;
        self.db.query_map(
            "SELECT version, at, operator, preset, reason, note FROM badge_print WHERE attendee_id = ?1 ORDER BY version",
            params![id],
            badge_print_from_row,
        )
    }
}
