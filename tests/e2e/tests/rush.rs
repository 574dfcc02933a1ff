//! The morning rush, through the real window at 1280 × 800 and the keyboard only: 21 arrivals
//! in a row — badges scanned into an empty box and into one holding a search left over, names
//! typed accent-free and family name first (one with Enter pressed before its results came),
//! a scan typed right after another action, one wrong check-in undone by keyboard and the next
//! badge scanned while the undo is still being written, an undo opened and a badge scanned
//! into its reason field (scanned; nothing undone), a misread scan and its rescan, an invited person registered and checked in, a walk-in registered,
//! badged and checked in. After every step: exactly the people meant are checked in (no one
//! else), the outcome line names the person just acted on, the box is empty for the next one
//! and no other person's card is on screen. The operator's keys per arrival are printed for
//! the README (a scanner's keys are the scanner's).

use delegate_desk::import::{ImportMode, ImportOptions};
use delegate_desk::printing::{BadgeRequest, BadgeSelection};
use delegate_desk::{Attendee, Desk, ListFilter, Status};
use delegate_desk_e2e::{drive, ensure, event_from_today, turn, App, Step};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../src/data/invitees-sample.csv");
const ENTER: &str = "\u{E007}";
const TAB: char = '\u{E004}';
const SHIFT: &str = "\u{E008}";

/// Who is checked in for day 1 (not undone), read from the database as another desk would.
fn checked_in(db: &Path) -> BTreeSet<i64> {
    let d = Desk::open(db).unwrap();
    d.recent_arrivals(1, 1000).unwrap().into_iter().map(|a| a.checkin.attendee_id).collect()
}

/// What an operator types to find `a` first: family name then given name, both cut short and
/// without accents ("whit sia" for Siân Whitfield), longer until `a` comes first.
fn query_for(d: &Desk, a: &Attendee) -> String {
    let plain = |s: &str| delegate_desk::text::fold(s).replace(['-', '\''], " ");
    let (family, given) = (plain(&a.fields.family_name), plain(&a.fields.given_name));
    for n in 3..=family.chars().count().max(3) {
        let q = format!(
            "{} {}",
            family.chars().take(n).collect::<String>(),
            given.chars().take(3).collect::<String>()
        );
        if d.search(&q, 2).unwrap().first().map(|x| x.id) == Some(a.id) {
            return q;
        }
    }
    panic!("no short query finds {} first", a.display_name)
}

struct Rush<'a> {
    app: &'a App,
    db: PathBuf,
    expected: BTreeSet<i64>,
    keys: usize,
    scanner: usize,
    per_arrival: Vec<(String, usize, usize)>,
}

impl Rush<'_> {
    /// The operator types `keys` (each special key counts one).
    async fn op(&mut self, keys: &str) -> Step {
        self.keys += keys.chars().count();
        self.app.keyboard(keys).await
    }

    /// The operator presses `modifiers`+`key` (one key more than the key itself).
    async fn chord(&mut self, modifiers: &str, key: char) -> Step {
        self.keys += 1;
        self.app.chord(modifiers, key).await
    }

    /// The scanner types a code and Enter into whatever has the focus.
    async fn scan(&mut self, code: &str) -> Step {
        self.scanner += code.chars().count() + 1;
        self.app.keyboard(&format!("{code}{ENTER}")).await
    }

    /// `a` has arrived: the outcome names them, the box is empty with no card beside it, and
    /// exactly the people meant are checked in.
    async fn arrived(&mut self, a: &Attendee) -> Step {
        self.expected.insert(a.id);
        self.app.wait_contains("#arrival-outcome", &a.display_name).await?;
        self.settled().await?;
        self.per_arrival.push((a.display_name.clone(), self.keys, self.scanner));
        self.keys = 0;
        self.scanner = 0;
        Ok(())
    }

    /// The database holds exactly the expected check-ins; the box is empty and no card shows.
    async fn settled(&mut self) -> Step {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut seen = checked_in(&self.db);
        while seen != self.expected && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
            seen = checked_in(&self.db);
        }
        ensure(seen == self.expected, || {
            format!(
                "checked in: {seen:?}, meant: {:?} (after {} arrivals)",
                self.expected,
                self.per_arrival.len()
            )
        })?;
        self.app
            .wait_until("the box is empty", "return document.getElementById('arrival-search').value === ''")
            .await?;
        self.app
            .wait_until(
                "no person's card beside an empty box",
                "return document.getElementById('arrival-card').hidden",
            )
            .await
    }

    /// Types `query`, waits until the card shows `a` (as the operator looks before Enter).
    async fn find(&mut self, query: &str, a: &Attendee) -> Step {
        self.op(query).await?;
        self.app.wait_contains("#arrival-card-name", &a.display_name).await?;
        Ok(())
    }
}

#[tokio::test]
async fn twenty_one_arrivals_in_a_row_by_keyboard_and_scanner() {
    let _turn = turn().await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.sqlite3");
    let (people, tokens, queries, invited) = {
        let mut d = Desk::open(&db).unwrap();
        event_from_today(&mut d, 2, Some("130"));
        let bytes = std::fs::read(SAMPLE).unwrap();
        d.import(&bytes, &ImportOptions { mode: ImportMode::Register, ..Default::default() }).unwrap();
        d.import(
            b"given_name,family_name,category,delegation\nQuillon,Zephyrine,speaker,Aruba\n",
            &ImportOptions::default(),
        )
        .unwrap();
        let mut day1: Vec<Attendee> = d
            .list(&ListFilter { status: Some("registered".into()), ..Default::default() })
            .unwrap()
            .into_iter()
            .filter(|a| a.fields.days.contains(&1))
            .collect();
        day1.sort_by_key(|a| a.id);
        // Nine to scan (their badges printed), the next ones to find by name.
        let scanned: Vec<i64> = day1.iter().take(9).map(|a| a.id).collect();
        let req = BadgeRequest {
            selection: BadgeSelection::Ids(scanned.clone()),
            preset: "cr80".into(),
            reason: None,
            note: None,
        };
        d.print_badges(&req, &dir.path().join("badges.pdf")).unwrap();
        let c = rusqlite::Connection::open(&db).unwrap();
        let tokens: Vec<String> = scanned
            .iter()
            .map(|id| {
                c.query_row("SELECT token FROM badge_print WHERE attendee_id = ?1", [id], |r| r.get(0))
                    .unwrap()
            })
            .collect();
        let named: Vec<Attendee> = day1.into_iter().skip(9).take(12).collect();
        let queries: Vec<String> = named.iter().map(|a| query_for(&d, a)).collect();
        let invited = d.search("zephyrine", 1).unwrap().remove(0);
        assert_eq!(invited.status, Status::Invited);
        let mut people: Vec<Attendee> = scanned.iter().map(|id| d.attendee(*id).unwrap()).collect();
        people.extend(named);
        (people, tokens, queries, invited)
    };
    let (scanned, named) = people.split_at(9);
    let db2 = db.clone();
    drive(&db, &[], "rush", async |app: &App| {
        app.resize(1280, 800).await?;
        app.wait_contains("#arrival-day-note", "Today is day 1").await?;
        let mut r = Rush { app, db: db2.clone(), expected: BTreeSet::new(), keys: 0, scanner: 0, per_arrival: vec![] };

        // 1. A badge into the empty box.
        r.scan(&tokens[0]).await?;
        r.arrived(&scanned[0]).await?;
        // 2. By name, family name first, accent-free; Enter on the person shown.
        r.find(&queries[0], &named[0]).await?;
        r.op(ENTER).await?;
        r.arrived(&named[0]).await?;
        // 3. A search left in the box (the operator was interrupted), then a scan: the code
        //    is found where it ends the text, and no walk-in form opens.
        r.app.keyboard("bat").await?;
        r.app.wait_contains("#arrival-count", "found").await?;
        r.scan(&tokens[1]).await?;
        r.arrived(&scanned[1]).await?;
        let view = r.app.js("return document.getElementById('view-arrival').hidden").await?;
        ensure(view == false, || "a scan after leftover text left the arrival view".into())?;
        // 4, 5. A name and Enter, and the scanner right after it, without waiting.
        r.find(&queries[1], &named[1]).await?;
        r.op(ENTER).await?;
        let keys = std::mem::take(&mut r.keys);
        r.expected.insert(named[1].id);
        r.scan(&tokens[2]).await?;
        r.arrived(&scanned[2]).await?;
        r.per_arrival.insert(r.per_arrival.len() - 1, (named[1].display_name.clone(), keys, 0));
        // 6. The wrong person checked in, undone by keyboard (Tab to Undo, the reason, Enter),
        //    then the right one.
        r.find(&queries[3], &named[3]).await?;
        r.op(ENTER).await?;
        r.expected.insert(named[3].id);
        r.app.wait_contains("#arrival-outcome", &named[3].display_name).await?;
        r.settled().await?;
        r.app.screenshot("rush-wrong-person").await;
        r.op(&TAB.to_string()).await?;
        ensure(r.app.focused_id().await? == "arrival-outcome-undo", || "Tab from the box reaches Undo".into())?;
        // The button says whom it undoes: the card beside it may be someone else's.
        let label = r.app.js("return document.activeElement.textContent").await?;
        let label = label.as_str().unwrap_or_default().to_owned();
        ensure(label == format!("Undo check-in of {}…", named[3].display_name), || format!("Undo reads {label:?}"))?;
        r.op(ENTER).await?;
        ensure(r.app.focused_id().await? == "arrival-undo-reason", || "the reason takes the focus".into())?;
        r.app.screenshot("rush-undo").await;
        // The scanner fires as the operator presses Enter: the code must reach the search box
        // whole, not the reason field nor a box emptied when the undo comes back.
        // (One chain of keys: the scanner's follow the operator's Enter without a pause.)
        r.keys += "wrong person".chars().count() + 1;
        r.scanner += tokens[8].chars().count() + 1;
        r.app.keyboard(&format!("wrong person{ENTER}{}{ENTER}", tokens[8])).await?;
        r.expected.remove(&named[3].id);
        r.arrived(&scanned[8]).await?;
        r.find(&queries[2], &named[2]).await?;
        r.op(ENTER).await?;
        r.arrived(&named[2]).await?;
        // 7. A misread scan (one letter wrong): refused, nothing written; the rescan works.
        let mut misread: Vec<char> = tokens[3].chars().collect();
        let last = misread.len() - 2;
        misread[last] = if misread[last] == 'A' { 'B' } else { 'A' };
        r.scan(&misread.into_iter().collect::<String>()).await?;
        r.app.wait_until("the misread scan is refused", "return document.getElementById('arrival-outcome').classList.contains('danger')").await?;
        r.settled().await?;
        r.app.screenshot("rush-misread").await;
        r.scan(&tokens[3]).await?;
        r.arrived(&scanned[3]).await?;
        // 8. An invited person: one key registers and checks in.
        r.find("zeph", &invited).await?;
        r.op(ENTER).await?;
        r.arrived(&Desk::open(&db2).unwrap().attendee(invited.id).map_err(|e| e.to_string())?).await?;
        // 9. A walk-in: nobody found, Enter opens Register with the words in proper case; the
        //    delegation and category by keyboard, Enter registers; Shift+Tab to Print badge and
        //    Check in; back to Arrival with Alt+1.
        r.op("nadia walker").await?;
        r.app.wait_contains("#arrival-count", "Nobody found").await?;
        r.op(ENTER).await?;
        r.app.wait_until("the walk-in is named", "return document.getElementById('reg-familyName').value === 'Walker' && document.getElementById('reg-givenName').value === 'Nadia'").await?;
        for _ in 0..6 {
            r.op(&TAB.to_string()).await?;
        }
        ensure(r.app.focused_id().await? == "reg-delegation", || "six Tabs reach the delegation".into())?;
        r.op("Barbados").await?;
        r.op(&TAB.to_string()).await?;
        r.op("d").await?; // Delegate
        r.op(ENTER).await?;
        r.app.wait_contains("#register-result", "Registered").await?;
        r.chord(SHIFT, TAB).await?;
        r.chord(SHIFT, TAB).await?;
        ensure(r.app.focused_id().await? == "reg-print", || "Shift+Tab twice reaches Print badge".into())?;
        r.op(ENTER).await?;
        r.app.wait_contains("#register-result", "saved as PDF").await?;
        r.op(&TAB.to_string()).await?;
        r.op(ENTER).await?;
        r.app.wait_contains("#register-follow", "checked in").await?;
        r.app.screenshot("rush-walk-in").await;
        let walk_in = Desk::open(&db2).unwrap().search("nadia walker", 1).map_err(|e| e.to_string())?.remove(0);
        ensure(walk_in.fields.delegation == "Barbados", || format!("{:?}", walk_in.fields.delegation))?;
        r.chord("\u{E00A}", '1').await?;
        r.app.wait_until("back on Arrival", "return !document.getElementById('view-arrival').hidden").await?;
        r.expected.insert(walk_in.id);
        r.settled().await?;
        r.per_arrival.push((walk_in.display_name.clone(), r.keys, r.scanner));
        r.keys = 0;
        // 11–21: scans and names in turn; one name typed with Enter at once, before its
        // results can have come.
        for i in 4..8 {
            if i == 6 {
                // The operator opens the undo of the last arrival and thinks better of it: the
                // next badge is scanned into the reason field. It is scanned; the check-in
                // stays, and the undo form is gone.
                r.op(&TAB.to_string()).await?;
                ensure(r.app.focused_id().await? == "arrival-outcome-undo", || "Tab from the box reaches Undo".into())?;
                r.op(ENTER).await?;
                ensure(r.app.focused_id().await? == "arrival-undo-reason", || "the reason takes the focus".into())?;
            }
            r.scan(&tokens[i]).await?;
            r.arrived(&scanned[i]).await?;
            if i == 6 {
                let gone = r.app.js("return document.getElementById('arrival-undo-reason') === null").await?;
                ensure(gone == true, || "the undo form stayed after the scan".into())?;
            }
            let n = i;
            if i == 4 {
                r.op(&format!("{}{ENTER}", queries[n])).await?;
            } else {
                r.find(&queries[n], &named[n]).await?;
                r.op(ENTER).await?;
            }
            r.arrived(&named[n]).await?;
        }
        for n in 8..11 {
            r.find(&queries[n], &named[n]).await?;
            r.op(ENTER).await?;
            r.arrived(&named[n]).await?;
        }
        r.app.screenshot("rush-end").await;
        ensure(r.per_arrival.len() == 21, || format!("{} arrivals", r.per_arrival.len()))?;
        let mut keys: Vec<usize> = r.per_arrival.iter().map(|p| p.1).collect();
        keys.sort_unstable();
        eprintln!(
            "rush: operator keys per arrival, median {} and worst {} (scanner keys apart): {:?}",
            keys[keys.len() / 2],
            keys[keys.len() - 1],
            r.per_arrival
        );
        // The page never scrolled sideways.
        let wide = r
            .app
            .js("const main = document.getElementById('main');
                 main.scrollLeft = 500;
                 const moved = main.scrollLeft; main.scrollLeft = 0;
                 const w = main.getBoundingClientRect().left + main.clientWidth;
                 const out = moved ? [`the view scrolls sideways by ${moved} px`] : [];
                 for (const e of main.querySelectorAll('*')) {
                   if (e.getBoundingClientRect().right > w + 1) out.push(`${e.tagName}#${e.id}.${e.className} ends at ${Math.round(e.getBoundingClientRect().right)}`);
                 }
                 const it = document.createTreeWalker(main, NodeFilter.SHOW_TEXT); let n;
                 while ((n = it.nextNode())) { const r = document.createRange(); r.selectNodeContents(n);
                   if (r.getBoundingClientRect().right > w + 1) out.push(`text ${JSON.stringify(n.textContent.slice(0, 40))} ends at ${Math.round(r.getBoundingClientRect().right)}`); }
                 return out.slice(0, 8);")
            .await?;
        ensure(wide.as_array().is_some_and(Vec::is_empty), || format!("wider than the 1280 × 800 window: {wide}"))
    })
    .await;
    // The undone check-in is kept, with its reason.
    let d = Desk::open(&db).unwrap();
    let card = d.arrival_card(named[3].id, Some(1)).unwrap();
    assert!(card.checkin.is_none());
    assert_eq!(card.history[0].undo_reason.as_deref(), Some("wrong person"));
    assert_eq!(checked_in(&db).len(), 21);
}
