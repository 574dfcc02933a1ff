//! The coordinator PIN: which actions need it, and how it is set, checked and kept.
//!
//! Coordinator-only actions are changing the event settings (capacity included), seat
//! allocations, imports, acknowledging a PIN reset, and undoing a check-in that this desk (this
//! window, this CLI process) did not make — who made a check-in is judged by the desk that
//! wrote it, never by an operator name anyone can type. Once a PIN is set, every front end
//! asks for it: those actions answer [`Error::CoordinatorOnly`] until the PIN is entered
//! ([`Desk::unlock`]), and stay open for [`UNLOCKED_FOR`] after the last one. Before any PIN
//! is set the window asks for one to be set first ([`Desk::guard_coordinator_actions`]); the
//! CLI lets the coordinator work.
//!
//! The PIN is stored only as an argon2id hash with a random salt (a PHC string), in the
//! database, so every desk on the same database asks for the same PIN. Wrong tries are
//! counted in the database too, so that no restart, second window, CLI process or demo switch
//! forgets them: after [`TRIES`] wrong PINs in a row the next try waits [`WAIT_AFTER_TRIES`],
//! doubled after each further wrong try (at most [`LONGEST_WAIT`]). Changing the PIN needs the
//! current one; a forgotten PIN is replaced by [`Desk::reset_pin`] (the CLI's `pin reset`),
//! which is audited and shown in every window until a coordinator acknowledges it.

use crate::desk::Desk;
use crate::error::{Error, Result};
use crate::params;
use crate::store::records::{audit, now, stored_pin, StoredPin};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::time::Duration;

/// The fewest characters a PIN has.
pub const PIN_MIN: usize = 6;
/// The most characters a PIN has.
pub const PIN_MAX: usize = 64;
pub use crate::desk::guard::UNLOCKED_FOR;
/// Wrong PINs in a row before the desk makes the next try wait.
pub const TRIES: u32 = 5;
/// The wait after [`TRIES`] wrong PINs; doubled after each further wrong one.
pub const WAIT_AFTER_TRIES: Duration = Duration::from_secs(60);
/// The longest wait between two tries, however many were wrong.
pub const LONGEST_WAIT: Duration = Duration::from_secs(24 * 60 * 60);

/// What the window shows about the PIN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PinStatus {
    /// Whether this desk asks for a PIN to be set before the first coordinator action (the
    /// window does; the CLI lets the coordinator work until one is set).
    pub guarded: bool,
    /// Whether a PIN has been set for this database.
    pub set: bool,
    /// Whether coordinator actions are open now.
    pub unlocked: bool,
    /// Seconds until they close again (0 when closed).
    pub seconds_left: u64,
    /// When the PIN was set (RFC 3339 UTC), and by whom.
    pub set_at: Option<String>,
    /// The operator who set it.
    pub set_by: Option<String>,
    /// Wrong PINs in a row so far (counted in the database).
    pub wrong_tries: u32,
    /// Seconds until the next try is possible (0: now).
    pub wait_seconds: u64,
    /// When the PIN was reset as forgotten (`pin reset`), until a coordinator acknowledges it.
    pub reset_at: Option<String>,
    /// Who reset it.
    pub reset_by: Option<String>,
}

/// The wait before the next try after `failures` wrong PINs in a row: none below [`TRIES`],
/// then [`WAIT_AFTER_TRIES`] doubled for each wrong try beyond, at most [`LONGEST_WAIT`].
pub fn wait_after(failures: u32) -> Duration {
    if failures < TRIES {
        return Duration::ZERO;
    }
    let doublings = (failures - TRIES).min(20);
    WAIT_AFTER_TRIES.saturating_mul(1u32 << doublings).min(LONGEST_WAIT)
}

/// How long tries must still wait at `now`. A wait that ends further ahead than its own
/// length (the clock was set back since it began, or another desk's clock is ahead) counts as
/// its length from now; the first try refused by it stores that end ([`runs_from_now`]), so
/// that it runs down instead of starting again at every look.
fn waiting(row: &StoredPin, now: DateTime<Utc>) -> Duration {
    let Some(until) = row.wait_until.as_deref().and_then(|t| DateTime::parse_from_rfc3339(t).ok()) else {
        return Duration::ZERO;
    };
    let left = (until.with_timezone(&Utc) - now).to_std().unwrap_or(Duration::ZERO);
    left.min(wait_after(row.failures))
}

/// A wait that ends further ahead than its own length was set by a clock ahead of this desk's
/// (another desk's, or this one's before it was set back): [`waiting`] counts it as its whole
/// length at every look, until this clock catches up — hours, for a desk whose clock was hours
/// ahead, during which no PIN could be typed anywhere. The end it is given instead, its length
/// from `now` (RFC 3339), so that it runs down at this desk; `None` for a wait that does.
fn runs_from_now(row: &StoredPin, now: DateTime<Utc>) -> Option<String> {
    let until = DateTime::parse_from_rfc3339(row.wait_until.as_deref()?).ok()?.with_timezone(&Utc);
    let length = wait_after(row.failures);
    let ahead = until - now;
    if ahead.to_std().ok()? <= length {
        return None;
    }
    let end = now.checked_add_signed(chrono::TimeDelta::from_std(length).ok()?)?;
    Some(end.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}

/// "45 s", "2 min", "1 h 4 min".
fn say_duration(d: Duration) -> String {
    let s = d.as_secs().max(1);
    match s {
        0..=119 => format!("{s} s"),
        120..=3599 => format!("{} min", s.div_ceil(60)),
        _ => format!("{} h {} min", s / 3600, (s % 3600) / 60),
    }
}

/// Refuses a PIN that is too short, too long, or holds control characters or outer spaces.
pub fn check_pin(pin: &str) -> Result<()> {
    let n = pin.chars().count();
    if n < PIN_MIN {
        return Err(Error::invalid("pin", format!("The PIN needs at least {PIN_MIN} characters")));
    }
    if n > PIN_MAX {
        return Err(Error::invalid("pin", format!("The PIN can have at most {PIN_MAX} characters")));
    }
    if pin.chars().any(char::is_control) {
        return Err(Error::invalid("pin", "The PIN cannot contain control characters"));
    }
    if pin.trim() != pin {
        return Err(Error::invalid("pin", "The PIN cannot start or end with a space"));
    }
    Ok(())
}

/// The PIN as it is hashed: in Unicode's composed form (NFC), so that "é" typed as one
/// character at one desk and as "e" + accent at another is the same PIN.
fn composed(pin: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    pin.nfc().collect()
}

fn hash(pin: &str) -> Result<String> {
    let pin = composed(pin);
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| Error::Internal(format!("No random salt from the OS: {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| Error::Internal(format!("salt: {e}")))?;
    Ok(Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map_err(|e| Error::Internal(format!("The PIN could not be hashed: {e}")))?
        .to_string())
}

fn matches(pin: &str, phc: &str) -> Result<bool> {
    let parsed = PasswordHash::new(phc)
        .map_err(|e| Error::Storage(format!("The stored coordinator PIN is damaged ({e}); replace it with the CLI: delegate-desk-cli pin reset")))?;
    // Composed first (as hashed now); then as typed and decomposed, for a PIN hashed as it was
    // typed before the PIN was composed (the same text can have been hashed in either form).
    use unicode_normalization::UnicodeNormalization;
    let mut forms = vec![composed(pin)];
    for other in [pin.to_owned(), pin.nfd().collect()] {
        if !forms.contains(&other) {
            forms.push(other);
        }
    }
    Ok(forms.iter().any(|f| Argon2::default().verify_password(f.as_bytes(), &parsed).is_ok()))
}

impl Desk {
    /// From now on this desk asks for a PIN to be set before the first coordinator action (the
    /// window calls this once after opening; once a PIN is set, every desk asks for it).
    pub fn guard_coordinator_actions(&mut self) {
        self.guard.ask_first_pin = true;
    }

    /// Whether a PIN is set, whether coordinator actions are open now, and the wrong tries.
    pub fn pin_status(&self) -> Result<PinStatus> {
        let row = stored_pin(&self.db)?;
        // Whole seconds left, rounded up: open until the last millisecond.
        // Opened with a PIN changed since (at any desk): closed.
        let open = self.is_open(row.as_ref().map(|r| r.hash.as_str()));
        let left = self
            .guard
            .unlocked_until
            .filter(|_| open)
            .map_or(0, |t| (t.left().as_millis() as u64).div_ceil(1000));
        let open_without_pin = row.is_none() && !self.guard.ask_first_pin;
        let wait = row.as_ref().map_or(Duration::ZERO, |r| waiting(r, Utc::now()));
        Ok(PinStatus {
            guarded: self.guard.ask_first_pin,
            set: row.is_some(),
            unlocked: open_without_pin || left > 0,
            seconds_left: left,
            set_at: row.as_ref().map(|r| r.set_at.clone()),
            set_by: row.as_ref().map(|r| r.set_by.clone()),
            wrong_tries: row.as_ref().map_or(0, |r| r.failures),
            wait_seconds: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
            reset_at: row.as_ref().and_then(|r| r.reset_at.clone()),
            reset_by: row.as_ref().and_then(|r| r.reset_by.clone()),
        })
    }

    /// Sets the coordinator PIN. The first PIN can be set by anyone at the desk (it is then
    /// asked for every coordinator action, in every front end); setting it happens in the
    /// transaction that checks there is none, so two desks setting a first PIN at once cannot
    /// both succeed. Changing it needs the current PIN typed, `current` (checked and counted
    /// like any try): coordinator actions left open at this desk are not enough. Writes an
    /// audit row (without the PIN or its hash) and opens the coordinator actions of this desk.
    pub fn set_pin(&mut self, current: Option<&str>, pin: &str) -> Result<PinStatus> {
        check_pin(pin)?;
        let had = stored_pin(&self.db)?;
        if had.is_some() {
            // The current PIN, typed: coordinator actions left open at this desk are not
            // enough to replace it (anyone at an open window could lock the coordinator out).
            match current {
                // Wrong, it is the current PIN that is wrong, not the new one.
                Some(c) => self.try_pin(c).map_err(|e| e.on_field("pin", "current"))?,
                None => {
                    return Err(Error::invalid("current", "Type the current coordinator PIN to change it"))
                }
            };
        }
        let phc = hash(pin)?;
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let now_stored = stored_pin(&tx)?;
        match (&had, &now_stored) {
            (None, Some(other)) => {
                return Err(Error::Conflict(format!(
                    "A coordinator PIN was set meanwhile (by {}, {}): enter that PIN to change it",
                    other.set_by, other.set_at
                )))
            }
            // Changed or reset at another desk since the current PIN was checked here: the
            // PIN typed as current is no longer it, and the new one is not put in its place.
            (Some(was), Some(other)) if was.hash != other.hash => {
                return Err(Error::Conflict(format!(
                    "The coordinator PIN was changed meanwhile (by {}, {}): the PIN was not changed; enter the new one to change it",
                    other.set_by, other.set_at
                )))
            }
            _ => {}
        }
        let at = now();
        tx.execute(
            "INSERT INTO coordinator_pin (id, hash, set_at, set_by, failures, wait_until) VALUES (1, ?1, ?2, ?3, 0, NULL)
             ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, set_at = excluded.set_at, set_by = excluded.set_by,
                                            failures = 0, wait_until = NULL",
            params![phc, at, operator.name],
        )?;
        let action = if had.is_some() { "pin.change" } else { "pin.set" };
        audit(&tx, &operator, action, None, None::<&()>, None::<&()>)?;
        tx.commit()?;
        self.open_with(phc);
        self.pin_status()
    }

    /// Replaces a forgotten PIN without the old one (the CLI's `pin reset`, for whoever can
    /// reach the database). The reset is written in the audit and shown in every window until
    /// a coordinator acknowledges it ([`Desk::acknowledge_pin_reset`]); the wrong tries start
    /// again from zero.
    pub fn reset_pin(&mut self, pin: &str) -> Result<PinStatus> {
        check_pin(pin)?;
        let phc = hash(pin)?;
        let operator = self.operator.clone();
        let tx = self.begin()?;
        if stored_pin(&tx)?.is_none() {
            return Err(Error::Conflict(
                "No coordinator PIN is set, so there is none to reset: set one with `pin set`".into(),
            ));
        }
        let at = now();
        tx.execute(
            "UPDATE coordinator_pin SET hash = ?1, set_at = ?2, set_by = ?3, failures = 0, wait_until = NULL,
                    reset_at = ?2, reset_by = ?3 WHERE id = 1",
            params![phc, at, operator.name],
        )?;
        let record = serde_json::json!({"resetAt": at, "desk": operator.desk});
        audit(&tx, &operator, "pin.reset", None, None::<&()>, Some(&record))?;
        tx.commit()?;
        self.pin_status()
    }

    /// A coordinator has seen that the PIN was reset: the windows stop saying so. A
    /// coordinator action (audited).
    pub fn acknowledge_pin_reset(&mut self) -> Result<PinStatus> {
        self.coordinator_only("Acknowledging the PIN reset")?;
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let Some(row) = stored_pin(&tx)? else {
            return Err(Error::Conflict("No coordinator PIN is set".into()));
        };
        let Some(reset_at) = row.reset_at else {
            drop(tx);
            return self.pin_status();
        };
        tx.execute("UPDATE coordinator_pin SET reset_at = NULL, reset_by = NULL WHERE id = 1", params![])?;
        let record = serde_json::json!({"resetAt": reset_at, "resetBy": row.reset_by});
        audit(&tx, &operator, "pin.reset.acknowledge", None, Some(&record), None::<&()>)?;
        tx.commit()?;
        self.pin_status()
    }

    /// Opens the coordinator actions of this desk for [`UNLOCKED_FOR`] if `pin` is the
    /// coordinator PIN. A wrong PIN is counted in the database and says how many tries are
    /// left; after [`TRIES`] wrong ones tries wait (see [`wait_after`]).
    pub fn unlock(&mut self, pin: &str) -> Result<PinStatus> {
        let hash = self.try_pin(pin)?;
        self.open_with(hash);
        self.pin_status()
    }

    /// Check one try of the PIN, counting it in the database: a right one clears the count, a
    /// wrong one adds to it (and sets the wait); while tries wait, none is checked. Returns the
    /// hash of the stored PIN that matched.
    fn try_pin(&mut self, pin: &str) -> Result<String> {
        // Nothing typed is no try (a held or repeated Enter in the PIN box): no PIN is empty,
        // so refusing it without counting says nothing about the PIN.
        if pin.is_empty() {
            return Err(Error::invalid("pin", "Type the coordinator PIN"));
        }
        let Some(row) = stored_pin(&self.db)? else {
            return Err(Error::Conflict("No coordinator PIN is set yet: set one first".into()));
        };
        let now = Utc::now();
        let wait = waiting(&row, now);
        // A wait set by a clock ahead of this one goes on to be made to run down here, below.
        if !wait.is_zero() && runs_from_now(&row, now).is_none() {
            return Err(too_many(wait));
        }
        let checked = wait.is_zero();
        // The slow hash is checked outside the write transaction, so that other desks do not
        // wait for it; the count is then written in one.
        let right = checked && pin.chars().count() <= PIN_MAX && matches(pin, &row.hash)?;
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let Some(now_row) = stored_pin(&tx)? else {
            return Err(Error::Conflict("The coordinator PIN was removed meanwhile".into()));
        };
        let now_at = Utc::now();
        let wait = waiting(&now_row, now_at);
        if !wait.is_zero() {
            if let Some(until) = runs_from_now(&now_row, now_at) {
                tx.execute("UPDATE coordinator_pin SET wait_until = ?1 WHERE id = 1", params![until])?;
                tx.commit()?;
            }
            return Err(too_many(wait));
        }
        if !checked {
            // The wait ended meanwhile (a reset at another desk): this PIN was not checked.
            return Err(Error::Conflict("The wait for the PIN ended meanwhile: type it again".into()));
        }
        if now_row.hash != row.hash {
            return Err(Error::Conflict(
                "The coordinator PIN was changed meanwhile: enter the new one".into(),
            ));
        }
        if right {
            if now_row.failures > 0 || now_row.wait_until.is_some() {
                tx.execute(
                    "UPDATE coordinator_pin SET failures = 0, wait_until = NULL WHERE id = 1",
                    params![],
                )?;
                tx.commit()?;
            }
            return Ok(now_row.hash);
        }
        let failures = now_row.failures.saturating_add(1);
        let wait = wait_after(failures);
        let until = (!wait.is_zero())
            .then(|| chrono::TimeDelta::from_std(wait).ok().and_then(|d| now_at.checked_add_signed(d)))
            .flatten()
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
        tx.execute(
            "UPDATE coordinator_pin SET failures = ?1, wait_until = ?2 WHERE id = 1",
            params![i64::from(failures), until],
        )?;
        let record = serde_json::json!({"wrongTries": failures, "waitSeconds": wait.as_secs()});
        audit(&tx, &operator, "pin.wrong", None, None::<&()>, Some(&record))?;
        tx.commit()?;
        if wait.is_zero() {
            let left = TRIES - failures;
            return Err(Error::invalid(
                "pin",
                format!("Wrong PIN ({left} {} left)", if left == 1 { "try" } else { "tries" }),
            ));
        }
        Err(Error::invalid(
            "pin",
            format!(
                "Wrong PIN, {failures} times in a row: the next try is possible in {}",
                say_duration(wait)
            ),
        ))
    }
}

fn too_many(wait: Duration) -> Error {
    Error::Conflict(format!("Too many wrong PINs: the next try is possible in {}", say_duration(wait)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_at_the_edges_of_their_length_and_content() {
        assert!(check_pin("12345").is_err());
        assert!(check_pin("123456").is_ok());
        assert!(check_pin(&"9".repeat(PIN_MAX)).is_ok());
        assert!(check_pin(&"9".repeat(PIN_MAX + 1)).is_err());
        assert!(check_pin("ñøß€日本語").is_ok(), "six characters, not six bytes");
        assert!(check_pin("12345\u{0}6").is_err());
        assert!(check_pin(" 123456").is_err());
        assert!(check_pin("123456\n").is_err());
    }

    #[test]
    fn the_wait_doubles_after_five_wrong_tries_and_is_bounded() {
        assert_eq!(wait_after(0), Duration::ZERO);
        assert_eq!(wait_after(TRIES - 1), Duration::ZERO);
        assert_eq!(wait_after(TRIES), Duration::from_secs(60));
        assert_eq!(wait_after(TRIES + 1), Duration::from_secs(120));
        assert_eq!(wait_after(TRIES + 2), Duration::from_secs(240));
        assert_eq!(wait_after(TRIES + 10), Duration::from_secs(60 * 1024));
        assert_eq!(wait_after(TRIES + 11), LONGEST_WAIT);
        assert_eq!(wait_after(u32::MAX), LONGEST_WAIT);
    }

    #[test]
    fn a_wait_set_before_the_clock_went_back_is_no_longer_than_its_own_length() {
        let row = |failures: u32, until: &str| StoredPin {
            hash: String::new(),
            set_at: String::new(),
            set_by: String::new(),
            failures,
            wait_until: Some(until.to_string()),
            reset_at: None,
            reset_by: None,
        };
        let now = DateTime::parse_from_rfc3339("2026-12-04T12:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(waiting(&row(5, "2026-12-04T12:00:30Z"), now), Duration::from_secs(30));
        assert_eq!(waiting(&row(5, "2026-12-04T11:59:00Z"), now), Duration::ZERO);
        // The clock was a day ahead when the wait began, and has been corrected since.
        assert_eq!(waiting(&row(5, "2026-12-05T12:01:00Z"), now), Duration::from_secs(60));
        assert_eq!(waiting(&row(5, "not a time"), now), Duration::ZERO);
        // Such a wait is given its length from now, so that it runs down; the others are kept.
        assert_eq!(
            runs_from_now(&row(5, "2026-12-05T12:01:00Z"), now).as_deref(),
            Some("2026-12-04T12:01:00.000Z")
        );
        assert_eq!(
            runs_from_now(&row(6, "2026-12-04T17:00:00Z"), now).as_deref(),
            Some("2026-12-04T12:02:00.000Z")
        );
        assert_eq!(runs_from_now(&row(5, "2026-12-04T12:01:00Z"), now), None, "exactly its length");
        assert_eq!(runs_from_now(&row(5, "2026-12-04T12:00:30Z"), now), None);
        assert_eq!(runs_from_now(&row(5, "2026-12-04T11:00:00Z"), now), None, "over");
        assert_eq!(runs_from_now(&row(5, "not a time"), now), None);
    }

    #[test]
    fn the_hash_is_salted_argon2id_and_holds_no_pin() {
        let a = hash("246810").unwrap();
        let b = hash("246810").unwrap();
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "same PIN, different salt, different hash");
        assert!(!a.contains("246810"));
        assert!(matches("246810", &a).unwrap());
        assert!(matches("246810", &b).unwrap());
        assert!(!matches("246811", &a).unwrap());
        assert!(!matches("", &a).unwrap());
        assert!(matches("246810", "not a hash").is_err());
    }

    /// The same PIN in either Unicode form ("é" as one character, or "e" and a combining
    /// accent, as input methods differ) opens; a PIN differing by the accent alone does not.
    #[test]
    fn a_pin_with_accents_matches_in_either_unicode_form() {
        let (one, two) = ("Caf\u{e9}-2468", "Cafe\u{301}-2468");
        for (set, typed) in [(one, two), (two, one), (one, one), (two, two)] {
            assert!(matches(typed, &hash(set).unwrap()).unwrap(), "{set:?} set, {typed:?} typed");
        }
        assert!(!matches("Cafe-2468", &hash(one).unwrap()).unwrap());
        // A PIN hashed as typed (decomposed) before PINs were composed still opens with both.
        let salt = SaltString::encode_b64(&[7u8; 16]).unwrap();
        let old = Argon2::default().hash_password(two.as_bytes(), &salt).unwrap().to_string();
        assert!(matches(one, &old).unwrap() && matches(two, &old).unwrap());
        assert!(!matches("Cafe-2468", &old).unwrap());
    }
}
