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
//!
//! An id names one request, not one slot: it is stored with a digest of the request (the
//! command and its arguments, [`digest_of`]), as payment APIs do with idempotency keys. The
//! same id with the same request is answered from the store; the same id with another request
//! (another person, another command, the same command with other arguments) is refused and
//! applies nothing.

use crate::error::{Error, Result};
use crate::params;
use crate::store::db::{kind_of, Pending};
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

/// A digest of a request: `request` (the command's name and its arguments) as JSON, hashed
/// with SHA-256, in hex. Two requests have the same digest only if their JSON is the same.
pub fn digest_of<R: Serialize + ?Sized>(request: &R) -> Result<String> {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    serde_json::to_writer(&mut hasher, request)?;
    Ok(data_encoding::HEXLOWER.encode(&hasher.finalize()))
}

/// A digest of a file's bytes, to stand for the file in a request (see [`digest_of`]).
pub fn digest_of_bytes(bytes: &[u8]) -> String {
    use sha2::Digest;
    data_encoding::HEXLOWER.encode(&sha2::Sha256::digest(bytes))
}

/// A stored result's kind as an operator reads it ("RegistrationOutcome" → "a registration
/// outcome").
fn describe_kind(kind: &str) -> String {
    let mut words = String::new();
    for (i, c) in kind.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            words.push(' ');
        }
        words.extend(c.to_lowercase());
    }
    let article = if words.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{article} {words}")
}

impl Desk {
    /// Run `change` once for the request `id`. The first time, `change` runs and its result is
    /// stored with `id`, `command` (what is asked, "checkin") and the digest of `command` with
    /// its `args` ([`digest_of`]) in the same transaction; every later call with the same `id`,
    /// command and arguments returns the stored result without running `change`, and one with
    /// another command or other arguments is refused ([`Error::Conflict`]) without running it.
    /// Without an id, `change` simply runs.
    ///
    /// When `change` fails, the id is looked up once more: stored, it was applied after all
    /// (the server committed but its reply was lost, or another desk sent the same id first),
    /// and its stored result is returned as a success.
    ///
    /// On a server roster, a change made reaches the roster this desk keeps for an outage at
    /// once (see [`Desk::follow`]), not a poll later: the person just registered is the one the
    /// operator looks up next.
    pub fn once<R, T, F>(&mut self, id: Option<&str>, command: &str, args: &R, change: F) -> Result<T>
    where
        R: Serialize + ?Sized,
        T: Serialize + DeserializeOwned,
        F: FnOnce(&mut Desk) -> Result<T>,
    {
        let result = self.applied_once(id, command, args, change);
        if result.is_ok() && self.db.is_server() {
            // Not reading it now is no failure of the change: the next poll reads it.
            let _ = self.follow();
        }
        result
    }

    fn applied_once<R, T, F>(&mut self, id: Option<&str>, command: &str, args: &R, change: F) -> Result<T>
    where
        R: Serialize + ?Sized,
        T: Serialize + DeserializeOwned,
        F: FnOnce(&mut Desk) -> Result<T>,
    {
        let Some(id) = id else { return change(self) };
        check_id(id)?;
        let digest = digest_of(&(command, args))?;
        if let Some(done) = self.stored(id, &digest)? {
            return Ok(done);
        }
        let pending = Pending {
            id: id.to_string(),
            operator: self.operator.name.clone(),
            desk: self.operator.desk.clone(),
            command: command.to_string(),
            digest: digest.clone(),
        };
        let before = self.db.expect_request(Some(pending));
        // A panic inside the change must not leave the id waiting for the next change, which
        // would be stored under it.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| change(self)));
        let unused = self.db.expect_request(before);
        let result = result.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let result = match (result, unused) {
            // A change that had nothing to write (an edit to the values already stored) took
            // no transaction, so the id is stored now with its answer: used again for
            // another change, it is refused, and a retry is answered as the first was.
            (Ok(done), Some(unused)) => {
                let before = self.db.expect_request(Some(unused));
                let stored = self.begin().and_then(|tx| tx.finish(done));
                self.db.expect_request(before);
                stored
            }
            (result, _) => result,
        };
        match result {
            // Refused, or lost on the way: if the id is stored all the same, its change was
            // applied (a COMMIT whose reply was lost, or another sender of the same id first).
            Err(e) => match self.stored(id, &digest) {
                Ok(Some(done)) => Ok(done),
                // Another request took the id while this one waited: that is the answer.
                Err(other @ Error::Conflict(_)) => Err(other),
                _ => Err(e),
            },
            ok => ok,
        }
    }

    /// The stored result of request `id`, if it was applied; refused when the id was applied
    /// for another request than the one whose digest is `digest`.
    fn stored<T: DeserializeOwned>(&self, id: &str, digest: &str) -> Result<Option<T>> {
        type Row = (String, String, Option<String>, Option<String>, String, String);
        let Some((kind, json, command, stored_digest, at, operator)): Option<Row> = self.db.query_opt(
            "SELECT kind, result, command, digest, at, operator FROM request WHERE id = ?1",
            params![id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )?
        else {
            return Ok(None);
        };
        let refused = || {
            Error::Conflict(format!(
                "Request id {id} was already used for another change: {} by {operator} at {at}; this one was not applied (send it with a new request id)",
                command.as_deref().map_or_else(|| describe_kind(&kind), |c| format!("`{c}`"))
            ))
        };
        // An id stored before digests were kept (schema 10) answers requests of its kind.
        if kind != kind_of::<T>() || stored_digest.is_some_and(|d| d != digest) {
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
