//! The arguments of `session`: the programme on the command line.

use clap::Subcommand;
use std::path::PathBuf;

#[derive(Subcommand, Clone)]
pub(crate) enum SessionCommand {
    #[command(
        after_help = "Examples:\n  delegate-desk-cli session add --day 1 --start 08:00 --end 08:30 --title \"Welcoming remarks\" --room Auditorium --open-to press\n  delegate-desk-cli session add --day 2 --start 14:00 --end 15:30 --title \"Closed briefing\" --closed-to observer,staff --json"
    )]
    /// Add a session (every category but the press may attend, unless changed).
    Add {
        /// The event day (1 is the first).
        #[arg(long)]
        day: u32,
        /// Start at the venue, HH:MM.
        #[arg(long)]
        start: String,
        /// End at the venue, HH:MM.
        #[arg(long)]
        end: String,
        /// The title.
        #[arg(long)]
        title: String,
        /// The room.
        #[arg(long)]
        room: Option<String>,
        /// Categories admitted beyond the default, e.g. --open-to press.
        #[arg(long, value_name = "CATEGORY,…")]
        open_to: Option<String>,
        /// Categories not admitted, e.g. --closed-to observer,staff.
        #[arg(long, value_name = "CATEGORY,…")]
        closed_to: Option<String>,
        /// Print the new session as JSON (with its id).
        #[arg(long)]
        json: bool,
    },
    #[command(
        after_help = "Examples:\n  delegate-desk-cli session list\n  delegate-desk-cli session list --day 1 --json"
    )]
    /// List the programme, by day and start.
    List {
        /// Only this day.
        #[arg(long)]
        day: Option<u32>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    #[command(
        after_help = "Examples:\n  delegate-desk-cli session set 3 --end 09:45\n  delegate-desk-cli session set 3 --closed-to press"
    )]
    /// Change a session: only what is given.
    Set {
        /// The session's number.
        id: i64,
        /// The event day.
        #[arg(long)]
        day: Option<u32>,
        /// Start, HH:MM.
        #[arg(long)]
        start: Option<String>,
        /// End, HH:MM.
        #[arg(long)]
        end: Option<String>,
        /// The title.
        #[arg(long)]
        title: Option<String>,
        /// The room ("" for none).
        #[arg(long)]
        room: Option<String>,
        /// Categories to admit as well.
        #[arg(long, value_name = "CATEGORY,…")]
        open_to: Option<String>,
        /// Categories to admit no longer.
        #[arg(long, value_name = "CATEGORY,…")]
        closed_to: Option<String>,
        /// Print the session as JSON.
        #[arg(long)]
        json: bool,
    },
    #[command(
        after_help = "Examples:\n  delegate-desk-cli session remove 3\n  delegate-desk-cli session remove 3 --force"
    )]
    /// Remove a session (refused once anyone was checked in to it, unless --force).
    Remove {
        /// The session's number.
        id: i64,
        /// Remove it even with check-ins (they stay in the audit trail).
        #[arg(long)]
        force: bool,
    },
    #[command(after_help = "Examples:\n  delegate-desk-cli session admit 1 12 15")]
    /// Admit people by number whatever their category.
    Admit {
        /// The session's number.
        id: i64,
        /// The people's numbers.
        #[arg(required = true)]
        people: Vec<i64>,
    },
    #[command(after_help = "Examples:\n  delegate-desk-cli session exclude 1 40")]
    /// Exclude people by number whatever their category.
    Exclude {
        /// The session's number.
        id: i64,
        /// The people's numbers.
        #[arg(required = true)]
        people: Vec<i64>,
    },
    #[command(after_help = "Examples:\n  delegate-desk-cli session clear 1 40")]
    /// Put people back under their category's rule.
    Clear {
        /// The session's number.
        id: i64,
        /// The people's numbers.
        #[arg(required = true)]
        people: Vec<i64>,
    },
    #[command(after_help = "Examples:\n  delegate-desk-cli session export -o programme.csv")]
    /// Write the programme as CSV (day, start, end, title, room, open to).
    Export {
        /// The file to write.
        #[arg(short, long)]
        output: PathBuf,
    },
    #[command(after_help = "Examples:\n  delegate-desk-cli session import programme.csv")]
    /// Read a programme CSV: a session with the same day, start and title (and room, where several share them) is changed, others added; "open to" none is nobody by category, empty leaves it as it is.
    Import {
        /// The CSV file.
        file: PathBuf,
        /// Print the outcome as JSON.
        #[arg(long)]
        json: bool,
    },
}
