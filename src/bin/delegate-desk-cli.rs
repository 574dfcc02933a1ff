//! `delegate-desk-cli`: the headless command-line front end of the Delegate Desk core, on the
//! same database as the desktop app.
//!
//! Exit codes: 0 success, 2 invalid input or refused action (message on stderr), 1 any other
//! failure.

use clap::{Args, Parser, Subcommand};
use delegate_desk::allocation::Allocations;
use delegate_desk::badge::PRESETS;
use delegate_desk::checkin::{Arrival, ArrivalCard};
use delegate_desk::export::{self, ExportRequest, RosterFilter};
use delegate_desk::import::{ImportMode, ImportOptions, ImportPreview};
use delegate_desk::model::DayTheme;
use delegate_desk::printing::{BadgeRequest, BadgeSelection};
use delegate_desk::request::digest_of_bytes;
use delegate_desk::AuditFilter;
use delegate_desk::{storage, Attendee, AttendeeInput, Desk, Error, EventInput, ListFilter, Result};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "delegate-desk-cli",
    version,
    about = "Delegate Desk on the command line: the same desk, the same database.",
    after_help = "Examples:\n  delegate-desk-cli status\n  delegate-desk-cli search dupre\n  delegate-desk-cli checkin 42\n  delegate-desk-cli --db try.sqlite3 demo\n  delegate-desk-cli help import"
)]
struct Cli {
    /// Database file (default: the app's data directory; also DELEGATE_DESK_DB).
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Who is at the desk, recorded on every change (default: DELEGATE_DESK_OPERATOR, else the
    /// system user name).
    #[arg(long, global = true, value_name = "NAME")]
    operator: Option<String>,
    /// Which desk, recorded on every change and check-in (default: DELEGATE_DESK_DESK, else
    /// the computer's name).
    #[arg(long, global = true, value_name = "LABEL")]
    desk: Option<String>,
    /// An id for this change (8 to 64 letters, digits, '-' or '_'): run again with the same id
    /// (say, after the server's reply was lost), the change is answered from the database and
    /// not applied twice.
    #[arg(long, global = true, value_name = "ID")]
    request_id: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Clone)]
enum Command {
    #[command(
        after_help = "Examples:\n  delegate-desk-cli event show\n  delegate-desk-cli event set --capacity 120"
    )]
    /// Show or change the event settings.
    Event {
        #[command(subcommand)]
        command: EventCommand,
    },
    #[command(
        after_help = "Examples:\n  delegate-desk-cli register --rank \"Lt. Col.\" --given-name Marie --family-name Dupré --delegation Haiti --category delegate\n  delegate-desk-cli register --given-name Ana --family-name Reyes --delegation Press --category press --days 1 --json"
    )]
    /// Register a new attendee (a seat if one is free, else the waitlist).
    Register {
        #[command(flatten)]
        fields: AttendeeArgs,
        /// Print the new attendee as JSON.
        #[arg(long)]
        json: bool,
    },
    #[command(
        after_help = "Examples:\n  delegate-desk-cli edit 42 --badge-name \"Col. M. Dupré\"\n  delegate-desk-cli edit 42 --days 2 --dietary halal"
    )]
    /// Change an attendee's fields; only the flags given change.
    Edit {
        /// Attendee id.
        id: i64,
        #[command(flatten)]
        fields: AttendeeArgs,
        /// Print the attendee as JSON.
        #[arg(long)]
        json: bool,
    },
    #[command(
        after_help = "Examples:\n  delegate-desk-cli list --status registered --delegation Jamaica\n  delegate-desk-cli list --status waitlisted --json"
    )]
    /// List attendees.
    List {
        /// Only this status: invited, registered, waitlisted, cancelled.
        #[arg(long)]
        status: Option<String>,
        /// Only this category.
        #[arg(long)]
        category: Option<String>,
        /// Only this delegation.
        #[arg(long)]
        delegation: Option<String>,
        /// Only names containing this (case and accents ignored).
        #[arg(long)]
        name: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    #[command(
        after_help = "Examples:\n  delegate-desk-cli search jea bap\n  delegate-desk-cli search dupre --limit 5 --json"
    )]
    /// Find people by the start of any word of their name, organisation, delegation or
    /// e-mail, in any order ("jea bap" finds Jean-Baptiste); best matches first.
    Search {
        /// The words typed.
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
        /// At most this many people.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check a registered person in for an event day (today's, unless --day), by id or by
    /// the code of their badge. A second check-in the same day says when the first was made.
    #[command(
        after_help = "Examples:\n  delegate-desk-cli checkin 42\n  delegate-desk-cli checkin 42 --day 2\n  delegate-desk-cli checkin --scan DDK3V…"
    )]
    Checkin {
        /// Attendee id.
        #[arg(required_unless_present = "scan", conflicts_with = "scan")]
        id: Option<i64>,
        /// The code a badge's QR code carries (what a scanner types).
        #[arg(long, value_name = "TOKEN")]
        scan: Option<String>,
        /// Event day (1, 2, …); default today's.
        #[arg(long)]
        day: Option<u32>,
        /// Print the outcome as JSON.
        #[arg(long)]
        json: bool,
    },
    #[command(
        after_help = "Examples:\n  delegate-desk-cli undo-checkin 42 --day 1 --reason \"Checked in the wrong person\""
    )]
    /// Undo a check-in, with a reason; the check-in stays in the history.
    UndoCheckin {
        /// Attendee id.
        id: i64,
        /// Event day of the check-in.
        #[arg(long)]
        day: u32,
        /// Why it is undone.
        #[arg(long)]
        reason: String,
        /// Print the outcome as JSON.
        #[arg(long)]
        json: bool,
    },
    #[command(
        after_help = "Examples:\n  delegate-desk-cli pin status\n  delegate-desk-cli pin set < pin.txt"
    )]
    /// The coordinator PIN the window asks for coordinator actions (the CLI never asks).
    Pin {
        #[command(subcommand)]
        command: PinCommand,
    },
    /// The audit trail: every change, oldest first.
    #[command(
        after_help = "Examples:\n  delegate-desk-cli audit --since \"2019-11-14 07:00\"\n  delegate-desk-cli audit --person 42 --json\n  delegate-desk-cli audit --action checkin --by Ana\n  delegate-desk-cli audit --since 2019-11-14 --csv audit.csv"
    )]
    Audit {
        /// From this time (2019-11-14, "2019-11-14 08:00" at the venue, or RFC 3339).
        #[arg(long)]
        since: Option<String>,
        /// Before this time.
        #[arg(long)]
        until: Option<String>,
        /// Only this attendee id.
        #[arg(long)]
        person: Option<i64>,
        /// Only the people these words of a name find ("dupre hel").
        #[arg(long, value_name = "WORDS")]
        who: Option<String>,
        /// Only changes made by this operator.
        #[arg(long = "by", value_name = "OPERATOR")]
        operator_name: Option<String>,
        /// Only this action (register, edit, checkin, badge, import, allocation…).
        #[arg(long)]
        action: Option<String>,
        /// At most this many (the newest).
        #[arg(long)]
        limit: Option<usize>,
        /// Print JSON (the entries with their records before and after).
        #[arg(long)]
        json: bool,
        /// Write every matching entry to this CSV file instead (a new file, or one of ours).
        #[arg(long, value_name = "FILE", conflicts_with = "json")]
        csv: Option<PathBuf>,
    },
    #[command(after_help = "Examples:\n  delegate-desk-cli show 42\n  delegate-desk-cli show 42 --json")]
    /// Show one attendee.
    Show {
        /// Attendee id.
        id: i64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    #[command(after_help = "Examples:\n  delegate-desk-cli cancel 42")]
    /// Cancel an attendee; a freed seat is proposed to the next waitlisted person.
    Cancel {
        /// Attendee id.
        id: i64,
        /// Print the outcome as JSON.
        #[arg(long)]
        json: bool,
    },
    #[command(after_help = "Examples:\n  delegate-desk-cli reinstate 42")]
    /// Register an invited attendee, or bring a cancelled one back: a seat if one is free,
    /// else the waitlist.
    Reinstate {
        /// Attendee id.
        id: i64,
        /// Print the attendee as JSON.
        #[arg(long)]
        json: bool,
    },
    #[command(
        after_help = "Examples:\n  delegate-desk-cli promote 57\n  delegate-desk-cli promote 57 58 59"
    )]
    /// Give a seat to waitlisted people (all or none).
    Promote {
        /// Attendee ids.
        #[arg(required = true)]
        ids: Vec<i64>,
        /// Print the outcome as JSON.
        #[arg(long)]
        json: bool,
    },
    #[command(
        after_help = "Examples:\n  delegate-desk-cli badges --not-printed --preset insert-4x3 -o badges.pdf\n  delegate-desk-cli badges --id 42 --preset insert-4x3 --reprint --reason lost -o reprint-42.pdf\n  delegate-desk-cli badges --all --preset cr80 --check"
    )]
    /// Print badges to a PDF: a pre-flight list first, then the file.
    Badges {
        /// Every registered attendee.
        #[arg(long, conflicts_with_all = ["not_printed", "id"])]
        all: bool,
        /// Every registered attendee whose badge was never printed.
        #[arg(long, conflicts_with = "id")]
        not_printed: bool,
        /// These attendees (`--id 3 4` or `--id 3 --id 4`).
        #[arg(long, value_name = "ID", num_args = 1..)]
        id: Vec<i64>,
        /// Badge stock (see `presets`).
        #[arg(long)]
        preset: String,
        /// The PDF to write.
        #[arg(short, long, value_name = "FILE.pdf", required_unless_present = "check")]
        output: Option<PathBuf>,
        /// Allow badges printed before to be printed again (needs --reason).
        #[arg(long)]
        reprint: bool,
        /// Why they are printed again: lost, damaged, correction, other.
        #[arg(long, requires = "reprint")]
        reason: Option<String>,
        /// A remark for the print record.
        #[arg(long)]
        note: Option<String>,
        /// Only run the pre-flight check; write nothing.
        #[arg(long)]
        check: bool,
        /// Print the pre-flight check (and the outcome) as JSON.
        #[arg(long)]
        json: bool,
    },
    #[command(
        after_help = "Examples:\n  delegate-desk-cli import invitees.csv --dry-run\n  delegate-desk-cli import invitees.csv --register\n  delegate-desk-cli import eventbrite.csv --map \"Ticket Type=category\" --category Delegate"
    )]
    /// Import an invite list (CSV or tab-separated, as spreadsheets export it): a preview
    /// first, then everything in one go or nothing.
    Import {
        /// The file.
        file: PathBuf,
        /// Register the new people in file order (seats, then the waitlist).
        #[arg(long, conflicts_with = "invite")]
        register: bool,
        /// Add the new people as invited, holding no seat (the default).
        #[arg(long)]
        invite: bool,
        /// Show what would happen; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Also update people already present whose row differs.
        #[arg(long)]
        update_existing: bool,
        /// Keep unknown columns in the notes ("Column: value").
        #[arg(long)]
        unknown_as_notes: bool,
        /// Import the valid rows even if some are invalid.
        #[arg(long)]
        skip_invalid: bool,
        /// Read a column as another field: "Ticket Type=category", "Order #=" for not used
        /// (repeatable; remembered for the next file with the same header).
        #[arg(long, value_name = "HEADER=FIELD")]
        map: Vec<String>,
        /// The category of rows without one, e.g. --category Delegate.
        #[arg(long, value_name = "CATEGORY")]
        category: Option<String>,
        /// Print the preview or the outcome as JSON.
        #[arg(long)]
        json: bool,
    },
    #[command(
        after_help = "Examples:\n  delegate-desk-cli allocation show\n  delegate-desk-cli allocation set Jamaica 6"
    )]
    /// Seat allocations per delegation: show, set, remove, and the policy beyond them.
    Allocation {
        #[command(subcommand)]
        what: AllocationCommand,
    },
    #[command(
        after_help = "Examples:\n  delegate-desk-cli export roster --format xlsx --columns security -o security.xlsx"
    )]
    /// Export a roster for security, catering or protocol.
    Export {
        #[command(subcommand)]
        what: ExportCommand,
    },
    #[command(after_help = "Examples:\n  delegate-desk-cli presets\n  delegate-desk-cli presets --json")]
    /// List the badge stock presets.
    Presets {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    #[command(
        after_help = "Examples:\n  delegate-desk-cli calibration insert-4x3 --page calibration.pdf\n  delegate-desk-cli calibration insert-4x3 --dx -2 --dy 1.5"
    )]
    /// Show, or set, how far a printer is off for a stock; or write its calibration page.
    Calibration {
        /// Badge stock (see `presets`).
        preset: String,
        /// Shift right in mm (negative: left): the opposite of the error seen on the calibration
        /// page (it prints 2 mm too far right: --dx -2).
        #[arg(long, allow_hyphen_values = true, requires = "dy")]
        dx: Option<String>,
        /// Shift down in mm (negative: up).
        #[arg(long, allow_hyphen_values = true, requires = "dx")]
        dy: Option<String>,
        /// Write the calibration page (with the saved shift) to this PDF.
        #[arg(long, value_name = "FILE.pdf")]
        page: Option<PathBuf>,
    },
    #[command(
        after_help = "Examples:\n  delegate-desk-cli backup -o before-import.sqlite3\n  delegate-desk-cli backup --list"
    )]
    /// Back the database up into a new file, consistently while desks work.
    Backup {
        /// The new file.
        #[arg(short, long, value_name = "FILE", required_unless_present = "list")]
        output: Option<PathBuf>,
        /// Show the automatic backups beside the database instead.
        #[arg(long, conflicts_with = "output")]
        list: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    #[command(
        after_help = "Examples:\n  delegate-desk-cli restore before-import.sqlite3\n  delegate-desk-cli restore before-import.sqlite3 --force"
    )]
    /// Replace the database with a backup (the replaced one is kept aside).
    Restore {
        /// The backup file.
        file: PathBuf,
        /// Restore even if the database has changes newer than the backup, or holds another
        /// event, or the backup is demo data.
        #[arg(long)]
        force: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Copy an event with everything it holds (attendees, prints, check-ins, the audit trail)
    /// between a file and a database server, to a new file or an empty server database.
    #[command(
        after_help = "Examples:\n  delegate-desk-cli copy --from desk.sqlite3 --to postgres://desk@10.0.0.5/cansec\n  delegate-desk-cli copy --from postgres://desk@10.0.0.5/cansec --to after-the-event.sqlite3"
    )]
    Copy {
        /// The database copied (a file, or postgres://…).
        #[arg(long, value_name = "DB")]
        from: PathBuf,
        /// The new database (a new file, or an empty database on a server).
        #[arg(long, value_name = "DB")]
        to: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Make a demo database to try the desk on: the sample invite list (120 invented people)
    /// with some registered, waitlisted, checked in and badged. It goes to --db (a new file,
    /// or an older demo, which is made again), by default beside the real database; a real
    /// database is never touched.
    #[command(
        after_help = "Examples:\n  delegate-desk-cli demo --db try.sqlite3\n  delegate-desk-cli --db try.sqlite3 status\n  delegate-desk --db try.sqlite3      (the window on it)"
    )]
    Demo {
        /// Print what it made as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print the shell completions of this command, for bash, zsh, fish, elvish or
    /// powershell (the package installs them for bash, zsh and fish).
    #[command(
        after_help = "Examples:\n  delegate-desk-cli completions bash > ~/.local/share/bash-completion/completions/delegate-desk-cli\n  delegate-desk-cli completions zsh > ~/.zfunc/_delegate-desk-cli"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page of this command (roff), made from the same definitions as
    /// --help (the package installs it as delegate-desk-cli(1)).
    #[command(hide = true, after_help = "Examples:\n  delegate-desk-cli manpage > delegate-desk-cli.1")]
    Manpage,
    /// Seat count: capacity, registered, waitlisted, invited, cancelled, seats left.
    #[command(
        after_help = "Examples:\n  delegate-desk-cli status\n  delegate-desk-cli --db postgres://desk@10.0.0.5/cansec status --json"
    )]
    Status {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Clone)]
enum PinCommand {
    #[command(after_help = "Examples:\n  delegate-desk-cli pin status")]
    /// Whether a PIN is set, when and by whom, wrong tries, and an unacknowledged reset.
    Status,
    #[command(
        after_help = "Examples:\n  delegate-desk-cli pin set      (then the current PIN, if one is set, and the new one twice)\n  delegate-desk-cli pin set < new-pin-twice.txt      (with DELEGATE_DESK_PIN set to the current one)"
    )]
    /// Set the first PIN, or change it: changing needs the current PIN (DELEGATE_DESK_PIN, or
    /// asked at a terminal). The new PIN is read twice from standard input (without echo at a
    /// terminal), so that it stays out of the shell's history. A forgotten PIN: `pin reset`.
    Set,
    #[command(
        after_help = "Examples:\n  delegate-desk-cli pin reset          (then type the new PIN twice)"
    )]
    /// Replace a forgotten PIN without the old one. The reset is written in the audit trail and
    /// shown in every window until a coordinator acknowledges it.
    Reset,
    #[command(
        after_help = "Examples:\n  delegate-desk-cli pin acknowledge      (the PIN from DELEGATE_DESK_PIN, or asked)"
    )]
    /// A coordinator has seen that the PIN was reset: the windows stop saying so.
    Acknowledge,
}

#[derive(Subcommand, Clone)]
enum EventCommand {
    #[command(
        after_help = "Examples:\n  delegate-desk-cli event show\n  delegate-desk-cli event show --json"
    )]
    /// Show the event settings.
    Show {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    #[command(
        after_help = "Examples:\n  delegate-desk-cli event set --name \"CANSEC 2027\" --start-date 2027-11-14 --end-date 2027-11-15\n  delegate-desk-cli event set --capacity 120 --theme \"1=Disaster response\""
    )]
    /// Change event settings; only the flags given change.
    Set {
        /// Event name.
        #[arg(long)]
        name: Option<String>,
        /// Venue.
        #[arg(long)]
        venue: Option<String>,
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        start_date: Option<String>,
        /// Last day, YYYY-MM-DD.
        #[arg(long)]
        end_date: Option<String>,
        /// Time zone name, e.g. America/New_York.
        #[arg(long)]
        timezone: Option<String>,
        /// Number of seats.
        #[arg(long)]
        capacity: Option<String>,
        /// Theme of a day, as DAY=THEME (repeatable), e.g. --theme "1=Disaster response".
        #[arg(long, value_name = "DAY=THEME")]
        theme: Vec<String>,
        /// Print the outcome as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Clone)]
enum AllocationCommand {
    #[command(
        after_help = "Examples:\n  delegate-desk-cli allocation show\n  delegate-desk-cli allocation show --json"
    )]
    /// Show the allocations.
    Show {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    #[command(
        after_help = "Examples:\n  delegate-desk-cli allocation set Jamaica 6\n  delegate-desk-cli allocation set \"Trinidad and Tobago\" 5"
    )]
    /// Allocate seats to a delegation (inside the capacity).
    Set {
        /// The delegation.
        delegation: String,
        /// Seats.
        seats: String,
    },
    #[command(after_help = "Examples:\n  delegate-desk-cli allocation remove Jamaica")]
    /// Remove a delegation's allocation.
    Remove {
        /// The delegation.
        delegation: String,
    },
    #[command(
        after_help = "Examples:\n  delegate-desk-cli allocation policy refuse\n  delegate-desk-cli allocation policy waitlist"
    )]
    /// What happens beyond an allocation: waitlist or refuse.
    Policy {
        /// waitlist or refuse.
        policy: String,
    },
}

#[derive(Subcommand, Clone)]
enum ExportCommand {
    #[command(
        after_help = "Examples:\n  delegate-desk-cli export roster --format xlsx --columns security -o security.xlsx\n  delegate-desk-cli export roster --format pdf --days 1 -o sign-in-day-1.pdf\n  delegate-desk-cli export roster --format csv --status all --category press -o press.csv"
    )]
    /// The list of people: CSV, XLSX, JSON, or the PDF sign-in sheet.
    Roster {
        /// csv, xlsx, json or pdf.
        #[arg(long)]
        format: String,
        /// Status (default registered; "all" for everyone).
        #[arg(long)]
        status: Option<String>,
        /// Only this category.
        #[arg(long)]
        category: Option<String>,
        /// Only this delegation.
        #[arg(long)]
        delegation: Option<String>,
        /// Only people attending one of these days ("1", "2", "both").
        #[arg(long)]
        days: Option<String>,
        /// A preset (security, catering, full) or column keys, comma-separated.
        #[arg(long, default_value = "full")]
        columns: String,
        /// XLSX: one sheet per preset.
        #[arg(long)]
        sheet_per_preset: bool,
        /// The file to write.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
}

#[derive(Args, Clone)]
struct AttendeeArgs {
    /// Rank or honorific ("Lt. Col.", "H.E.", "Dr.").
    #[arg(long)]
    rank: Option<String>,
    /// Given name(s).
    #[arg(long)]
    given_name: Option<String>,
    /// Family name(s).
    #[arg(long)]
    family_name: Option<String>,
    /// Name printed on the badge instead of given + family.
    #[arg(long)]
    badge_name: Option<String>,
    /// Job title.
    #[arg(long)]
    position: Option<String>,
    /// Organisation.
    #[arg(long)]
    organization: Option<String>,
    /// Nation, territory, institution, or Press.
    #[arg(long)]
    delegation: Option<String>,
    /// Category: delegate, co-host, regional institution, observer, speaker, VIP, press, staff.
    #[arg(long)]
    category: Option<String>,
    /// E-mail address.
    #[arg(long)]
    email: Option<String>,
    /// Phone number.
    #[arg(long)]
    phone: Option<String>,
    /// Days attending: "1,2", "1", "Day 2", "both" (default: every day).
    #[arg(long)]
    days: Option<String>,
    /// Dietary requirements.
    #[arg(long)]
    dietary: Option<String>,
    /// Accessibility needs.
    #[arg(long)]
    accessibility: Option<String>,
    /// Notes.
    #[arg(long)]
    notes: Option<String>,
}

impl From<AttendeeArgs> for AttendeeInput {
    fn from(a: AttendeeArgs) -> Self {
        AttendeeInput {
            rank: a.rank,
            given_name: a.given_name,
            family_name: a.family_name,
            badge_name: a.badge_name,
            position: a.position,
            organization: a.organization,
            delegation: a.delegation,
            category: a.category,
            email: a.email,
            phone: a.phone,
            days: a.days,
            dietary: a.dietary,
            accessibility: a.accessibility,
            notes: a.notes,
        }
    }
}

/// A person's arrival card: name, status, check-ins, badge, what needs attention.
fn print_card(c: &ArrivalCard) {
    let a = &c.attendee;
    println!("#{}  {} — {} ({})", a.id, a.display_name, a.fields.delegation, status_word(a));
    for x in &c.attention {
        println!("  ! {}", x.text);
    }
    for ci in &c.history {
        let undone = match (&ci.undone_by, &ci.undo_reason) {
            (Some(by), Some(why)) => format!(" — undone by {by}: {why}"),
            _ => String::new(),
        };
        println!(
            "  day {} checked in {} by {} ({}, {}){undone}",
            ci.day, ci.local_time, ci.operator, ci.desk, ci.method
        );
    }
}

fn print_json(v: &impl Serialize) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

fn status_word(a: &Attendee) -> String {
    match a.waitlist_position {
        Some(p) => format!("waitlisted #{p}"),
        None => a.status.wire().to_string(),
    }
}

fn print_attendee(a: &Attendee) {
    let f = &a.fields;
    let days: Vec<String> = f.days.iter().map(u32::to_string).collect();
    let lines = [
        ("Id", a.id.to_string()),
        ("Name", a.display_name.clone()),
        ("Badge name", f.badge_name.clone().unwrap_or_default()),
        ("Position", f.position.clone()),
        ("Organisation", f.organization.clone()),
        ("Delegation", f.delegation.clone()),
        ("Category", f.category.label().to_string()),
        ("Email", f.email.clone()),
        ("Phone", f.phone.clone()),
        ("Days", days.join(",")),
        ("Dietary", f.dietary.clone()),
        ("Accessibility", f.accessibility.clone()),
        ("Notes", f.notes.clone()),
        ("Status", status_word(a)),
        ("Registered at", a.registered_at.clone().unwrap_or_default()),
    ];
    for (k, v) in lines.iter().filter(|(_, v)| !v.is_empty()) {
        println!("{k:<14} {v}");
    }
}

fn print_allocations(a: &Allocations) {
    println!("Beyond an allocation: {}", a.policy.wire());
    for x in &a.allocations {
        println!("  {:<32} {} of {} seats registered", x.delegation, x.registered, x.seats);
    }
    println!(
        "  {:<32} {} of {} seats registered",
        "(no allocation)", a.unallocated_registered, a.unallocated_seats
    );
}

fn print_preview(p: &ImportPreview) {
    println!(
        "Read {} rows ({}, {}-separated): {} new, {} already present, {} changed, {} invalid",
        p.rows, p.encoding, p.separator, p.new, p.present, p.changed, p.invalid
    );
    for c in p.columns.iter().filter(|c| c.source == "manual" || c.source == "remembered") {
        println!("Column \"{}\" read as {} ({})", c.header, c.field.unwrap_or("not used"), c.source);
    }
    if !p.unknown_columns.is_empty() {
        println!("Columns not used: {}", p.unknown_columns.join(", "));
    }
    if let Some(c) = p.default_category {
        println!("{} row(s) without a category are {}", p.defaulted, c.label());
    }
    for e in &p.errors {
        println!("  line {}: {} ({})", e.line, e.message, e.field);
    }
    for c in &p.changes {
        let what: Vec<String> =
            c.changes.iter().map(|f| format!("{}: \"{}\" → \"{}\"", f.field, f.before, f.after)).collect();
        println!("  line {}: #{} {} — {}", c.line, c.attendee_id, c.display_name, what.join("; "));
    }
}

fn parse_themes(raw: &[String]) -> Result<Option<Vec<DayTheme>>> {
    if raw.is_empty() {
        return Ok(None);
    }
    raw.iter()
        .map(|t| {
            let (d, theme) = t.split_once('=').ok_or_else(|| {
                Error::invalid(
                    "themes",
                    format!("Theme \"{t}\" must be written DAY=THEME, e.g. \"1=Disaster response\""),
                )
            })?;
            let day = d.trim().parse().map_err(|_| {
                Error::invalid("themes", format!("Theme \"{t}\": \"{}\" is not a day number", d.trim()))
            })?;
            Ok(DayTheme { day, theme: theme.to_string() })
        })
        .collect::<Result<Vec<_>>>()
        .map(Some)
}

fn run(cli: Cli) -> Result<()> {
    if let Command::Manpage = &cli.command {
        let command = <Cli as clap::CommandFactory>::command();
        return clap_mangen::Man::new(command)
            .render(&mut std::io::stdout())
            .map_err(|e| Error::Io(format!("The manual page could not be written: {e}")));
    }
    if let Command::Completions { shell } = &cli.command {
        let mut command = <Cli as clap::CommandFactory>::command();
        clap_complete::generate(*shell, &mut command, "delegate-desk-cli", &mut std::io::stdout());
        return Ok(());
    }
    // Copy names both databases itself.
    if let Command::Copy { from, to, json } = &cli.command {
        let out = delegate_desk::copy::copy(from, to)?;
        if *json {
            return print_json(&out);
        }
        println!("{}", out.message);
        return Ok(());
    }
    let path = storage::resolve_db_path(cli.db.as_deref())?;
    // A demo is a database of its own: the real one is never opened.
    if let Command::Demo { json } = &cli.command {
        let target = match &cli.db {
            Some(p) => p.clone(),
            None => delegate_desk::demo::demo_path_for(&path)?,
        };
        // An address that is not a server's is no file name for the demo either.
        delegate_desk::pg::Location::of(&target, "db")?;
        let out = delegate_desk::demo::create_demo(&target)?;
        if *json {
            return print_json(&out);
        }
        println!("{}", out.message);
        println!("Open it with: delegate-desk --db {}", target.display());
        return Ok(());
    }
    // Restore runs before the database is opened: it must be able to replace one that cannot be.
    if let Command::Restore { file, force, json } = &cli.command {
        let out = delegate_desk::backup::restore_path(&path, file, *force, cli.operator.as_deref())?;
        if *json {
            return print_json(&out);
        }
        println!("{}", out.message);
        return Ok(());
    }
    let mut desk = Desk::open(&path)?;
    if let Some(op) = &cli.operator {
        desk.set_operator(op)?;
    }
    if let Some(label) = &cli.desk {
        desk.set_desk(label)?;
    }
    let before = desk.revision()?;
    // A coordinator action asks for the PIN once one is set: from DELEGATE_DESK_PIN, else at
    // the terminal; it then runs once more (it wrote nothing when refused).
    match command(&mut desk, cli.command.clone(), cli.request_id.as_deref()) {
        Err(Error::CoordinatorOnly(why)) => {
            let pin = coordinator_pin(&why)?;
            desk.unlock(&pin)?;
            command(&mut desk, cli.command, cli.request_id.as_deref())?;
        }
        other => other?,
    }
    // After a change, an automatic backup if the last one is old enough; a failed backup is
    // said but does not undo the change that was made.
    if desk.revision().is_ok_and(|r| r != before) {
        if let Err(e) = desk.auto_backup() {
            eprintln!("warning: the automatic backup failed: {e}");
        }
    }
    Ok(())
}

fn command(desk: &mut Desk, command: Command, request: Option<&str>) -> Result<()> {
    match command {
        Command::Event { command: EventCommand::Show { json } } => {
            let e = desk.event()?;
            if json {
                return print_json(&e);
            }
            println!("{}", e.name);
            println!("Venue      {}", e.venue);
            println!("Dates      {} to {} ({})", e.start_date, e.end_date, e.timezone);
            for d in &e.days {
                println!("Day {}      {}  {}", d.day, d.date, d.theme);
            }
            println!("Capacity   {}", e.capacity);
        }
        Command::Event {
            command: EventCommand::Set { name, venue, start_date, end_date, timezone, capacity, theme, json },
        } => {
            let input = EventInput {
                name,
                venue,
                start_date,
                end_date,
                timezone,
                capacity,
                themes: parse_themes(&theme)?,
            };
            let out = desk.once(request, "event.update", &input, |d| d.update_event(&input))?;
            if json {
                return print_json(&out);
            }
            println!("{}", out.message);
            for (i, a) in out.promotion_candidates.iter().enumerate() {
                println!(
                    "  {}. #{} {} ({}) — promote with: delegate-desk-cli promote {}",
                    i + 1,
                    a.id,
                    a.display_name,
                    a.fields.delegation,
                    a.id
                );
            }
        }
        Command::Register { fields, json } => {
            let input: AttendeeInput = fields.into();
            let out = desk.once(request, "register", &input, |d| d.register(&input))?;
            if json {
                return print_json(&out.attendee);
            }
            println!("{}: #{} {}", out.message, out.attendee.id, out.attendee.display_name);
        }
        Command::Edit { id, fields, json } => {
            let input: AttendeeInput = fields.into();
            let a = desk.once(request, "edit", &(id, &input), |d| d.edit(id, &input))?;
            if json {
                return print_json(&a);
            }
            println!("Saved #{} {}", a.id, a.display_name);
        }
        Command::List { status, category, delegation, name, json } => {
            let rows =
                desk.list(&ListFilter { status, category, delegation, name, delegation_starts: None })?;
            if json {
                return print_json(&rows);
            }
            println!(
                "{:>5}  {:<16} {:<34} {:<24} {:<20} DAYS",
                "ID", "STATUS", "NAME", "DELEGATION", "CATEGORY"
            );
            for a in &rows {
                let days: Vec<String> = a.fields.days.iter().map(u32::to_string).collect();
                println!(
                    "{:>5}  {:<16} {:<34} {:<24} {:<20} {}",
                    a.id,
                    status_word(a),
                    a.display_name,
                    a.fields.delegation,
                    a.fields.category.label(),
                    days.join(",")
                );
            }
            println!("{} shown", rows.len());
        }
        Command::Search { text, limit, json } => {
            let found = desk.search(&text.join(" "), limit)?;
            if json {
                return print_json(&found);
            }
            for a in &found {
                println!(
                    "{:>5}  {:<16} {:<34} {:<24} {}",
                    a.id,
                    status_word(a),
                    a.display_name,
                    a.fields.delegation,
                    a.fields.organization
                );
            }
            println!("{} found", found.len());
        }
        Command::Checkin { id, scan, day, json } => {
            let out = match (scan, id) {
                (Some(code), _) => desk.once(request, "scan", &(&code, day), |d| d.scan(&code, day))?,
                (None, Some(id)) => desk.once(request, "checkin", &(id, day), |d| d.check_in(id, day))?,
                (None, None) => {
                    return Err(Error::invalid("id", "Name the attendee id, or --scan a badge code"))
                }
            };
            if json {
                print_json(&out)?;
            } else {
                print_card(&out.card);
            }
            return match out.result {
                Arrival::CheckedIn | Arrival::AlreadyCheckedIn | Arrival::RegisteredAndCheckedIn => {
                    // With --json the output is the JSON alone (the message is in it).
                    if !json {
                        println!("{}", out.message);
                    }
                    Ok(())
                }
                _ => Err(Error::Conflict(out.message)),
            };
        }
        Command::UndoCheckin { id, day, reason, json } => {
            let out = desk
                .once(request, "checkin.undo", &(id, day, &reason), |d| d.undo_check_in(id, day, &reason))?;
            if json {
                return print_json(&out);
            }
            println!("{}", out.message);
        }
        Command::Pin { command: PinCommand::Status } => {
            let s = desk.pin_status()?;
            match (&s.set_at, &s.set_by) {
                (Some(at), Some(by)) => println!("A coordinator PIN is set (by {by}, {at})."),
                _ => println!(
                    "No coordinator PIN is set: the window asks for one at the first coordinator action."
                ),
            }
            if s.wrong_tries > 0 {
                println!(
                    "Wrong tries in a row: {}; next try possible in {} s.",
                    s.wrong_tries, s.wait_seconds
                );
            }
            if let (Some(at), Some(by)) = (&s.reset_at, &s.reset_by) {
                println!(
                    "The PIN was reset as forgotten by {by} ({at}); not yet acknowledged by a coordinator."
                );
            }
        }
        Command::Pin { command: PinCommand::Set } => {
            let current = if desk.pin_status()?.set {
                Some(coordinator_pin("Changing the coordinator PIN needs the current one")?)
            } else {
                None
            };
            let pin = new_pin()?;
            desk.set_pin(current.as_deref(), &pin)?;
            println!("Coordinator PIN set; every window and the CLI ask for it from now on.");
        }
        Command::Pin { command: PinCommand::Reset } => {
            let pin = new_pin()?;
            desk.reset_pin(&pin)?;
            println!(
                "Coordinator PIN reset. This is in the audit trail, and every window says so until a coordinator acknowledges it (pin acknowledge)."
            );
        }
        Command::Pin { command: PinCommand::Acknowledge } => {
            desk.acknowledge_pin_reset()?;
            println!("The PIN reset is acknowledged.");
        }
        Command::Audit { since, until, person, who, operator_name, action, limit, json, csv } => {
            let filter = AuditFilter { since, until, person, who, operator: operator_name, action, limit };
            if let Some(out) = csv {
                let n = desk.export_audit_csv(&filter, &out)?;
                println!("{n} entr{} written to {}", if n == 1 { "y" } else { "ies" }, out.display());
                return Ok(());
            }
            if json {
                return print_json(&desk.audit_trail(&filter)?);
            }
            let lines = desk.audit_lines(&filter)?;
            for l in &lines {
                let who = l.attendee_id.map(|id| format!("{} #{id}", l.person)).unwrap_or_default();
                println!(
                    "{:>6}  {}  {} ({})  {}  {}  {}",
                    l.id, l.local_time, l.operator, l.desk, l.label, who, l.summary
                );
            }
            println!("{} entr{}", lines.len(), if lines.len() == 1 { "y" } else { "ies" });
        }
        Command::Show { id, json } => {
            let a = desk.attendee(id)?;
            if json {
                return print_json(&a);
            }
            print_attendee(&a);
            for b in desk.badge_history(id)? {
                let note = if b.note.is_empty() { String::new() } else { format!(" — {}", b.note) };
                println!(
                    "{:<14} version {} on {} by {} ({}, {}){note}",
                    "Badge printed", b.version, b.at, b.operator, b.preset, b.reason
                );
            }
        }
        Command::Cancel { id, json } => {
            let out = desk.once(request, "cancel", &id, |d| d.cancel(id))?;
            if json {
                return print_json(&out);
            }
            println!("{}", out.message);
            if let Some(p) = &out.proposal {
                println!("To give them the seat: delegate-desk-cli promote {}", p.id);
            }
        }
        Command::Reinstate { id, json } => {
            let out = desk.once(request, "reinstate", &id, |d| d.reinstate(id))?;
            if json {
                return print_json(&out.attendee);
            }
            println!("{}: #{} {}", out.message, out.attendee.id, out.attendee.display_name);
        }
        Command::Promote { ids, json } => {
            let out = desk.once(request, "promote", &ids, |d| d.promote(&ids))?;
            if json {
                return print_json(&out);
            }
            println!("{}", out.message);
        }
        Command::Badges { all, not_printed, id, preset, output, reprint, reason, note, check, json } => {
            let selection = if all {
                BadgeSelection::AllRegistered
            } else if not_printed {
                BadgeSelection::NotPrinted
            } else if !id.is_empty() {
                BadgeSelection::Ids(id)
            } else {
                return Err(Error::invalid("ids", "Say whose badges: --all, --not-printed or --id ID"));
            };
            if reprint && reason.is_none() {
                return Err(Error::invalid(
                    "reason",
                    "--reprint needs --reason: lost, damaged, correction or other",
                ));
            }
            let req = BadgeRequest { selection, preset, reason, note };
            let pre = desk.badge_preflight(&req)?;
            if json && check {
                return print_json(&pre);
            }
            if !json {
                println!(
                    "Pre-flight: {} badge(s) on {} page(s) of {}",
                    pre.badges.len(),
                    pre.pages,
                    pre.preset.label
                );
                for b in pre
                    .badges
                    .iter()
                    .filter(|b| b.reprint || !b.problems.is_empty() || !b.warnings.is_empty())
                {
                    let reprint = if b.reprint {
                        format!(" — reprint, version {}", b.version)
                    } else {
                        String::new()
                    };
                    println!("  #{} {}{reprint}", b.attendee_id, b.display_name);
                    for p in &b.problems {
                        println!("    ! {p}");
                    }
                    for w in &b.warnings {
                        println!("    ? {w}");
                    }
                }
                for r in &pre.refused {
                    println!("  #{} {} — no badge: {}", r.attendee_id, r.display_name, r.status.wire());
                }
                if pre.badges.is_empty() && pre.refused.is_empty() {
                    println!("  No badge to print.");
                } else if pre.with_problems == 0 && pre.refused.is_empty() {
                    println!("  Every badge fits; no missing character.");
                }
            }
            if check {
                return Ok(());
            }
            if pre.reprints > 0 && !reprint {
                return Err(Error::invalid(
                    "reason",
                    format!(
                        "{} badge(s) were printed before; add --reprint --reason R to print them again",
                        pre.reprints
                    ),
                ));
            }
            let Some(output) = output else {
                return Err(Error::invalid("output", "Say where to write the PDF: -o FILE.pdf"));
            };
            let out = desk.once(request, "badges", &(&req, &output), |d| d.print_badges(&req, &output))?;
            if json {
                return print_json(&serde_json::json!({"preflight": pre, "outcome": out}));
            }
            println!("{}", out.message);
        }
        Command::Import {
            file,
            register,
            invite: _,
            dry_run,
            update_existing,
            unknown_as_notes,
            skip_invalid,
            map,
            category,
            json,
        } => {
            // Read at most one byte past the limit: the core says the file is too large, and
            // a huge file (or /dev/zero) is never read whole.
            let mut bytes = Vec::new();
            std::fs::File::open(&file)
                .and_then(|f| {
                    use std::io::Read;
                    f.take(delegate_desk::import::MAX_IMPORT_BYTES as u64 + 1).read_to_end(&mut bytes)
                })
                .map_err(|e| Error::Io(format!("Cannot read {}: {e}", file.display())))?;
            let mode = if register { ImportMode::Register } else { ImportMode::Invite };
            let map = map
                .iter()
                .map(|m| {
                    m.split_once('=').map(|(h, f)| (h.trim().to_string(), f.trim().to_string())).ok_or_else(
                        || {
                            Error::invalid(
                                "map",
                                format!(
                                    "\"{m}\" must be written HEADER=FIELD, e.g. \"Ticket Type=category\""
                                ),
                            )
                        },
                    )
                })
                .collect::<Result<_>>()?;
            let options = ImportOptions {
                mode,
                update_existing,
                unknown_as_notes,
                skip_invalid,
                map,
                default_category: category,
            };
            if dry_run {
                let p = desk.import_preview(&bytes, &options)?;
                if json {
                    return print_json(&p);
                }
                print_preview(&p);
                return Ok(());
            }
            let out = match desk
                .once(request, "import", &(&options, digest_of_bytes(&bytes)), |d| d.import(&bytes, &options))
            {
                Ok(out) => out,
                Err(refused @ Error::Validation { .. }) => {
                    // Refused as a whole: the message names the first few rows; the preview
                    // (written nothing) shows every row's problem.
                    if let Ok(p) = desk.import_preview(&bytes, &options) {
                        if p.invalid > 0 {
                            if json {
                                print_json(&p)?;
                            } else {
                                print_preview(&p);
                            }
                        }
                    }
                    return Err(refused);
                }
                Err(e) => return Err(e),
            };
            if json {
                return print_json(&out);
            }
            print_preview(&out.preview);
            println!("{}", out.message);
        }
        Command::Allocation { what } => {
            let a = match what {
                AllocationCommand::Show { json } => {
                    let a = desk.allocations()?;
                    if json {
                        return print_json(&a);
                    }
                    a
                }
                AllocationCommand::Set { delegation, seats } => {
                    desk.once(request, "allocation.set", &(&delegation, &seats), |d| {
                        d.set_allocation(&delegation, &seats)
                    })?
                }
                AllocationCommand::Remove { delegation } => {
                    desk.once(request, "allocation.remove", &delegation, |d| {
                        d.remove_allocation(&delegation)
                    })?
                }
                AllocationCommand::Policy { policy } => {
                    desk.once(request, "allocation.policy", &policy, |d| d.set_allocation_policy(&policy))?
                }
            };
            print_allocations(&a);
        }
        Command::Export {
            what:
                ExportCommand::Roster {
                    format,
                    status,
                    category,
                    delegation,
                    days,
                    columns,
                    sheet_per_preset,
                    output,
                },
        } => {
            let req = ExportRequest {
                format: export::Format::parse(&format)?,
                filter: RosterFilter { status, category, delegation, days },
                columns,
                sheet_per_preset,
            };
            println!("{}", desk.export_roster(&req, &output)?.message);
        }
        Command::Presets { json } => {
            if json {
                return print_json(&PRESETS);
            }
            for p in PRESETS {
                println!("{:<16} {}", p.name, p.label);
            }
        }
        Command::Calibration { preset, dx, dy, page } => {
            if let (Some(dx), Some(dy)) = (dx, dy) {
                desk.once(request, "calibration", &(&preset, &dx, &dy), |d| {
                    d.set_calibration(&preset, &dx, &dy)
                })?;
            }
            let o = desk.calibration(&preset)?;
            println!("{preset}: shift right {} mm, down {} mm", o.dx_mm, o.dy_mm);
            if let Some(page) = page {
                desk.calibration_page(&preset, &page)?;
                println!("Calibration page written to {} — print it at 100 % (actual size)", page.display());
            }
        }
        Command::Backup { output: Some(output), json, .. } => {
            let b = desk.backup(&output)?;
            if json {
                return print_json(&b);
            }
            println!("Backed up {} people (revision {}) to {}", b.attendees, b.revision, b.path);
        }
        Command::Backup { output: None, json, .. } => {
            let s = desk.backup_status()?;
            if json {
                return print_json(&s);
            }
            println!("Automatic backups in {} ({} kept)", s.folder, s.count);
            match &s.last {
                Some(b) => println!(
                    "Last backup {}{} — {} people, revision {}: {}",
                    b.at,
                    if s.age_unknown {
                        " (later than this computer's clock: its age is unknown)"
                    } else {
                        ""
                    },
                    b.attendees,
                    b.revision,
                    b.path
                ),
                None => println!("No backup yet"),
            }
        }
        Command::Restore { .. } => unreachable!("restore runs before the database is opened"),
        Command::Copy { .. } => unreachable!("copy runs before the database is opened"),
        Command::Demo { .. } => unreachable!("a demo is made without opening the real database"),
        Command::Completions { .. } | Command::Manpage => {
            unreachable!("completions and the manual need no database")
        }
        Command::Status { json } => {
            let s = desk.status()?;
            if json {
                return print_json(&s);
            }
            println!("Capacity    {}", s.capacity);
            println!("Registered  {}", s.registered);
            if s.held_for_waitlist > 0 {
                println!(
                    "Seats left  {} ({} held for the {} waiting)",
                    s.seats_left, s.held_for_waitlist, s.waitlisted
                );
            } else {
                println!("Seats left  {}", s.seats_left);
            }
            println!("Waitlisted  {}", s.waitlisted);
            println!("Invited     {}", s.invited);
            println!("Cancelled   {}", s.cancelled);
            for a in &s.allocations {
                println!("  {:<32} {} of {} allocated seats", a.delegation, a.registered, a.seats);
            }
        }
    }
    Ok(())
}

/// The environment variable that carries the coordinator PIN to the CLI (never an argument:
/// arguments are seen by every user of the computer and kept in the shell's history).
const PIN_ENV: &str = "DELEGATE_DESK_PIN";

/// The coordinator PIN for `why` (the refusal): from [`PIN_ENV`], else asked without echo when
/// standard input is a terminal, else refused naming both ways.
fn coordinator_pin(why: &str) -> Result<String> {
    use std::io::IsTerminal;
    if let Ok(pin) = std::env::var(PIN_ENV) {
        return Ok(pin);
    }
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password("Coordinator PIN: ")
            .map_err(|e| Error::Io(format!("The PIN could not be read from the terminal: {e}")));
    }
    Err(Error::CoordinatorOnly(format!(
        "{why}: set {PIN_ENV} in the environment, or run the command at a terminal to be asked; nothing was changed"
    )))
}

/// A new PIN, read twice from standard input (without echo at a terminal); the two must match.
fn new_pin() -> Result<String> {
    use std::io::{BufRead, IsTerminal, Read};
    let (min, max) = (delegate_desk::coordinator::PIN_MIN, delegate_desk::coordinator::PIN_MAX);
    let (first, second) = if std::io::stdin().is_terminal() {
        let ask = |prompt: &str| {
            rpassword::prompt_password(prompt)
                .map_err(|e| Error::Io(format!("The PIN could not be read from the terminal: {e}")))
        };
        (ask(&format!("New coordinator PIN ({min}–{max} characters): "))?, ask("The same PIN again: ")?)
    } else {
        let mut input = std::io::stdin().lock().take(8192);
        let mut line = || -> Result<String> {
            let mut l = String::new();
            input
                .read_line(&mut l)
                .map_err(|e| Error::Io(format!("The PIN could not be read from standard input: {e}")))?;
            let l = l.strip_suffix('\n').unwrap_or(&l);
            Ok(l.strip_suffix('\r').unwrap_or(l).to_string())
        };
        (line()?, line()?)
    };
    delegate_desk::coordinator::check_pin(&first)?;
    if first != second {
        return Err(Error::invalid(
            "pin",
            "The two PINs differ (standard input needs the new PIN on two lines); nothing was changed",
        ));
    }
    Ok(first)
}

fn main() -> ExitCode {
    // Like other command-line tools, end quietly when the reader of the output goes away
    // (`delegate-desk-cli list | head`) instead of panicking on a closed pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default action of a signal, before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let positional = positional_fields(&cli.command);
    // `audit` names its output file with --csv.
    let audit = matches!(cli.command, Command::Audit { .. });
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            match &e {
                Error::Validation { issues } => {
                    for i in issues {
                        let arg = if audit && i.field == "output" {
                            "--csv".into()
                        } else {
                            argument(&i.field, positional)
                        };
                        eprintln!("error: {} ({arg})", i.message);
                    }
                }
                other => eprintln!("error: {other}"),
            }
            ExitCode::from(if e.is_user_error() { 2 } else { 1 })
        }
    }
}

/// The wire fields that `command` takes as positional arguments rather than flags.
fn positional_fields(command: &Command) -> &'static [&'static str] {
    match command {
        Command::Promote { .. } => &["ids"],
        Command::Import { .. } | Command::Restore { .. } => &["file"],
        Command::Calibration { .. } => &["preset"],
        Command::Allocation { .. } => &["delegation", "seats", "policy"],
        _ => &[],
    }
}

/// How the command line spells the argument behind a wire field: `givenName` → `--given-name`,
/// `dxMm` → `--dx`, a positional `seats` → `SEATS`.
fn argument(field: &str, positional: &[&str]) -> String {
    if positional.contains(&field) {
        return field.to_uppercase();
    }
    match field {
        "dxMm" => "--dx".into(),
        "dyMm" => "--dy".into(),
        "ids" => "--id".into(),
        "themes" => "--theme".into(),
        "file" => "FILE".into(),
        "defaultCategory" => "--category".into(),
        "pin" => "standard input".into(),
        _ => format!("--{}", kebab(field)),
    }
}

/// The kebab-case of a camelCase wire field: `givenName` → `given-name`.
fn kebab(field: &str) -> String {
    let mut out = String::new();
    for c in field.chars() {
        if c.is_uppercase() {
            out.push('-');
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::{CommandFactory, Parser};

    /// Every command and subcommand, by its full name (`allocation set`).
    fn walk(cmd: &clap::Command, prefix: &str, out: &mut Vec<(String, clap::Command)>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let name = format!("{prefix}{}", sub.get_name()).trim().to_string();
            out.push((name.clone(), sub.clone()));
            walk(sub, &format!("{name} "), out);
        }
    }

    #[test]
    fn every_subcommand_has_an_example_that_parses() {
        let cli = Cli::command();
        cli.clone().debug_assert();
        let mut all = vec![];
        walk(&cli, "", &mut all);
        assert!(all.len() >= 34, "found only {} subcommands", all.len());
        for (name, sub) in &all {
            let help = sub.get_after_help().map(|h| h.to_string()).unwrap_or_default();
            assert!(help.starts_with("Examples:\n  "), "`{name} --help` has no example");
            // Each example of this subcommand is a real command line for it: it parses
            // (windows' `delegate-desk` lines and shell redirections aside).
            let lines: Vec<&str> = help.lines().skip(1).map(str::trim).collect();
            let mut ran_one = false;
            for line in lines.iter().filter(|l| l.starts_with("delegate-desk-cli ")) {
                let line = line.split(" < ").next().unwrap_or(line).split(" > ").next().unwrap_or(line);
                let line = line.split("  (").next().unwrap_or(line);
                let words = shell_words(line);
                let parsed = Cli::try_parse_from(&words);
                assert!(parsed.is_ok(), "example of `{name}` does not parse: {line}\n{:?}", parsed.err());
                ran_one = true;
            }
            assert!(ran_one, "`{name} --help` has no delegate-desk-cli example line");
        }
    }

    /// Split a command line as a shell would, for the examples' simple quoting.
    fn shell_words(line: &str) -> Vec<String> {
        let (mut words, mut cur, mut quoted, mut any) = (vec![], String::new(), false, false);
        for c in line.chars() {
            match c {
                '"' => {
                    quoted = !quoted;
                    any = true;
                }
                ' ' if !quoted => {
                    if any || !cur.is_empty() {
                        words.push(std::mem::take(&mut cur));
                    }
                    any = false;
                }
                c => cur.push(c),
            }
        }
        if any || !cur.is_empty() {
            words.push(cur);
        }
        words
    }
}
