//! `session add|list|set|remove|admit|exclude|clear|export|import`: the programme.

use crate::args::*;
use crate::output::*;
use delegate_desk::model::Session;
use delegate_desk::programme::{PeopleList, SessionInput, MAX_PROGRAMME_BYTES};
use delegate_desk::{Desk, Error, Result};

/// One session on one line: number, day, times, title, room, who may attend.
fn line(s: &Session) -> String {
    let room = if s.room.is_empty() { String::new() } else { format!("  [{}]", s.room) };
    format!(
        "#{:<4} day {}  {}–{}  {}{room}  — open to {}",
        s.id,
        s.day,
        s.start,
        s.end,
        s.title,
        s.open_to_words()
    )
}

fn print_session(s: &Session, json: bool) -> Result<()> {
    if json {
        return print_json(s);
    }
    println!("{}", line(s));
    Ok(())
}

/// Runs one of the session commands.
pub fn run(desk: &mut Desk, command: Command, request: Option<&str>) -> Result<()> {
    let Command::Session { what } = command else { unreachable!("not one of the session commands") };
    match what {
        SessionCommand::Add { day, start, end, title, room, open_to, closed_to, json } => {
            let input = SessionInput {
                day: Some(day),
                start: Some(start),
                end: Some(end),
                title: Some(title),
                room,
                open_to,
                closed_to,
                categories: None,
            };
            let s = desk.once(request, "session.add", &input, |d| d.add_session(&input))?;
            print_session(&s, json)
        }
        SessionCommand::List { day, json } => {
            // A day the event does not have is a mistake, not an empty day ("No sessions on
            // day 0").
            if let Some(d) = day {
                let n = desk.event()?.day_count();
                if d == 0 || d > n {
                    return Err(Error::invalid(
                        "day",
                        format!("The event has no day {d}; its days are 1 to {n}"),
                    ));
                }
            }
            let sessions = desk.sessions(day)?;
            if json {
                return print_json(&sessions);
            }
            if sessions.is_empty() {
                println!("No sessions{}", day.map(|d| format!(" on day {d}")).unwrap_or_default());
            }
            for s in &sessions {
                println!("{}", line(s));
            }
            Ok(())
        }
        SessionCommand::Set { id, day, start, end, title, room, open_to, closed_to, json } => {
            let input = SessionInput { day, start, end, title, room, open_to, closed_to, categories: None };
            let s = desk.once(request, "session.set", &(id, &input), |d| d.set_session(id, &input))?;
            print_session(&s, json)
        }
        SessionCommand::Remove { id, force } => {
            let r = desk.once(request, "session.remove", &(id, force), |d| d.remove_session(id, force))?;
            println!("{}", r.message);
            Ok(())
        }
        SessionCommand::Admit { id, people } => people_list(desk, request, id, &people, PeopleList::Admit),
        SessionCommand::Exclude { id, people } => {
            people_list(desk, request, id, &people, PeopleList::Exclude)
        }
        SessionCommand::Clear { id, people } => people_list(desk, request, id, &people, PeopleList::Clear),
        SessionCommand::Export { output } => {
            println!("{}", desk.export_programme(&output)?);
            Ok(())
        }
        SessionCommand::Import { file, json } => {
            let bytes = super::read_at_most(&file, MAX_PROGRAMME_BYTES)?;
            let r = desk.once(request, "session.import", &bytes, |d| d.import_programme(&bytes))?;
            if json {
                return print_json(&r);
            }
            println!("{}", r.message);
            Ok(())
        }
    }
}

fn people_list(
    desk: &mut Desk,
    request: Option<&str>,
    id: i64,
    people: &[i64],
    list: PeopleList,
) -> Result<()> {
    let s = desk
        .once(request, "session.people", &(id, people, list), |d| d.set_session_people(id, people, list))?;
    println!("{}", line(&s));
    Ok(())
}
