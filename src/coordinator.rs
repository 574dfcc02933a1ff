//! The coordinator PIN: which actions need it, and how it is set, checked and kept.
//!
//! Coordinator-only actions are changing the event settings (capacity included), seat
//! allocations, imports, and undoing a check-in made by another operator. The window opens its
//! desk with [`Desk::guard_coordinator_actions`]; from then on those actions answer
//! [`Error::CoordinatorOnly`] until the PIN is entered ([`Desk::unlock`]), and stay open for
//! [`UNLOCKED_FOR`] after the last one. The CLI is the coordinator's own tool: a desk opened
//! by [`Desk::open`] has no guard, and `delegate-desk-cli pin set` replaces a forgotten PIN.
//!
//! The PIN is stored only as an argon2id hash with a random salt (a PHC string), in the
//! database, so every desk on the same database asks for the same PIN. After [`TRIES`] wrong
//! PINs in a row the desk refuses further tries for [`WAIT_AFTER_TRIES`].

use crate::desk::Desk;
use crate::error::{Error, Result};
use crate::params;
use crate::store::db::Db;
use crate::store::records::{audit, now};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use serde::Serialize;
use std::time::{Duration, Instant};

/// The fewest characters a PIN has.
pub const PIN_MIN: usize = 6;
/// The most characters a PIN has.
pub const PIN_MAX: usize = 64;
/// How long the coordinator actions stay open after the PIN or the last such action.
pub const UNLOCKED_FOR: Duration = Duration::from_secs(5 * 60);
/// Wrong PINs in a row before the desk makes the next try wait.
pub const TRIES: u32 = 5;
/// The wait after [`TRIES`] wrong PINs.
pub const WAIT_AFTER_TRIES: Duration = Duration::from_secs(60);

/// The window's lock on coordinator actions (kept in memory, per desk).
#[derive(Debug, Default)]
pub(crate) struct Guard {
    unlocked_until: Option<Instant>,
    failures: u32,
    wait_until: Option<Instant>,
}

/// What the window shows about the PIN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PinStatus {
    /// Whether this desk asks for the PIN at all (the window does; the CLI does not).
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
}

fn stored(db: &Db) -> Result<Option<(String, String, String)>> {
    db.query_opt("SELECT hash, set_at, set_by FROM coordinator_pin WHERE id = 1", params![], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })
}

/// Refuses a PIN that is too short, too long, or holds control characters or outer spaces.
fn check_pin(pin: &str) -> Result<()> {
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

fn hash(pin: &str) -> Result<String> {
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
        .map_err(|e| Error::Storage(format!("The stored coordinator PIN is damaged ({e}); set a new one with the CLI: delegate-desk-cli pin set")))?;
    Ok(Argon2::default().verify_password(pin.as_bytes(), &parsed).is_ok())
}

impl Desk {
    /// From now on coordinator-only actions of this desk need the PIN (the window calls this
    /// once after opening).
    pub fn guard_coordinator_actions(&mut self) {
        self.guard = Some(Guard::default());
    }

    /// Whether a PIN is set and whether coordinator actions are open now.
    pub fn pin_status(&self) -> Result<PinStatus> {
        let row = stored(&self.db)?;
        // Whole seconds left, rounded up: open until the last millisecond.
        let left = self.guard.as_ref().map(|g| {
            g.unlocked_until.map_or(0, |t| {
                (t.saturating_duration_since(Instant::now()).as_millis() as u64).div_ceil(1000)
            })
        });
        let (set_at, set_by) =
            row.as_ref().map(|(_, at, by)| (Some(at.clone()), Some(by.clone()))).unwrap_or_default();
        Ok(PinStatus {
            guarded: self.guard.is_some(),
            set: row.is_some(),
            unlocked: left.is_none_or(|s| s > 0),
            seconds_left: left.unwrap_or(0),
            set_at,
            set_by,
        })
    }

    /// Sets the coordinator PIN. The first PIN can be set by anyone at the desk (it is then
    /// asked for every coordinator action); changing it in the window needs the coordinator
    /// actions open; the CLI (no guard) can always set it, which is how a forgotten PIN is
    /// replaced. Writes an audit row (without the PIN or its hash). Opens the coordinator
    /// actions of this desk.
    pub fn set_pin(&mut self, pin: &str) -> Result<PinStatus> {
        check_pin(pin)?;
        let had = stored(&self.db)?.is_some();
        if had {
            self.coordinator_only("Changing the coordinator PIN")?;
        }
        let phc = hash(pin)?;
        let operator = self.operator.clone();
        let tx = self.begin()?;
        let at = now();
        tx.execute(
            "INSERT INTO coordinator_pin (id, hash, set_at, set_by) VALUES (1, ?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, set_at = excluded.set_at, set_by = excluded.set_by",
            params![phc, at, operator.name],
        )?;
        let action = if had { "pin.change" } else { "pin.set" };
        audit(&tx, &operator, action, None, None::<&()>, None::<&()>)?;
        tx.commit()?;
        if let Some(g) = &mut self.guard {
            g.unlocked_until = Some(Instant::now() + UNLOCKED_FOR);
            g.failures = 0;
        }
        self.pin_status()
    }

    /// Opens the coordinator actions of this desk for [`UNLOCKED_FOR`] if `pin` is the
    /// coordinator PIN. A wrong PIN says how many tries are left; after [`TRIES`] wrong ones
    /// the desk refuses tries for [`WAIT_AFTER_TRIES`].
    pub fn unlock(&mut self, pin: &str) -> Result<PinStatus> {
        let Some((phc, _, _)) = stored(&self.db)? else {
            return Err(Error::Conflict("No coordinator PIN is set yet: set one first".into()));
        };
        let Some(g) = &mut self.guard else {
            return self.pin_status();
        };
        let now = Instant::now();
        if let Some(until) = g.wait_until.filter(|&t| t > now) {
            let secs = until.duration_since(now).as_secs().max(1);
            return Err(Error::Conflict(format!("Too many wrong PINs: try again in {secs} s")));
        }
        if pin.chars().count() > PIN_MAX || !matches(pin, &phc)? {
            g.failures += 1;
            if g.failures >= TRIES {
                g.failures = 0;
                g.wait_until = Some(now + WAIT_AFTER_TRIES);
                return Err(Error::invalid(
                    "pin",
                    format!(
                        "Wrong PIN, {TRIES} times: the next try is possible in {} s",
                        WAIT_AFTER_TRIES.as_secs()
                    ),
                ));
            }
            let left = TRIES - g.failures;
            return Err(Error::invalid(
                "pin",
                format!("Wrong PIN ({left} {} left)", if left == 1 { "try" } else { "tries" }),
            ));
        }
        g.failures = 0;
        g.wait_until = None;
        g.unlocked_until = Some(now + UNLOCKED_FOR);
        self.pin_status()
    }

    /// Closes the coordinator actions of this desk (the coordinator leaves the desk).
    pub fn lock(&mut self) {
        if let Some(g) = &mut self.guard {
            g.unlocked_until = None;
        }
    }

    /// Refuses `what` (e.g. "Changing the event settings") unless coordinator actions are
    /// open; an allowed action keeps them open for another [`UNLOCKED_FOR`].
    pub(crate) fn coordinator_only(&mut self, what: &str) -> Result<()> {
        let Some(g) = &mut self.guard else { return Ok(()) };
        let now = Instant::now();
        if g.unlocked_until.is_some_and(|t| t > now) {
            g.unlocked_until = Some(now + UNLOCKED_FOR);
            return Ok(());
        }
        g.unlocked_until = None;
        let set = stored(&self.db)?.is_some();
        Err(Error::CoordinatorOnly(if set {
            format!("{what} is for the coordinator: enter the coordinator PIN")
        } else {
            format!("{what} is for the coordinator: set a coordinator PIN first (it will be asked for such actions from then on)")
        }))
    }
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
}
