//! `delegate-desk-cli`: the headless command-line front end of the Delegate Desk core, on the
//! same database as the desktop app.
//!
//! Exit codes: 0 success, 2 invalid input or refused action (message on stderr), 1 any other
//! failure.

/// The answer on standard output, line by line, written without panicking (it shadows the
/// standard `println!` in every module below). A write that fails (a full disk behind a
/// redirection, `> /dev/full`) is remembered, and the command ends with exit 1 saying so,
/// after the automatic backup of any change it made. The standard `println!` panicked: exit
/// 101, none of the documented codes, and no backup.
macro_rules! println {
    () => {
        $crate::say(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::say(format_args!("{}\n", format_args!($($arg)*)))
    };
}

mod args;
mod commands;
mod output;

/// A failure to write the answer on standard output: its kind and its words.
#[derive(Clone)]
struct Unsaid {
    kind: std::io::ErrorKind,
    text: String,
}

impl std::fmt::Display for Unsaid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// The first failure to write the answer on standard output, if any.
static UNSAID: std::sync::Mutex<Option<Unsaid>> = std::sync::Mutex::new(None);

/// Write `text` on standard output; a failure is kept in [`UNSAID`] (the first one).
fn say(text: std::fmt::Arguments) {
    use std::io::Write;
    keep_unsaid(std::io::stdout().lock().write_fmt(text));
}

/// The failure to write the answer, once the command has run (standard output flushed).
fn unsaid() -> Option<Unsaid> {
    use std::io::Write;
    keep_unsaid(std::io::stdout().flush());
    UNSAID.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

/// Keep the failure of a write to standard output in [`UNSAID`], unless one is kept already.
fn keep_unsaid(written: std::io::Result<()>) {
    if let Err(e) = written {
        UNSAID
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get_or_insert_with(|| Unsaid { kind: e.kind(), text: e.to_string() });
    }
}

use args::*;
use clap::Parser;
use commands::command;
use commands::pin::coordinator_pin;
use delegate_desk::{storage, Desk, Error, Result};
use std::process::ExitCode;

/// Runs what `cli` asks: on the database, except the commands that must not open it.
fn run(cli: Cli) -> Result<()> {
    if commands::unopened::run(&cli)? {
        return Ok(());
    }
    let path = storage::resolve_db_path(cli.db.as_deref())?;
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
    let done = match command(&mut desk, cli.command.clone(), cli.request_id.as_deref()) {
        Err(Error::CoordinatorOnly(why)) => coordinator_pin(&why)
            .and_then(|pin| desk.unlock(&pin))
            .and_then(|_| command(&mut desk, cli.command, cli.request_id.as_deref())),
        other => other,
    };
    // After a change, an automatic backup if the last one is old enough, whether the command
    // then ended well or not: a shift saved before its page failed, a print recorded before
    // its printer refused, is a change like any other. A failed backup is said but does not
    // undo the change that was made.
    if desk.revision().is_ok_and(|r| r != before) {
        if let Err(e) = desk.auto_backup() {
            eprintln!("warning: the automatic backup failed: {e}");
        }
    }
    done
}

fn main() -> ExitCode {
    // A reader of the output that goes away (`delegate-desk-cli list | head`, `… | grep -q`)
    // must not kill the command between its change and the automatic backup after it: the
    // closed pipe is a failed write like any other (kept by `say`), and the command ends
    // quietly with exit 1 once it has done all it does. (Rust ignores SIGPIPE already; this
    // says so where it matters.)
    #[cfg(unix)]
    // SAFETY: setting the action of a signal, before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
    // Help, the version and usage errors, written by clap: a help that could not be written
    // (`--help > /dev/full`) ended with exit 0 and no word.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = e.exit_code();
            return match e.print() {
                Ok(()) => ExitCode::from(u8::try_from(code).unwrap_or(2)),
                Err(_) if !e.use_stderr() => ExitCode::from(1),
                Err(_) => ExitCode::from(2),
            };
        }
    };
    let positional = positional_fields(&cli.command);
    // `audit` names its output file with --csv; `checkin --unvetted` takes the reason there;
    // a new PIN is read from standard input, the coordinator PIN from the environment or the
    // prompt.
    let audit = matches!(cli.command, Command::Audit { .. });
    let unvetted = matches!(cli.command, Command::Checkin { unvetted: Some(_), .. });
    let new_pin = matches!(cli.command, Command::Pin { command: PinCommand::Set | PinCommand::Reset });
    match run(cli) {
        Ok(()) => match unsaid() {
            None => ExitCode::SUCCESS,
            // The reader went away: nobody is there to read a message either.
            Some(e) if e.kind == std::io::ErrorKind::BrokenPipe => ExitCode::from(1),
            Some(e) => {
                eprintln!(
                    "error: the answer could not be written to standard output ({e}); what the command did is done (see delegate-desk-cli audit)"
                );
                ExitCode::from(1)
            }
        },
        Err(e) => {
            match &e {
                Error::Validation { issues } => {
                    for i in issues {
                        let arg = match i.field.as_str() {
                            "output" if audit => "--csv".into(),
                            "reason" if unvetted => "--unvetted".into(),
                            "pin" if !new_pin => format!("{} or the prompt", commands::pin::PIN_ENV),
                            "current" => format!("{} or the prompt", commands::pin::PIN_ENV),
                            _ => argument(&i.field, positional),
                        };
                        eprintln!("error: {} ({arg})", output::terminal(&i.message));
                    }
                }
                other => eprintln!("error: {}", output::terminal(&other.to_string())),
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
        Command::Vetting { .. } => &["vetting"],
        Command::Session {
            what: SessionCommand::Admit { .. } | SessionCommand::Exclude { .. } | SessionCommand::Clear { .. },
        } => &["people"],
        _ => &[],
    }
}

/// How the command line spells the argument behind a wire field: `givenName` → `--given-name`,
/// `dxMm` → `--dx`, a positional `seats` → `SEATS`.
fn argument(field: &str, positional: &[&str]) -> String {
    if positional.contains(&field) {
        // `vetting 42 cleared`: the state is the vetting field.
        return if field == "vetting" { "STATE".into() } else { field.to_uppercase() };
    }
    match field {
        "dxMm" => "--dx".into(),
        "dyMm" => "--dy".into(),
        "ids" => "--id".into(),
        "themes" => "--theme".into(),
        "file" => "FILE".into(),
        "defaultCategory" => "--category".into(),
        "pin" => "standard input".into(),
        // A badge's code is typed after --scan.
        "code" => "--scan".into(),
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
