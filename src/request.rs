//! Request ids: a change is applied once, however often it is sent.
//!
//! The window gives every change it sends an id of its own (a random UUID), and sends the same
//! id again when it retries that change. [`Desk::once`] stores the id with the change's result
//! in the change's own transaction ([`crate::store::db::Tx::finish`]). A retry whose id is stored is
//! answered with the stored result and changes nothing.
//!
//! This matters on a database server: the server may commit a change and the connection drop
//! before its reply arrives. The desk cannot tell whether the change was applied; the stored id
//! tells it, at once (the desk looks the id up when a change fails on the storage) or when the
//! operator tries again.

use crate::error::{Error, Result};
use crate::params;
use crate::store::db::Pending;
use crate::Desk;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The shortest request id accepted.
pub const MIN_REQUEST_ID_CHARS: usize = 8;
/// The longest request id accepted (a UUID has 36).
pub const MAX_REQUEST_ID_CHARS: usize = 64;

/// Refuse a request id that is not 8 to 64 ASCII letters, digits, `-` or `_`.
pub fn check_id(id: &str) -> Result<()> {
    let ok = (MIN_REQUEST_ID_CHARS..=MAX_REQUEST_ID_CHARS).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        let shown: String = id.chars().take(MAX_REQUEST_ID_CHARS).flat_map(char::escape_default).collect();
        Err(Error::invalid(
            "requestId",
            format!(
                "Request id \"{shown}\" is not {MIN_REQUEST_ID_CHARS} to {MAX_REQUEST_ID_CHARS} letters, digits, '-' or '_'"
            ),
        ))
    }
}

/// What a stored result is: the name of its type ("RegistrationOutcome"), so that an id sent
/// again with another kind of change is not answered with a result of the wrong kind.
pub(crate) fn kind_of<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    full.rsplit("::").next().unwrap_or(full)
}

impl Desk {
    /// Run `change` once for the request `id`. The first time, `change` runs and its result is
    /// stored with `id` in the same transaction; every later call with the same `id` returns
    /// the stored result without running `change`. Without an id, `change` simply runs.
    ///
    /// When `change` fails, the id is looked up once more: stored, it was applied after all
    /// (the server committed but its reply was lost, or another desk sent the same id first),
    /// and its stored result is returned as a success.
    ///
    /// On a server roster, a change made reaches the roster this desk keeps for an outage at
    /// once (see [`Desk::follow`]), not a poll later: the person just registered is the one the
    /// operator looks up next.
    pub fn once<T, F>(&mut self, id: Option<&str>, change: F) -> Result<T>
    where
        T: Serialize + DeserializeOwned,
        F: FnOnce(&mut Desk) -> Result<T>,
    {
        let result = self.applied_once(id, change);
        if result.is_ok() && self.engine() == crate::store::db::Engine::Postgres {
            // Not reading it now is no failure of the change: the next poll reads it.
            let _ = self.follow();
        }
        result
    }

    fn applied_once<T, F>(&mut self, id: Option<&str>, change: F) -> Result<T>
    where
        T: Serialize + DeserializeOwned,
        F: FnOnce(&mut Desk) -> Result<T>,
    {
        let Some(id) = id else { return change(self) };
        check_id(id)?;
        if let Some(done) = self.stored(id)? {
            return Ok(done);
        }
        let pending = Pending {
            id: id.to_string(),
            operator: self.operator.name.clone(),
            desk: self.operator.desk.clone(),
        };
        let before = self.db.expect_request(Some(pending));
        let result = change(self);
        self.db.expect_request(before);
        match result {
            // Refused, or lost on the way: if the id is stored all the same, its change was
            // applied (a COMMIT whose reply was lost, or another sender of the same id first).
            Err(e) => match self.stored(id) {
                Ok(Some(done)) => Ok(done),
                _ => Err(e),
            },
            ok => ok,
        }
    }

    /// The stored result of request `id`, if it was applied.
    fn stored<T: DeserializeOwned>(&self, id: &str) -> Result<Option<T>> {
        let Some((kind, json)) =
            self.db.query_opt("SELECT kind, result FROM request WHERE id = ?1", params![id], |r| {
                Ok((r.get::<String>(0)?, r.get::<String>(1)?))
            })?
        else {
            return Ok(None);
        };
        let refused = || {
            Error::Conflict(format!(
                "Request id {id} was already used for another kind of change ({kind}); this one was not applied"
            ))
        };
        if kind != kind_of::<T>() {
            return Err(refused());
        }
        serde_json::from_str(&json).map(Some).map_err(|_| refused())
    }

    /// Whether request `id` was applied (its result is stored).
    pub fn applied(&self, id: &str) -> Result<bool> {
        check_id(id)?;
        self.db.has_request(id)
    }
}
