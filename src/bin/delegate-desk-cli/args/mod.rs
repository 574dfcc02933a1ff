//! The command line's shape: the global options, every subcommand with its arguments, help
//! text and examples (clap derives the parser and `--help` from these).

mod protocol;
mod session;

use clap::{Args, Parser, Subcommand};
use delegate_desk::AttendeeInput;
pub(crate) use protocol::{PrintJobsCommand, ProtocolCommand};
pub(crate) use session::SessionCommand;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "delegate-desk-cli",
    version,
    about = "Delegate Desk on the command line: the same desk, the same database.",
    after_help = "Examples:\n  delegate-desk-cli status\n  delegate-desk-cli search dupre\n  delegate-desk-cli checkin 42\n  delegate-desk-cli --db try.sqlite3 demo\n  delegate-desk-cli help import"
)]
pub(crate) struct Cli {
    /// Database file (default: the app's data directory; also DELEGATE_DESK_DB).
    #[arg(long, global = true, value_name = "PATH")]
    pub(crate) db: Option<PathBuf>,
    /// Who is at the desk, recorded on every change (default: DELEGATE_DESK_OPERATOR, else the
    /// system user name).
    #[arg(long, global = true, value_name = "NAME")]
    pub(crate) operator: Option<String>,
    /// Which desk, recorded on every change and check-in (default: DELEGATE_DESK_DESK, else
    /// the computer's name).
    #[arg(long, global = true, value_name = "LABEL")]
    pub(crate) desk: Option<String>,
    /// An id for this change (8 to 64 letters, digits, '-' or '_'): run again with the same id
    /// (say, after the server's reply was lost), the change is answered from the database and
    /// not applied twice.
    #[arg(long, global = true, value_name = "ID")]
    pub(crate) request_id: Option<String>,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand, Clone)]
pub(crate) enum Command {
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
        /// Only this security vetting state: pending, cleared, refused.
        #[arg(long)]
        vetting: Option<String>,
        /// name (default) or precedence: heads of delegation first, then by delegation, then
        /// as recorded.
        #[arg(long)]
        order: Option<String>,
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
        /// At most this many people (at least 1).
        #[arg(long, default_value_t = 20, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
        limit: usize,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check a registered person in for an event day (today's, unless --day), by id or by
    /// the code of their badge. A second check-in the same day says when the first was made.
    /// With --session, at that session's door: admitted (exit 0, counting as the day's
    /// check-in too) or refused with the reason (exit 2, nothing written). While security
    /// vetting is required, a person not cleared is refused (exit 2) unless the coordinator
    /// admits them once with --unvetted REASON (asks for the PIN; in the audit).
    #[command(
        after_help = "Examples:\n  delegate-desk-cli checkin 42\n  delegate-desk-cli checkin 42 --day 2\n  delegate-desk-cli checkin --scan DDK3V…\n  delegate-desk-cli checkin --scan DDK3V… --session 3\n  delegate-desk-cli checkin 42 --unvetted \"Cleared by phone with the chief of security\""
    )]
    Checkin {
        /// Attendee id.
        #[arg(required_unless_present = "scan", conflicts_with = "scan")]
        id: Option<i64>,
        /// The code a badge's QR code carries (what a scanner types).
        #[arg(long, value_name = "TOKEN")]
        scan: Option<String>,
        /// Event day (1, 2, …); default today's.
        #[arg(long, conflicts_with = "session")]
        day: Option<u32>,
        /// At the door of this session (its number in `session list`); its day is the day.
        #[arg(long, value_name = "ID")]
        session: Option<i64>,
        /// Admit once although their security vetting is not cleared, for this reason (the
        /// coordinator's, with the PIN; by id only).
        #[arg(long, value_name = "REASON", conflicts_with = "scan")]
        unvetted: Option<String>,
        /// Print the outcome as JSON.
        #[arg(long)]
        json: bool,
    },
    #[command(
        after_help = "Examples:\n  delegate-desk-cli vetting 42 cleared\n  delegate-desk-cli vetting 42 refused --note \"Not on the host nation's list\"\n  delegate-desk-cli vetting 42 pending --note \"Passport copy awaited\""
    )]
    /// Set a person's security vetting: pending, cleared or refused, with a note (a
    /// coordinator action; who set it and when is kept, and the change is in the audit).
    Vetting {
        /// Attendee id.
        id: i64,
        /// pending, cleared or refused.
        state: String,
        /// A short note for the card and the security roster (none: no note).
        #[arg(long)]
        note: Option<String>,
        /// Print the person as JSON.
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
    /// The coordinator PIN that the window and the CLI ask for coordinator actions.
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
        /// Write every matching entry to this CSV file instead (a new file; one that holds
        /// anything is never written over).
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
        after_help = "Examples:\n  delegate-desk-cli badges --not-printed --preset insert-4x3 -o badges.pdf\n  delegate-desk-cli badges --id 42 --preset insert-4x3 --reprint --reason lost -o reprint-42.pdf\n  delegate-desk-cli badges --all --preset cr80 --check\n  delegate-desk-cli badges --id 42 --preset ql-62x100 --printer Brother_QL_820NWB\n\nWith --printer the PDF goes to the output folder (kept) and to that CUPS printer; the exit\nstatus is 0 only when CUPS reports the job completed, 1 otherwise (the job's state in words)."
    )]
    /// Print badges to a PDF, or straight to a printer: a pre-flight list first, then the job.
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
        #[arg(short, long, value_name = "FILE.pdf", required_unless_present_any = ["check", "printer"], conflicts_with = "printer")]
        output: Option<PathBuf>,
        /// Send the badges to this CUPS printer (see `printers`) and follow the job.
        #[arg(long, value_name = "QUEUE")]
        printer: Option<String>,
        /// Copies of every badge (with --printer).
        #[arg(long, value_name = "N", requires = "printer", default_value_t = 1)]
        copies: u32,
        /// Seconds to follow the job before saying it is still waiting (with --printer).
        #[arg(long, value_name = "SECONDS", requires = "printer", default_value_t = delegate_desk::printing::DEFAULT_WAIT_SECONDS)]
        wait: u32,
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
        /// Show what would happen; write nothing. Registering or updating runs the seat rules and says who would get a seat; exits 2 if the import would be refused.
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
        after_help = "Examples:\n  delegate-desk-cli session add --day 1 --start 08:00 --end 08:30 --title \"Welcoming remarks\" --open-to press\n  delegate-desk-cli session list --day 1"
    )]
    /// The programme: sessions per day and who may attend them.
    Session {
        #[command(subcommand)]
        what: SessionCommand,
    },
    #[command(
        after_help = "Examples:\n  delegate-desk-cli protocol notices\n  delegate-desk-cli protocol ack 3"
    )]
    /// Protocol: the arrivals of VIPs and of people flagged "notify protocol", open until
    /// acknowledged.
    Protocol {
        #[command(subcommand)]
        what: ProtocolCommand,
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
    #[command(
        after_help = "Examples:\n  delegate-desk-cli printers\n  delegate-desk-cli printers --json\n\nThe printers are the CUPS queues of this computer (or of the scheduler CUPS_SERVER names)."
    )]
    /// List the printers (CUPS queues): the default one marked, and whether each is idle,
    /// printing or stopped, with CUPS's reason.
    Printers {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    #[command(
        after_help = "Examples:\n  delegate-desk-cli print-jobs\n  delegate-desk-cli print-jobs retry 7 --printer Zebra_ZD421\n  delegate-desk-cli print-jobs retry 7 --again\n  delegate-desk-cli print-jobs cancel 7"
    )]
    /// The print log: every job sent to a printer and how it ended; send a failed one again,
    /// or cancel one still waiting.
    PrintJobs {
        #[command(subcommand)]
        what: Option<PrintJobsCommand>,
        /// How many jobs to show, newest first (at least 1).
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
        limit: u32,
        /// Print JSON.
        #[arg(long)]
        json: bool,
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
        /// The database copied (a file, or postgres://…); a file is read without being changed, a backup too.
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
pub(crate) enum PinCommand {
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
pub(crate) enum EventCommand {
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
        after_help = "Examples:\n  delegate-desk-cli event set --name \"CANSEC 2027\" --start-date 2027-11-14 --end-date 2027-11-15\n  delegate-desk-cli event set --capacity 120 --theme \"1=Disaster response\"\n  delegate-desk-cli event set --require-vetting on"
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
        /// Security vetting required (on) or not (off): while on, a person not cleared is not
        /// checked in.
        #[arg(long, value_name = "on|off")]
        require_vetting: Option<String>,
        /// Print the outcome as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Clone)]
pub(crate) enum AllocationCommand {
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
pub(crate) enum ExportCommand {
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
        /// name (default) or precedence: heads of delegation first, then by delegation, then
        /// as recorded.
        #[arg(long)]
        order: Option<String>,
        /// A preset (security, catering, protocol, full) or column keys, comma-separated.
        #[arg(long, default_value = "full")]
        columns: String,
        /// XLSX: one sheet per preset.
        #[arg(long)]
        sheet_per_preset: bool,
        /// The file to write.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    #[command(
        after_help = "Examples:\n  delegate-desk-cli export attendance --session 1 --format pdf -o welcoming-remarks.pdf\n  delegate-desk-cli export attendance --session 3 --format csv -o session-3.csv"
    )]
    /// A session's attendance: everyone expected and everyone admitted, with the time each
    /// came in; the PDF is the session's sign-in sheet.
    Attendance {
        /// The session (its number in `session list`).
        #[arg(long, value_name = "ID")]
        session: i64,
        /// csv, xlsx or pdf.
        #[arg(long)]
        format: String,
        /// The file to write.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
}

#[derive(Args, Clone)]
pub(crate) struct AttendeeArgs {
    /// Rank or honorific ("Lt. Col.", "H.E.", "Dr.").
    #[arg(long)]
    pub(crate) rank: Option<String>,
    /// Given name(s).
    #[arg(long)]
    pub(crate) given_name: Option<String>,
    /// Family name(s).
    #[arg(long)]
    pub(crate) family_name: Option<String>,
    /// Name printed on the badge instead of given + family.
    #[arg(long)]
    pub(crate) badge_name: Option<String>,
    /// Job title.
    #[arg(long)]
    pub(crate) position: Option<String>,
    /// Organisation.
    #[arg(long)]
    pub(crate) organization: Option<String>,
    /// Nation, territory, institution, or Press.
    #[arg(long)]
    pub(crate) delegation: Option<String>,
    /// Category: delegate, co-host, regional institution, observer, speaker, VIP, press, staff.
    #[arg(long)]
    pub(crate) category: Option<String>,
    /// E-mail address.
    #[arg(long)]
    pub(crate) email: Option<String>,
    /// Phone number.
    #[arg(long)]
    pub(crate) phone: Option<String>,
    /// Days attending: "1,2", "1", "Day 2", "both" (default: every day).
    #[arg(long)]
    pub(crate) days: Option<String>,
    /// Dietary requirements.
    #[arg(long)]
    pub(crate) dietary: Option<String>,
    /// Accessibility needs.
    #[arg(long)]
    pub(crate) accessibility: Option<String>,
    /// Notes.
    #[arg(long)]
    pub(crate) notes: Option<String>,
    /// Head of their delegation: yes or no (first in the order of precedence).
    #[arg(long, value_name = "yes|no")]
    pub(crate) head_of_delegation: Option<String>,
    /// Protocol is told when they arrive: yes or no (a VIP always is).
    #[arg(long, value_name = "yes|no")]
    pub(crate) notify_protocol: Option<String>,
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
            head_of_delegation: a.head_of_delegation,
            notify_protocol: a.notify_protocol,
        }
    }
}
