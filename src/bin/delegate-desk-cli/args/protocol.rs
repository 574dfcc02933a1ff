//! The arguments of `protocol`: the notices of arrivals protocol must meet.

use clap::Subcommand;

#[derive(Subcommand, Clone)]
pub(crate) enum ProtocolCommand {
    #[command(
        after_help = "Examples:\n  delegate-desk-cli protocol notices\n  delegate-desk-cli protocol notices --all --json"
    )]
    /// The arrivals protocol has not acknowledged yet (a VIP, or a person flagged "notify
    /// protocol"), oldest first.
    Notices {
        /// Every notice, the acknowledged and closed ones too.
        #[arg(long)]
        all: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    #[command(after_help = "Examples:\n  delegate-desk-cli protocol ack 3")]
    /// Acknowledge a notice: protocol has the arrival in hand (who and when go in the audit).
    Ack {
        /// The notice's number (in `protocol notices`).
        id: i64,
        /// Print the outcome as JSON.
        #[arg(long)]
        json: bool,
    },
}
