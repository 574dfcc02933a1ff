//! The dashboard: how the event fills and arrives — seats, waitlist, check-ins per day, the
//! same by delegation and by category, arrivals over a day in 10-minute bars, and each
//! session's attendance. Everything
//! is read in one read transaction, so the figures are of one moment.

use crate::desk::read::delegation_spellings;
use crate::error::{Error, Result};
use crate::model::today_of;
use crate::model::Category;
use crate::params;
use crate::seats::{seat_status, SeatStatus};
use crate::store::records::{attendance_in, load_event, Attendance};
use crate::text::fold;
use crate::Desk;
use chrono::{DateTime, NaiveDate, Timelike};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The width of one bar of arrivals, in minutes.
pub const BAR_MINUTES: u32 = 10;

/// The fewest bars drawn (two hours), however few the arrivals.
pub const MIN_BARS: u32 = 12;

/// Check-ins of one event day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DayCount {
    /// The day (1-based).
    pub day: u32,
    /// Its date.
    pub date: NaiveDate,
    /// People checked in for it.
    pub checked_in: u32,
    /// People registered and down for it.
    pub expected: u32,
}

/// The counts of one delegation or category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupCount {
    /// The delegation's name, or the category's wire value.
    pub name: String,
    /// Holding a seat.
    pub registered: u32,
    /// Waiting for one.
    pub waitlisted: u32,
    /// Invited, no seat yet.
    pub invited: u32,
    /// Checked in for the day shown.
    pub checked_in: u32,
}

/// Arrivals in one 10-minute slot of the day shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bar {
    /// Start of the slot at the venue, "08:10".
    pub start: String,
    /// Check-ins in it.
    pub count: u32,
}

/// Everything the dashboard shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    /// Seats, registered, waitlisted, invited, cancelled.
    pub status: SeatStatus,
    /// Today's event day, if today is one.
    pub today: Option<u32>,
    /// The day the check-in figures are of.
    pub day: u32,
    /// Check-ins per event day.
    pub days: Vec<DayCount>,
    /// By delegation, most registered first.
    pub by_delegation: Vec<GroupCount>,
    /// By category, in the categories' order.
    pub by_category: Vec<GroupCount>,
    /// Arrivals of `day` in 10-minute slots, from the first to the last (empty before any):
    /// the check-ins made on that day's date at the venue.
    pub arrivals: Vec<Bar>,
    /// Check-ins for `day` made on another date at the venue (the evening before, after
    /// midnight), not drawn in `arrivals`: drawn by their hour alone, an evening-before check-in
    /// stretched the chart to 23:30 of the day, and one after midnight came before the morning.
    pub arrivals_on_other_dates: u32,
    /// The sessions of `day`: in the room and expected.
    pub sessions: Vec<Attendance>,
}

impl Desk {
    /// The dashboard for `day` (today's event day when `None`, else day 1).
    pub fn dashboard(&self, day: Option<u32>) -> Result<Dashboard> {
        // One read transaction: the seats and every count of the same moment.
        let tx = self.db.snapshot()?;
        let status = seat_status(&tx)?;
        let event = load_event(&tx)?;
        let today = today_of(&event);
        let day = day.or(today).unwrap_or(1);
        if day == 0 || day > event.day_count() {
            return Err(Error::invalid("day", format!("Day {day} is not a day of the event")));
        }
        let mut days = Vec::new();
        for d in &event.days {
            let checked_in: u32 = tx.query_row(
                "SELECT count(*) FROM checkin c JOIN attendee a ON a.id = c.attendee_id
                     WHERE c.day = ?1 AND c.undone_at IS NULL AND a.status = 'registered'",
                params![d.day],
                |r| r.get(0),
            )?;
            let expected: u32 = tx.query_row(
                "SELECT count(*) FROM attendee WHERE status = 'registered'
                       AND (',' || days || ',') LIKE '%,' || ?1 || ',%'",
                params![d.day],
                |r| r.get(0),
            )?;
            days.push(DayCount { day: d.day, date: d.date, checked_in, expected });
        }
        let group = |column: &str| -> Result<Vec<GroupCount>> {
            let sql = format!(
                "SELECT a.{column},
                        sum(CASE WHEN a.status = 'registered' THEN 1 ELSE 0 END),
                        sum(CASE WHEN a.status = 'waitlisted' THEN 1 ELSE 0 END),
                        sum(CASE WHEN a.status = 'invited' THEN 1 ELSE 0 END),
                        sum(CASE WHEN a.status = 'registered' AND EXISTS (SELECT 1 FROM checkin c WHERE c.attendee_id = a.id AND c.day = ?1 AND c.undone_at IS NULL) THEN 1 ELSE 0 END)
                 FROM attendee a WHERE a.status <> 'cancelled' GROUP BY a.{column}"
            );
            tx.query_map(&sql, params![day], |r| {
                Ok(GroupCount {
                    name: r.get(0)?,
                    registered: r.get(1)?,
                    waitlisted: r.get(2)?,
                    invited: r.get(3)?,
                    checked_in: r.get(4)?,
                })
            })
        };
        // One row per delegation however its people's delegation was typed ("Jamaica",
        // "JAMAICA", "Jamaïca"), as the allocations and the roster count it, spelled as they
        // spell it.
        let mut by_delegation = group("delegation_key")?;
        let spellings = delegation_spellings(&tx)?;
        for g in &mut by_delegation {
            g.name = match spellings.get(&g.name) {
                _ if g.name.is_empty() => "(no delegation)".to_string(),
                Some(name) => name.clone(),
                None => std::mem::take(&mut g.name),
            };
        }
        by_delegation.sort_by_cached_key(|g| {
            (std::cmp::Reverse((g.registered, g.waitlisted + g.invited)), fold(&g.name), g.name.clone())
        });
        let mut by_category = group("category")?;
        by_category
            .sort_by_key(|g| Category::ALL.iter().position(|c| c.wire() == g.name).unwrap_or(usize::MAX));
        let mut slots: BTreeMap<u32, u32> = BTreeMap::new();
        let mut arrivals_on_other_dates = 0;
        let date = event.days.iter().find(|d| d.day == day).map(|d| d.date);
        {
            let times = tx.query_map(
                "SELECT c.at FROM checkin c JOIN attendee a ON a.id = c.attendee_id
                     WHERE c.day = ?1 AND c.undone_at IS NULL AND a.status = 'registered'",
                params![day],
                |r| r.get::<String>(0),
            )?;
            for at in times {
                if let Ok(t) = DateTime::parse_from_rfc3339(&at) {
                    let local = t.with_timezone(&event.tz());
                    if Some(local.date_naive()) != date {
                        arrivals_on_other_dates += 1;
                        continue;
                    }
                    let minute = local.hour() * 60 + local.minute();
                    *slots.entry(minute / BAR_MINUTES).or_default() += 1;
                }
            }
        }
        let sessions = attendance_in(&tx, Some(day))?;
        tx.commit()?;
        // At least two hours are drawn, so that one busy slot does not fill the chart.
        let last_slot = 24 * 60 / BAR_MINUTES - 1;
        let arrivals = match (slots.keys().next(), slots.keys().next_back()) {
            (Some(&first), Some(&last)) => (first.min(last_slot.saturating_sub(MIN_BARS - 1))
                ..=last.max((first + MIN_BARS - 1).min(last_slot)))
                .map(|slot| {
                    let m = slot * BAR_MINUTES;
                    Bar {
                        start: format!("{:02}:{:02}", m / 60, m % 60),
                        count: slots.get(&slot).copied().unwrap_or(0),
                    }
                })
                .collect(),
            _ => Vec::new(),
        };
        Ok(Dashboard {
            status,
            today,
            day,
            days,
            by_delegation,
            by_category,
            arrivals,
            arrivals_on_other_dates,
            sessions,
        })
    }
}
