//! The arguments of `protocol` (the notices of arrivals protocol must meet) and of
//! `print-jobs` (the print log).

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

#[derive(Subcommand, Clone)]
pub(crate) enum PrintJobsCommand {
    #[command(
        after_help = "Examples:\n  delegate-desk-cli print-jobs retry 7\n  delegate-desk-cli print-jobs retry 7 --printer Zebra_ZD421 --wait 30"
    )]
    /// Send a job again (its kept PDF: the same badges, the same codes), to its printer or
    /// another. A job still waiting is cancelled in CUPS first; one that printed is sent again
    /// only with --again.
    Retry {
        /// The job's number in the print log.
        id: i64,
        /// Another printer.
        #[arg(long, value_name = "QUEUE")]
        printer: Option<String>,
        /// Print it again although it printed already.
        #[arg(long)]
        again: bool,
        /// Seconds to follow the job before saying it is still waiting.
        #[arg(long, value_name = "SECONDS", default_value_t = delegate_desk::printing::DEFAULT_WAIT_SECONDS)]
        wait: u32,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    #[command(after_help = "Examples:\n  delegate-desk-cli print-jobs cancel 7")]
    /// Cancel a job still waiting (in CUPS too): its badges are not printed.
    Cancel {
        /// The job's number in the print log.
        id: i64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}
