//! Invite lists in (`import`) and rosters out (`export`).

use crate::args::*;
use crate::output::*;
use delegate_desk::export::{self, ExportRequest, RosterFilter};
use delegate_desk::import::{ImportMode, ImportOptions};
use delegate_desk::request::digest_of_bytes;
use delegate_desk::{Desk, Error, Result};

/// Runs one of the lists commands.
pub fn run(desk: &mut Desk, command: Command, request: Option<&str>) -> Result<()> {
    match command {
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
            let bytes = super::read_at_most(&file, delegate_desk::import::MAX_IMPORT_BYTES)?;
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
                    print_json(&p)?;
                } else {
                    print_preview(&p);
                }
                // The import would be refused: the dry run fails as the import would, so that
                // `import --dry-run && import` stops here. (Invalid rows refuse it too: the
                // dry run said nothing of them in its exit code, and the import then failed.)
                if p.invalid > 0 && !skip_invalid {
                    return Err(Error::invalid(
                        "file",
                        format!(
                            "The import would be refused, and nothing imported: {} (listed above). Correct {them}, or import with --skip-invalid to leave {them} out",
                            delegate_desk::import::invalid_rows(p.invalid),
                            them = if p.invalid == 1 { "it" } else { "them" },
                        ),
                    ));
                }
                return match p.forecast {
                    Some(f) if f.refused.is_some() => Err(Error::Conflict(f.message)),
                    _ => Ok(()),
                };
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
        Command::Export {
            what:
                ExportCommand::Roster {
                    format,
                    status,
                    category,
                    delegation,
                    days,
                    order,
                    columns,
                    sheet_per_preset,
                    output,
                },
        } => {
            let req = ExportRequest {
                format: export::Format::parse(&format)?,
                filter: RosterFilter { status, category, delegation, days, order },
                columns,
                sheet_per_preset,
            };
            println!("{}", desk.export_roster(&req, &output)?.message);
        }
        Command::Export { what: ExportCommand::Attendance { session, format, output } } => {
            println!(
                "{}",
                desk.export_attendance(session, export::Format::parse(&format)?, &output)?.message
            );
        }
        _ => unreachable!("not one of the lists commands"),
    }
    Ok(())
}
