//! What an import would do, before it does: each row matched with the roster (new, changed,
//! the same, refused with why), the plan that applying follows.

use super::*;
use crate::error::{Error, FieldIssue, Result};
use crate::model::Keys;
use crate::model::{clean_vetting_note, Attendee, AttendeeFields, AttendeeInput, Vetting, VettingState};
use crate::params;
use crate::store::db::Db;
use crate::store::records::{load_event, ATTENDEE_SELECT};
use std::collections::HashMap;

/// Who is already on the list, by e-mail, by name in delegation, and by name alone.
pub(crate) struct Present {
    pub(crate) by_email: HashMap<String, usize>,
    pub(crate) by_name: HashMap<(String, String), usize>,
    /// Everyone of each name, whatever their delegation.
    pub(crate) named: HashMap<String, Vec<usize>>,
    pub(crate) attendees: Vec<Attendee>,
}

impl Present {
    fn load(db: &Db) -> Result<Present> {
        let attendees = db.query_map(
            &format!("{ATTENDEE_SELECT} ORDER BY a.id"),
            params![],
            crate::store::records::attendee_from_row,
        )?;
        let mut by_email = HashMap::new();
        let mut by_name = HashMap::new();
        let mut named: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, a) in attendees.iter().enumerate() {
            let k = Keys::of(&a.fields);
            if !k.email.is_empty() {
                by_email.insert(k.email, i);
            }
            named.entry(k.name.clone()).or_default().push(i);
            by_name.insert((k.name, k.delegation), i);
        }
        Ok(Present { by_email, by_name, named, attendees })
    }

    /// The person on file a row of fields `f` is, if any; or why the row cannot say which.
    ///
    /// - By e-mail first, but only when the names agree too: a row of another name with the
    ///   same e-mail is another person (a shared office address), and taking them for the one
    ///   on file renamed that person, who kept their clearance, check-ins and badge code.
    /// - Then by name in delegation. A row with no delegation (an update file of names and
    ///   dietary needs, a blank merged cell) is the one person of that name on file, whatever
    ///   their delegation: it was taken for a new person without a delegation, who took a
    ///   second seat. Several of that name: the row must say which.
    fn find(&self, f: &AttendeeFields) -> std::result::Result<Option<&Attendee>, FieldIssue> {
        let k = Keys::of(f);
        if let Some(&i) = (!k.email.is_empty()).then(|| self.by_email.get(&k.email)).flatten() {
            let a = &self.attendees[i];
            if Keys::of(&a.fields).name == k.name {
                return Ok(Some(a));
            }
            return Err(FieldIssue {
                field: "email".into(),
                message: format!(
                    "E-mail {} is that of {} (#{}) on file, not of {}: another person with the same e-mail. Correct the e-mail, or, if it is the same person, correct the name on file first",
                    f.email,
                    a.display_name,
                    a.id,
                    f.display_name()
                ),
            });
        }
        if let Some(&i) = self.by_name.get(&(k.name.clone(), k.delegation.clone())) {
            return Ok(Some(&self.attendees[i]));
        }
        if !k.delegation.is_empty() {
            return Ok(None);
        }
        match self.named.get(&k.name).map(Vec::as_slice).unwrap_or_default() {
            [] => Ok(None),
            [i] => Ok(Some(&self.attendees[*i])),
            several => {
                let delegations: Vec<String> = several
                    .iter()
                    .map(|&i| {
                        let d = &self.attendees[i].fields.delegation;
                        if d.is_empty() {
                            "no delegation".to_string()
                        } else {
                            d.clone()
                        }
                    })
                    .collect();
                Err(FieldIssue {
                    field: "delegation".into(),
                    message: format!(
                        "{} people named {} are on file ({}): give this row's delegation to say which",
                        several.len(),
                        f.display_name(),
                        delegations.join(", ")
                    ),
                })
            }
        }
    }
}

/// The security vetting a row sets (the file has the column and the row a value).
pub(crate) type RowVetting = Option<(VettingState, String)>;

/// A row and what it would do.
pub(crate) enum Plan {
    /// A person not on file, and the file line that holds them.
    New(AttendeeFields, RowVetting, u64),
    /// An attendee already on file, the row changing nothing of theirs; their status.
    Same(Status),
    /// An attendee already on file whose fields or vetting differ: their id and status, and
    /// the file line that says so.
    Update(i64, Status, AttendeeFields, RowVetting, u64),
    Invalid,
}

impl Plan {
    /// The status on file of the person the row is, when it is someone on file.
    pub(crate) fn status_on_file(&self) -> Option<Status> {
        match self {
            Plan::Same(status) | Plan::Update(_, status, ..) => Some(*status),
            _ => None,
        }
    }
}

/// The vetting a row sets, read against what is on file (`was`: a state without a note
/// keeps no note; a note without a state keeps the state), or the problems with it.
fn row_vetting(row: &Row, was: Option<&Vetting>) -> std::result::Result<RowVetting, Vec<FieldIssue>> {
    if row.vetting.is_none() && row.vetting_note.is_none() {
        return Ok(None);
    }
    let mut issues = Vec::new();
    let state = match row.vetting.as_deref().map(VettingState::parse) {
        Some(Ok(s)) => s,
        Some(Err(Error::Validation { issues: i })) => {
            issues.extend(i);
            VettingState::Pending
        }
        Some(Err(_)) | None => was.map_or(VettingState::Pending, |v| v.state),
    };
    let note = match clean_vetting_note(row.vetting_note.as_deref().unwrap_or("")) {
        Ok(n) => n,
        Err(Error::Validation { issues: i }) => {
            issues.extend(i.into_iter().map(|x| FieldIssue { field: "vettingNote".into(), ..x }));
            String::new()
        }
        Err(_) => String::new(),
    };
    if issues.is_empty() {
        Ok(Some((state, note)))
    } else {
        Err(issues)
    }
}

/// A row refused: each refused field named with its line, and the row planned as invalid.
fn refuse(line: u64, issues: Vec<FieldIssue>, errors: &mut Vec<RowError>, plans: &mut Vec<Plan>) {
    errors.extend(issues.into_iter().map(|FieldIssue { field, message }| RowError { line, field, message }));
    plans.push(Plan::Invalid);
}

/// What a row's vetting changes of `a`'s, as the preview lists it.
fn vetting_changes(a: &Attendee, v: &RowVetting) -> Vec<FieldChange> {
    let Some((state, note)) = v else { return vec![] };
    let mut out = Vec::new();
    if a.vetting.state != *state {
        out.push(FieldChange {
            field: "vetting".into(),
            before: a.vetting.state.wire().into(),
            after: state.wire().into(),
        });
    }
    if a.vetting.note != *note {
        out.push(FieldChange {
            field: "vettingNote".into(),
            before: a.vetting.note.clone(),
            after: note.clone(),
        });
    }
    out
}

pub(crate) fn show(f: &AttendeeFields, field: &str) -> String {
    match serde_json::to_value(f).ok().and_then(|v| v.get(field).cloned()) {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Null) | None => String::new(),
        Some(serde_json::Value::Array(a)) => a.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(","),
        Some(other) => other.as_str().map(str::to_string).unwrap_or_else(|| other.to_string()),
    }
}

/// A preview, the plan of every row, the header's signature and the manual choices made.
pub(crate) type Previewed = (ImportPreview, Vec<Plan>, String, std::collections::BTreeMap<String, String>);

/// Read, map, validate and classify every row against the people present.
pub(crate) fn preview_with_plan(db: &Db, bytes: &[u8], options: &ImportOptions) -> Result<Previewed> {
    let parsed = parse(db, bytes, options)?;
    let event = load_event(db)?;
    let present = Present::load(db)?;
    let mut errors = Vec::new();
    let mut changes = Vec::new();
    let mut plans = Vec::with_capacity(parsed.rows.len());
    let mut seen_email: HashMap<String, u64> = HashMap::new();
    let mut seen_name: HashMap<(String, String), u64> = HashMap::new();
    // The new people given the default category (someone on file keeps theirs).
    let mut defaulted = 0;
    for row in &parsed.rows {
        if let Some(message) = &row.error {
            errors.push(RowError { line: row.line, field: "file".into(), message: message.clone() });
            plans.push(Plan::Invalid);
            continue;
        }
        // Someone on file is found by their names and e-mail alone: a row without a category
        // (an update file of e-mails and dietary needs) is theirs, not refused as a new person
        // without one; and the default category, for new people, does not replace theirs (it
        // made a VIP on file a delegate).
        let lookup = match row.input.category {
            Some(_) => std::borrow::Cow::Borrowed(&row.input),
            None => std::borrow::Cow::Owned(AttendeeInput {
                category: Some(Category::Delegate.wire().to_string()),
                ..row.input.clone()
            }),
        };
        let existing =
            match AttendeeFields::from_input(None, &lookup, event.day_count()).ok().map(|f| present.find(&f))
            {
                Some(Ok(found)) => found.cloned(),
                Some(Err(issue)) => {
                    refuse(row.line, vec![issue], &mut errors, &mut plans);
                    continue;
                }
                None => None,
            };
        let input = match (&existing, row.defaulted) {
            (Some(_), true) => std::borrow::Cow::Owned(AttendeeInput { category: None, ..row.input.clone() }),
            _ => std::borrow::Cow::Borrowed(&row.input),
        };
        let base = existing.as_ref().map(|a| &a.fields);
        let fields = match AttendeeFields::from_input(base, &input, event.day_count()) {
            Ok(f) => f,
            Err(Error::Validation { issues }) => {
                refuse(row.line, issues, &mut errors, &mut plans);
                continue;
            }
            Err(e) => return Err(e),
        };
        let vetting = match row_vetting(row, existing.as_ref().map(|a| &a.vetting)) {
            Ok(v) => v,
            Err(issues) => {
                refuse(row.line, issues, &mut errors, &mut plans);
                continue;
            }
        };
        let k = Keys::of(&fields);
        let by_email = (!k.email.is_empty()).then(|| seen_email.get(&k.email).copied()).flatten();
        let earlier = by_email
            .map(|l| (l, "email"))
            .or_else(|| seen_name.get(&(k.name.clone(), k.delegation.clone())).map(|&l| (l, "givenName")));
        if let Some((first, field)) = earlier {
            errors.push(RowError {
                line: row.line,
                field: field.into(),
                message: format!("The same person as on line {first} ({})", fields.display_name()),
            });
            plans.push(Plan::Invalid);
            continue;
        }
        if !k.email.is_empty() {
            seen_email.insert(k.email.clone(), row.line);
        }
        seen_name.insert((k.name.clone(), k.delegation.clone()), row.line);
        match existing {
            None => {
                defaulted += usize::from(row.defaulted);
                plans.push(Plan::New(fields, vetting, row.line))
            }
            Some(a) if a.fields == fields && vetting_changes(&a, &vetting).is_empty() => {
                plans.push(Plan::Same(a.status))
            }
            Some(a) => {
                let mut diffs: Vec<FieldChange> = COLUMNS
                    .iter()
                    .map(|(f, _)| *f)
                    .filter(|f| !f.starts_with("vetting"))
                    .filter_map(|f| {
                        let (before, after) = (show(&a.fields, f), show(&fields, f));
                        (before != after).then(|| FieldChange { field: f.to_string(), before, after })
                    })
                    .collect();
                diffs.extend(vetting_changes(&a, &vetting));
                changes.push(RowChange {
                    line: row.line,
                    attendee_id: a.id,
                    display_name: a.display_name.clone(),
                    changes: diffs,
                });
                plans.push(Plan::Update(a.id, a.status, fields, vetting, row.line));
            }
        }
    }
    let count = |pred: fn(&Plan) -> bool| plans.iter().filter(|p| pred(p)).count();
    let preview = ImportPreview {
        encoding: parsed.encoding.to_string(),
        separator: match parsed.separator {
            b';' => "semicolon",
            b'\t' => "tab",
            _ => "comma",
        }
        .to_string(),
        unknown_columns: parsed
            .columns
            .iter()
            .filter(|c| c.field.is_none())
            .map(|c| c.header.clone())
            .collect(),
        columns: parsed.columns,
        rows: plans.len(),
        new: count(|p| matches!(p, Plan::New(..))),
        present: count(|p| matches!(p, Plan::Same(_))),
        changed: count(|p| matches!(p, Plan::Update(..))),
        unseated: if options.mode == ImportMode::Register {
            count(|p| matches!(p.status_on_file(), Some(Status::Invited | Status::Cancelled)))
        } else {
            0
        },
        invalid: count(|p| matches!(p, Plan::Invalid)),
        errors,
        changes,
        default_category: parsed.default_category,
        defaulted,
        fields: field_names(),
        forecast: None,
    };
    Ok((preview, plans, parsed.signature, parsed.chosen))
}
