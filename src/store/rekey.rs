//! The folded keys stored beside every attendee (name, delegation, e-mail, search) and every
//! allocation (delegation), made again with today's fold: a schema step on either engine runs
//! it when the fold changes ([`crate::text::fold`]), so that the duplicate checks, the
//! allocations and the list's filters compare old rows and new ones alike.
//!
//! Keys are unique where the schema says so (a name in a delegation, an e-mail, an
//! allocation's delegation). Two rows that were different under the old fold may be the same
//! under the new one (a "Mül­ler" with a soft hyphen beside a "Müller"): nobody is merged or
//! lost. A row whose new key another row already holds keeps the key it had, so the step never
//! fails and every person stays as they were, only no longer hidden from the others' checks.

use crate::error::Result;
use crate::model::Keys;
use crate::store::db::Value;
use crate::text::fold;
use std::collections::HashSet;

/// An attendee's row as its keys are made from it, with the keys stored now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row {
    pub(crate) id: i64,
    pub(crate) given: String,
    pub(crate) family: String,
    pub(crate) badge: Option<String>,
    pub(crate) delegation: String,
    pub(crate) email: String,
    pub(crate) name_key: String,
    pub(crate) delegation_key: String,
    pub(crate) email_key: String,
    pub(crate) search_key: String,
}

/// The keys a row gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NewKeys {
    pub(crate) id: i64,
    pub(crate) name_key: String,
    pub(crate) delegation_key: String,
    pub(crate) email_key: String,
    pub(crate) search_key: String,
}

/// The rows whose keys change, with their new keys, none of them held twice: the rows whose
/// name (or e-mail) key does not change keep it first; then, in id order, each other row
/// takes its new key if free, else the key it had if free, else that key marked with its id
/// (name) or none (e-mail: no longer compared).
pub(crate) fn plan(rows: &[Row]) -> Vec<NewKeys> {
    let made: Vec<Keys> = rows
        .iter()
        .map(|r| Keys::of_parts(&r.given, &r.family, r.badge.as_deref(), &r.delegation, &r.email))
        .collect();
    let mut names: HashSet<(String, String)> = HashSet::new();
    let mut emails: HashSet<String> = HashSet::new();
    for (r, k) in rows.iter().zip(&made) {
        if k.name == r.name_key && k.delegation == r.delegation_key {
            names.insert((k.name.clone(), k.delegation.clone()));
        }
        if k.email == r.email_key && !k.email.is_empty() {
            emails.insert(k.email.clone());
        }
    }
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| rows[i].id);
    let mut out = Vec::new();
    for i in order {
        let (r, k) = (&rows[i], &made[i]);
        let (mut name_key, mut delegation_key) = (k.name.clone(), k.delegation.clone());
        if !(name_key == r.name_key && delegation_key == r.delegation_key) {
            let tries = [
                (k.name.clone(), k.delegation.clone()),
                (r.name_key.clone(), r.delegation_key.clone()),
                (format!("{} #{}", r.name_key, r.id), r.delegation_key.clone()),
            ];
            let free = tries.into_iter().find(|t| !names.contains(t));
            (name_key, delegation_key) = free.unwrap_or((format!("#{}", r.id), r.delegation_key.clone()));
            names.insert((name_key.clone(), delegation_key.clone()));
        }
        let mut email_key = k.email.clone();
        if email_key != r.email_key && !email_key.is_empty() {
            email_key = [k.email.clone(), r.email_key.clone()]
                .into_iter()
                .find(|e| !e.is_empty() && !emails.contains(e))
                .unwrap_or_default();
            if !email_key.is_empty() {
                emails.insert(email_key.clone());
            }
        }
        let new = NewKeys { id: r.id, name_key, delegation_key, email_key, search_key: k.search.clone() };
        if (&new.name_key, &new.delegation_key, &new.email_key, &new.search_key)
            != (&r.name_key, &r.delegation_key, &r.email_key, &r.search_key)
        {
            out.push(new);
        }
    }
    out
}

/// The allocations whose delegation key changes: `(old key, new key)`, for each allocation
/// (`(key, delegation name)`) whose new key no other allocation holds.
pub(crate) fn plan_allocations(allocations: &[(String, String)]) -> Vec<(String, String)> {
    let mut held: HashSet<String> =
        allocations.iter().filter(|(key, name)| fold(name) == *key).map(|(key, _)| key.clone()).collect();
    let mut out = Vec::new();
    for (key, name) in allocations {
        let new = fold(name);
        if new != *key && !new.is_empty() && held.insert(new.clone()) {
            out.push((key.clone(), new));
        }
    }
    out
}

/// The SQL that reads every attendee as [`Row`] (both engines).
const READ: &str = "SELECT id, given_name, family_name, badge_name, delegation, email, name_key,
        delegation_key, email_key, search_key FROM attendee ORDER BY id";

/// The allocations, as [`plan_allocations`] reads them.
const READ_ALLOCATIONS: &str = "SELECT delegation_key, delegation FROM allocation ORDER BY delegation_key";

/// The statements, with their values, that give `rows` and `allocations` today's keys, in
/// order (both engines run them as they are). First each changing row's name and e-mail keys
/// are set to values no row holds (a control character and its id: no typed name holds one),
/// so that the final keys, unique as a whole, never meet a key still waiting to change; then
/// each row gets its new keys; then the allocations.
fn statements(rows: &[Row], allocations: &[(String, String)]) -> Vec<(&'static str, Vec<Value>)> {
    let changes = plan(rows);
    let park = changes.iter().map(|c| {
        let values = vec![Value::Int(c.id), Value::Text(format!("\u{1}{}", c.id))];
        ("UPDATE attendee SET name_key = ?2, email_key = '' WHERE id = ?1", values)
    });
    let set = changes.iter().map(|c| {
        let values = [&c.name_key, &c.delegation_key, &c.email_key, &c.search_key].map(|k| Value::Text(k.clone()));
        let sql = "UPDATE attendee SET name_key = ?2, delegation_key = ?3, email_key = ?4, search_key = ?5 WHERE id = ?1";
        (sql, std::iter::once(Value::Int(c.id)).chain(values).collect())
    });
    let allocated = plan_allocations(allocations).into_iter().map(|(old, new)| {
        (
            "UPDATE allocation SET delegation_key = ?2 WHERE delegation_key = ?1",
            vec![Value::Text(old), Value::Text(new)],
        )
    });
    park.chain(set).chain(allocated).collect()
}

/// A [`Row`] as [`READ`] gives its columns.
type Columns = (i64, String, String, Option<String>, String, String, String, String, String, String);

impl From<Columns> for Row {
    fn from(c: Columns) -> Row {
        let (id, given, family, badge, delegation, email, name_key, delegation_key, email_key, search_key) =
            c;
        Row { id, given, family, badge, delegation, email, name_key, delegation_key, email_key, search_key }
    }
}

/// The schema step on a file: every key made again (see the module's documentation).
pub(crate) fn on_file(tx: &rusqlite::Transaction) -> Result<()> {
    let rows: Vec<Row> = {
        let mut st = tx.prepare(READ)?;
        let rows = st.query_map([], |r| Columns::try_from(r).map(Row::from))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let allocations: Vec<(String, String)> = {
        let mut st = tx.prepare(READ_ALLOCATIONS)?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (sql, values) in statements(&rows, &allocations) {
        tx.execute(sql, rusqlite::params_from_iter(values))?;
    }
    Ok(())
}

/// The schema step on a server: the same as [`on_file`], inside the migration's transaction.
pub(crate) fn on_server(db: &crate::store::db::Db) -> Result<()> {
    let rows = db.query_map(READ, crate::params![], |r| {
        let columns: Columns = (
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get(7)?,
            r.get(8)?,
            r.get(9)?,
        );
        Ok(Row::from(columns))
    })?;
    let allocations = db.query_map(READ_ALLOCATIONS, crate::params![], |r| Ok((r.get(0)?, r.get(1)?)))?;
    for (sql, values) in statements(&rows, &allocations) {
        db.execute(sql, &values)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        id: i64,
        given: &str,
        family: &str,
        delegation: &str,
        email: &str,
        old: fn(&str) -> String,
    ) -> Row {
        Row {
            id,
            given: given.into(),
            family: family.into(),
            badge: None,
            delegation: delegation.into(),
            email: email.into(),
            name_key: old(&format!("{given} {family}")),
            delegation_key: old(delegation),
            email_key: email.to_lowercase(),
            search_key: old(&format!("{given} {family}  {email}")),
        }
    }

    /// The old fold, as far as these names go: lower case, "ü" without its accent, spaces
    /// collapsed, nothing dropped and no compatibility form made plain.
    fn old_fold(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase().replace('ü', "u")
    }

    #[test]
    fn look_alike_rows_keep_distinct_keys_and_the_plain_one_keeps_its_own() {
        let rows = [
            row(1, "Hanna", "Mül\u{AD}ler", "Haiti", "", old_fold),
            row(2, "Hanna", "Müller", "Haiti", "h@x.org", old_fold),
            row(3, "Owen", "Griﬃths", "Belize", "o@ｘ.org", old_fold),
            row(4, "Owen", "Griffiths", "Belize", "o@x.org", old_fold),
            row(5, "Dee", "Four", "Ha\u{200C}iti", "", old_fold),
        ];
        let plan = plan(&rows);
        let by_id = |id: i64| plan.iter().find(|k| k.id == id).cloned();
        // Row 2 already holds "hanna muller" in Haiti: row 1 keeps its own key.
        assert_eq!(by_id(2), None, "row 2's keys do not change");
        assert_eq!(by_id(1).map(|k| k.name_key), Some("hanna mul\u{AD}ler".into()));
        assert_eq!(by_id(1).map(|k| k.search_key), Some("hanna muller".into()));
        // Row 3's name and e-mail are row 4's: both keep what they had.
        let three = by_id(3).unwrap();
        assert_eq!((three.name_key.as_str(), three.email_key.as_str()), ("owen griﬃths", "o@ｘ.org"));
        // Row 5 alone: its delegation key is Haiti's now.
        let five = by_id(5).unwrap();
        assert_eq!((five.name_key.as_str(), five.delegation_key.as_str()), ("dee four", "haiti"));
        // No key is held twice.
        let mut names: Vec<(String, String)> = rows
            .iter()
            .map(|r| {
                by_id(r.id).map_or((r.name_key.clone(), r.delegation_key.clone()), |k| {
                    (k.name_key, k.delegation_key)
                })
            })
            .collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), rows.len());
    }

    #[test]
    fn a_row_alone_takes_its_new_keys_and_a_second_plan_changes_nothing() {
        let rows = [row(7, "Ｋｉｍ", "Lee", "Jam\u{AD}aica", "K@Ｘ.org", old_fold)];
        let plan1 = plan(&rows);
        let k = &plan1[0];
        assert_eq!(
            (k.name_key.as_str(), k.delegation_key.as_str(), k.email_key.as_str()),
            ("kim lee", "jamaica", "k@x.org")
        );
        let again = Row {
            name_key: k.name_key.clone(),
            delegation_key: k.delegation_key.clone(),
            email_key: k.email_key.clone(),
            search_key: k.search_key.clone(),
            ..rows[0].clone()
        };
        assert!(plan(&[again]).is_empty());
    }

    #[test]
    fn allocations_take_their_new_key_unless_another_holds_it() {
        let allocations = [
            ("jam\u{AD}aica".to_string(), "Jam\u{AD}aica".to_string()),
            ("jamaica".to_string(), "Jamaica".to_string()),
            ("ｂｅｌｉｚｅ".to_string(), "Ｂｅｌｉｚｅ".to_string()),
        ];
        assert_eq!(plan_allocations(&allocations), [("ｂｅｌｉｚｅ".to_string(), "belize".to_string())]);
    }
}
