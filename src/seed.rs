//! What a new database starts with: the demo event (CANSEC 2019) and the known delegations
//! for the type-ahead, from `src/data/delegations.csv`.

use crate::error::{Error, Result};
use crate::params;
use crate::store::db::Value;

/// The delegations a Caribbean regional security conference invites (name, full name, kind,
/// ISO 3166 code, sovereign state), as shipped in `src/data/delegations.csv`.
pub const DELEGATIONS_CSV: &str = include_str!("data/delegations.csv");

/// Name of the demo event.
pub const DEMO_EVENT_NAME: &str = "Caribbean Nations Security Conference (CANSEC) 2019";

/// The statements that create the demo event and the known delegations, with their
/// parameters: run by either engine inside the transaction that creates a new database, so a
/// database is never seen half-seeded.
pub fn statements() -> Result<Vec<(&'static str, Vec<Value>)>> {
    let mut out: Vec<(&'static str, Vec<Value>)> = vec![
        (
            "INSERT INTO event (id, name, venue, start_date, end_date, timezone, capacity)
             VALUES (1, ?1, ?2, '2019-11-14', '2019-11-15', 'America/New_York', 100)",
            params![DEMO_EVENT_NAME, "U.S. Southern Command, Miami"].to_vec(),
        ),
        (
            "INSERT INTO event_day (day, theme) VALUES (1, ?1), (2, ?2)",
            params!["Disaster response and humanitarian assistance", "Countering transnational threats"]
                .to_vec(),
        ),
    ];
    let mut reader = csv::Reader::from_reader(DELEGATIONS_CSV.as_bytes());
    for row in reader.records() {
        let row = row.map_err(|e| Error::Internal(format!("src/data/delegations.csv: {e}")))?;
        let get = |i: usize| row.get(i).unwrap_or("").trim().to_string();
        out.push((
            "INSERT INTO delegation (name, full_name, kind, iso3166, sovereign) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![get(0), get(1), get(2), get(3), get(4)].to_vec(),
        ));
    }
    Ok(out)
}
