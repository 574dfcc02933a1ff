//! Reading the roster as every rule and front end reads it: one person, the list with its
//! filter, the delegations known so far. Reads only, at the desk layer, so that the rules
//! share them without calling one another.

use crate::desk::Desk;
use crate::error::{Error, Result};
use crate::model::{Attendee, Category, Status, VettingState};
use crate::params;
use crate::store::db::Db;
use crate::store::records::{attendee_from_row, load_attendee, ATTENDEE_SELECT};
use crate::text::fold;
use serde::{Deserialize, Serialize};

/// Which attendees to list; every filter is optional and they combine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ListFilter {
    /// Status, as people write it ("registered", "Waitlisted").
    pub status: Option<String>,
    /// Category, wire value or label.
    pub category: Option<String>,
    /// Delegation, case and accents ignored.
    pub delegation: Option<String>,
    /// Delegations with a word starting with this, case and accents ignored ("jam" finds
    /// Jamaica, "rep" the Dominican Republic): the filter as it is being typed.
    pub delegation_starts: Option<String>,
    /// Part of a name or e-mail, case and accents ignored ("helene" finds "Hélène").
    pub name: Option<String>,
    /// Security vetting state: pending, cleared, refused.
    pub vetting: Option<String>,
    /// The order: `name` (the default: the waitlist in its order when listing waitlisted
    /// people, everyone else by family name) or `precedence` ([`crate::model::precedence`]).
    pub order: Option<String>,
}

/// The longest text a list filter (name, delegation) is read with, in characters: far past any
/// name, and bounded before it is folded or made into a pattern (a pattern of 50,000
/// characters was the database's "LIKE or GLOB pattern too complex").
pub const MAX_FILTER_CHARS: usize = 1_000;

/// `filter`'s text, refused when longer than [`MAX_FILTER_CHARS`].
fn bounded<'a>(field: &str, label: &str, filter: &'a Option<String>) -> Result<&'a Option<String>> {
    if let Some(text) = filter {
        let n = text.chars().count();
        if n > MAX_FILTER_CHARS {
            return Err(Error::invalid(
                field,
                format!("{label}: {n} characters is too long; a filter is at most {MAX_FILTER_CHARS}"),
            ));
        }
    }
    Ok(filter)
}

impl Desk {
    /// One attendee.
    pub fn attendee(&self, id: i64) -> Result<Attendee> {
        load_attendee(&self.db, id)
    }

    /// The attendees that match `filter`, in its order: by default the waitlist in its order
    /// when listing waitlisted people, everyone else by family name then given name (case and
    /// accents ignored); or the order of precedence.
    pub fn list(&self, filter: &ListFilter) -> Result<Vec<Attendee>> {
        let some =
            |o: &Option<String>| o.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let status = some(&filter.status).map(|s| Status::parse(&s)).transpose()?;
        let category = some(&filter.category).map(|s| Category::parse(&s)).transpose()?;
        let delegation = some(bounded("delegation", "Delegation", &filter.delegation)?).map(|d| fold(&d));
        let like = |s: &str| s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        let name = some(bounded("name", "Name", &filter.name)?).map(|n| format!("%{}%", like(&fold(&n))));
        let starts = some(bounded("delegationStarts", "Delegation", &filter.delegation_starts)?)
            .map(|d| format!("% {}%", like(&fold(&d))));
        let vetting = some(&filter.vetting).map(|v| VettingState::parse(&v)).transpose()?;
        let sql = format!(
            "{ATTENDEE_SELECT}
             WHERE (CAST(?1 AS TEXT) IS NULL OR a.status = ?1) AND (CAST(?2 AS TEXT) IS NULL OR a.category = ?2)
               AND (CAST(?3 AS TEXT) IS NULL OR a.delegation_key = ?3)
               AND (CAST(?4 AS TEXT) IS NULL OR a.search_key LIKE ?4 ESCAPE '\\')
               AND (CAST(?5 AS TEXT) IS NULL OR ' ' || a.delegation_key LIKE ?5 ESCAPE '\\')
               AND (CAST(?6 AS TEXT) IS NULL OR a.vetting = ?6)"
        );
        let mut rows = self.db.query_map(
            &sql,
            params![
                status.map(Status::wire),
                category.map(Category::wire),
                delegation,
                name,
                starts,
                vetting.map(VettingState::wire)
            ],
            attendee_from_row,
        )?;
        let by_precedence = match some(&filter.order).map(|o| o.to_lowercase()).as_deref() {
            None | Some("name") => false,
            Some("precedence") => true,
            Some(other) => {
                return Err(crate::error::Error::invalid(
                    "order",
                    format!(
                        "Unknown order \"{}\"; use name or precedence",
                        crate::text::shortened(other, 20)
                    ),
                ))
            }
        };
        if by_precedence {
            rows.sort_by_cached_key(crate::model::precedence);
        } else if status == Some(Status::Waitlisted) {
            rows.sort_by_key(|a| a.waitlist_position);
        } else {
            rows.sort_by_cached_key(|a| (fold(&a.fields.family_name), fold(&a.fields.given_name), a.id));
        }
        Ok(rows)
    }

    /// The delegations for the type-ahead: the known ones and every one typed so far, each
    /// once (case and accents ignored), sorted; spelled as [`delegation_spellings`] says.
    pub fn delegations(&self) -> Result<Vec<String>> {
        Ok(delegation_spellings(&self.db)?.into_values().collect())
    }
}

/// Every delegation known or typed, by its key (the folded name), each spelled once: as the
/// list of known delegations spells it, else as most of its people were typed, else the first
/// spelling in order ("Jamaica", not the one "JAMAICA" typed first). In key order.
pub(crate) fn delegation_spellings(db: &Db) -> Result<std::collections::BTreeMap<String, String>> {
    let mut names: Vec<(String, i64, std::cmp::Reverse<i64>, String)> = db.query_map(
        "SELECT name, 0, 0 FROM delegation
         UNION ALL SELECT delegation, 1, count(*) FROM attendee WHERE delegation <> '' GROUP BY delegation",
        params![],
        |r| {
            let name = r.get::<String>(0)?;
            Ok((fold(&name), r.get::<i64>(1)?, std::cmp::Reverse(r.get::<i64>(2)?), name))
        },
    )?;
    names.sort();
    names.dedup_by(|a, b| a.0 == b.0);
    Ok(names.into_iter().map(|(key, .., name)| (key, name)).collect())
}
