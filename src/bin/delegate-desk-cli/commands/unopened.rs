//! The commands that run before the database is opened, or instead of it: the manual page
//! and shell completions, `copy` (it names both databases itself), `demo` (a database of its
//! own: the real one is never opened), `printers` (the computer's, not the database's) and
//! `restore` (it must be able to replace a database
//! that cannot be opened).

use crate::args::{Cli, Command};
use crate::output::print_json;
use delegate_desk::{storage, Error, Result};

/// Runs `cli`'s command if it is one of these; whether it was.
pub fn run(cli: &Cli) -> Result<bool> {
    if let Command::Manpage = &cli.command {
        let command = <Cli as clap::CommandFactory>::command();
        return clap_mangen::Man::new(command)
            .render(&mut std::io::stdout())
            .map(|()| true)
            .map_err(|e| Error::Io(format!("The manual page could not be written: {e}")));
    }
    if let Command::Completions { shell } = &cli.command {
        let mut command = <Cli as clap::CommandFactory>::command();
        // Made in memory, then written: written straight to standard output, a write that
        // failed (`> /dev/full`) panicked inside clap_complete.
        let mut script = Vec::new();
        clap_complete::generate(*shell, &mut command, "delegate-desk-cli", &mut script);
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        return out
            .write_all(&script)
            .and_then(|()| out.flush())
            .map(|()| true)
            .map_err(|e| Error::Io(format!("The completions could not be written: {e}")));
    }
    // The printers are the computer's, not the database's.
    if let Command::Printers { json } = &cli.command {
        let printers = delegate_desk::cups::printers()?;
        if *json {
            return print_json(&printers).map(|()| true);
        }
        if printers.is_empty() {
            println!("No printer: CUPS has no printer queue (add one in the system's printer settings)");
        }
        for p in &printers {
            let mark = if p.is_default { "*" } else { " " };
            let info =
                if p.info.is_empty() || p.info == p.name { String::new() } else { format!("  ({})", p.info) };
            println!("{mark} {:<24} {}{info}", p.name, p.state_words());
        }
        if printers.iter().any(|p| p.is_default) {
            println!("(* the default printer)");
        }
        return Ok(true);
    }
    // Copy names both databases itself.
    if let Command::Copy { from, to, json } = &cli.command {
        let out = delegate_desk::copy::copy(from, to)?;
        if *json {
            return print_json(&out).map(|()| true);
        }
        println!("{}", out.message);
        return Ok(true);
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
            return print_json(&out).map(|()| true);
        }
        println!("{}", out.message);
        println!("Open it with: delegate-desk --db {}", target.display());
        return Ok(true);
    }
    // Restore runs before the database is opened: it must be able to replace one that cannot be.
    if let Command::Restore { file, force, json } = &cli.command {
        let out = delegate_desk::backup::restore_path(
            &path,
            file,
            *force,
            cli.operator.as_deref(),
            cli.desk.as_deref(),
            &mut |why| super::pin::coordinator_pin(why),
        )?;
        if *json {
            return print_json(&out).map(|()| true);
        }
        println!("{}", out.message);
        return Ok(true);
    }
    Ok(false)
}
