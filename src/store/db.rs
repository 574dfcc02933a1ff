//! The storage layer every rule of the desk calls: one connection, to an SQLite file or to a
//! PostgreSQL server, behind one small API (`query_row`, `query_opt`, `query_map`, `execute`,
//! `begin`).
//!
//! SQL is written once, in SQLite's spelling with `?1` parameters; for PostgreSQL it is
//! rewritten mechanically (`?1` → `$1`, `IS NOT ?1` → `IS DISTINCT FROM $1`) and prepared once
//! per connection. Only the few statements whose meaning differs ask [`Db::engine`]. Values
//! cross the boundary as [`Value`]s, so integer widths and SQL types never leak into the rules.
//!
//! A write transaction ([`Db::begin`]) serialises writers on both engines: SQLite's
//! `BEGIN IMMEDIATE` takes the file's write lock; on PostgreSQL the transaction first locks
//! the event row (`SELECT … FOR UPDATE`), so two desks claiming the last seat run one after the
//! other, and each statement after the lock sees every change committed before it.

use crate::error::{Error, Result};
use crate::store::restoring::under_way;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;

use super::value::pg_value;
pub use super::value::{FromValue, ToValue, Value};

/// Which storage engine a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// One SQLite file on this machine (the default).
    Sqlite,
    /// A PostgreSQL server shared by several desks.
    Postgres,
}

/// One row of a result, on either engine.
pub enum Row<'a> {
    /// A row from SQLite.
    Sqlite(&'a rusqlite::Row<'a>),
    /// A row from PostgreSQL.
    Postgres(&'a postgres::Row),
}

impl Row<'_> {
    /// The value of column `i` (from 0) as a `T`.
    pub fn get<T: FromValue>(&self, i: usize) -> Result<T> {
        T::from_value(self.value(i)?)
            .map_err(|e| Error::Storage(format!("The database holds an unexpected value in column {i}: {e}")))
    }

    fn value(&self, i: usize) -> Result<Value> {
        match self {
            Row::Sqlite(r) => {
                use rusqlite::types::ValueRef;
                Ok(match r.get_ref(i)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(n) => Value::Int(n),
                    ValueRef::Real(f) => Value::Real(f),
                    ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(_) => {
                        return Err(Error::Storage(format!("Column {i} holds bytes where text was expected")))
                    }
                })
            }
            Row::Postgres(r) => pg_value(r, i),
        }
    }
}

/// A PostgreSQL connection, the statements prepared on it (by their SQLite spelling), and
/// what it takes to connect again after the server went away.
struct Pg {
    client: RefCell<postgres::Client>,
    prepared: RefCell<HashMap<String, postgres::Statement>>,
    /// Where to connect again; `None` for a connection made elsewhere (not reconnected).
    reconnect: Option<crate::store::pg::Server>,
    /// Whether a transaction is open: a connection lost inside one is not replaced until the
    /// transaction is over, so that no statement of it runs outside it.
    in_tx: std::cell::Cell<bool>,
    /// After a failed attempt to connect again: until when calls fail at once, and why.
    down: RefCell<Option<(std::time::Instant, Error)>>,
}

/// What a stored result is: the name of its type ("RegistrationOutcome"), so that an id sent
/// again with another kind of change is not answered with a result of the wrong kind.
pub(crate) fn kind_of<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    full.rsplit("::").next().unwrap_or(full)
}

/// Whether `e` means the connection is gone (server stopped, network cut), not that the
/// statement was refused.
pub(crate) fn connection_lost(e: &postgres::Error) -> bool {
    e.is_closed()
        || std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>())
        || e.as_db_error().is_some_and(|d| {
            // admin_shutdown, crash_shutdown, cannot_connect_now: the server is going away.
            matches!(d.code().code(), "57P01" | "57P02" | "57P03")
        })
}

impl Pg {
    /// Run `f` with the client and the statement `sql` prepared. Outside a transaction, a
    /// connection found lost is replaced once and `f` tried again: a read after the server came
    /// back just works. Inside one, the failure is the transaction's.
    fn run<T>(
        &self,
        sql: Option<&str>,
        f: impl Fn(&mut postgres::Client, Option<&postgres::Statement>) -> std::result::Result<T, postgres::Error>,
    ) -> Result<T> {
        if !self.in_tx.get() && self.client.borrow().is_closed() {
            self.connect_again()?;
        }
        let attempt = || -> std::result::Result<T, postgres::Error> {
            let statement = match sql {
                Some(sql) => Some(self.statement(sql)?),
                None => None,
            };
            f(&mut self.client.borrow_mut(), statement.as_ref())
        };
        match attempt() {
            Err(e) if connection_lost(&e) && !self.in_tx.get() && self.reconnect.is_some() => {
                self.connect_again()?;
                Ok(attempt()?)
            }
            r => Ok(r?),
        }
    }

    fn statement(&self, sql: &str) -> std::result::Result<postgres::Statement, postgres::Error> {
        if let Some(s) = self.prepared.borrow().get(sql) {
            return Ok(s.clone());
        }
        let statement = self.client.borrow_mut().prepare(&to_postgres(sql))?;
        self.prepared.borrow_mut().insert(sql.to_string(), statement.clone());
        Ok(statement)
    }

    fn connect_again(&self) -> Result<()> {
        let Some(server) = &self.reconnect else {
            return Err(Error::Unreachable("The connection to the database server was lost".into()));
        };
        if let Some((until, why)) = &*self.down.borrow() {
            if std::time::Instant::now() < *until {
                return Err(why.clone());
            }
        }
        let client = server.connect_again().inspect_err(|e| {
            *self.down.borrow_mut() =
                Some((std::time::Instant::now() + crate::store::pg::RECONNECT_PAUSE, e.clone()));
        })?;
        *self.down.borrow_mut() = None;
        *self.client.borrow_mut() = client;
        self.prepared.borrow_mut().clear();
        Ok(())
    }
}

enum Conn {
    Sqlite(rusqlite::Connection),
    Postgres(Box<Pg>),
}

/// One open connection, to an SQLite file or a PostgreSQL server.
pub struct Db {
    conn: Conn,
    /// The request id the next finished transaction records (see [`Tx::finish`]).
    request: RefCell<Option<Pending>>,
    /// Beside an SQLite file, where a restore leaves its mark (see [`crate::store::restoring`]).
    restore_mark: Option<std::path::PathBuf>,
    /// Whether this connection's own restore is under way: its writes are not refused.
    restoring: std::cell::Cell<bool>,
}

/// A change's request id waiting for its transaction, with who sent it.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub(crate) id: String,
    pub(crate) operator: String,
    pub(crate) desk: String,
    /// The command it was sent with ("checkin"), for the message that refuses a reuse.
    pub(crate) command: String,
    /// What the request was: a digest of its command and arguments (see
    /// [`crate::request::digest_of`]), stored with the id so that the id answers only it.
    pub(crate) digest: String,
}

/// Rewrite a statement in SQLite's spelling for PostgreSQL: `?N` → `$N`, `IS NOT ?N` →
/// `IS DISTINCT FROM $N`; text in quotes is left alone.
pub fn to_postgres(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if c == '\'' {
            quoted = !quoted;
            out.push(c);
        } else if c == '?' && !quoted && chars.peek().is_some_and(char::is_ascii_digit) {
            if out.ends_with("IS NOT ") {
                out.truncate(out.len() - "NOT ".len());
                out.push_str("DISTINCT FROM ");
            }
            out.push('$');
        } else {
            out.push(c);
        }
    }
    out
}

impl Db {
    /// A connection to an SQLite file, already set up by [`crate::storage`].
    pub fn sqlite(conn: rusqlite::Connection) -> Db {
        conn.set_prepared_statement_cache_capacity(64);
        let restore_mark =
            conn.path().filter(|p| !p.is_empty()).map(|p| crate::store::restoring::mark_path(Path::new(p)));
        Db {
            conn: Conn::Sqlite(conn),
            request: RefCell::new(None),
            restore_mark,
            restoring: Default::default(),
        }
    }

    /// Say that this connection's own restore is under way (or over): while it is, the
    /// restore's mark does not refuse this connection's writes.
    pub(crate) fn set_restoring(&self, on: bool) {
        self.restoring.set(on);
    }

    /// The SQLite connection, to replace the file's content (restore).
    pub fn as_sqlite_mut(&mut self) -> Option<&mut rusqlite::Connection> {
        match &mut self.conn {
            Conn::Sqlite(c) => Some(c),
            Conn::Postgres(_) => None,
        }
    }

    /// A connection to a PostgreSQL server, already set up by [`crate::pg`].
    pub fn postgres(client: postgres::Client) -> Db {
        Db::postgres_with(client, None)
    }

    /// A connection to a PostgreSQL server that connects again to `server` when the server
    /// went away.
    pub fn postgres_reconnecting(client: postgres::Client, server: crate::store::pg::Server) -> Db {
        Db::postgres_with(client, Some(server))
    }

    fn postgres_with(client: postgres::Client, reconnect: Option<crate::store::pg::Server>) -> Db {
        Db {
            conn: Conn::Postgres(Box::new(Pg {
                client: RefCell::new(client),
                prepared: RefCell::default(),
                reconnect,
                in_tx: std::cell::Cell::new(false),
                down: RefCell::new(None),
            })),
            request: RefCell::new(None),
            restore_mark: None,
            restoring: Default::default(),
        }
    }

    /// A plain connection to the database at `path` (a file, or a server's address), without
    /// the desk's checks and migrations: what another program would open. For tests and tools
    /// that look at the stored rows.
    pub fn open_raw(path: &std::path::Path) -> Result<Db> {
        if let crate::store::pg::Location::Server(address) = crate::store::pg::Location::of(path, "db")? {
            return Ok(Db::postgres(crate::store::pg::Server::of(&address)?.connect()?));
        }
        let conn = rusqlite::Connection::open(path)?;
        conn.busy_timeout(crate::store::storage::BUSY_TIMEOUT)?;
        Ok(Db::sqlite(conn))
    }

    /// Which engine this connection talks to.
    pub fn engine(&self) -> Engine {
        match self.conn {
            Conn::Sqlite(_) => Engine::Sqlite,
            Conn::Postgres(_) => Engine::Postgres,
        }
    }

    /// "sqlite" or "postgres", as the About box and `status --json` say it.
    pub fn engine_name(&self) -> &'static str {
        match self.engine() {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }

    /// The schema version this build writes on this engine.
    pub fn schema_version(&self) -> i64 {
        match self.engine() {
            Engine::Sqlite => crate::store::storage::SCHEMA_VERSION,
            Engine::Postgres => crate::store::pg::SCHEMA_VERSION,
        }
    }

    /// Whether the roster is on a server: other desks change it at the same time (the desk
    /// follows their changes as they come), and it can become unreachable (the desk keeps the
    /// roster as last read). A file is neither.
    pub fn is_server(&self) -> bool {
        self.engine() == Engine::Postgres
    }

    /// Refuse to write `out` when it is this database (at `db_path`) or one of its journal
    /// files, by any spelling; on a server, only the name of `out` is checked.
    pub fn check_output(&self, db_path: &std::path::Path, out: &std::path::Path) -> Result<()> {
        match self.engine() {
            Engine::Sqlite => crate::store::storage::check_output(db_path, out),
            Engine::Postgres => crate::store::storage::check_output_name(out),
        }
    }

    /// Run `f` with the trigger `trigger` of `table` lifted, inside this transaction: SQLite
    /// drops it and creates it again, PostgreSQL disables and enables it. No one sees the table
    /// without it.
    pub fn with_trigger_lifted(
        &self,
        trigger: &str,
        table: &str,
        f: impl FnOnce() -> Result<()>,
    ) -> Result<()> {
        match self.engine() {
            Engine::Sqlite => {
                let sql: String = self.value(
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
                    crate::params![trigger],
                )?;
                self.batch(&format!("DROP TRIGGER {trigger}"))?;
                f()?;
                self.batch(&sql)
            }
            Engine::Postgres => {
                self.batch(&format!("ALTER TABLE {table} DISABLE TRIGGER {trigger}"))?;
                f()?;
                self.batch(&format!("ALTER TABLE {table} ENABLE TRIGGER {trigger}"))
            }
        }
    }

    /// After rows were inserted with their ids, make the next id of each of `tables` follow
    /// the highest one (PostgreSQL's identity sequences; SQLite follows by itself).
    pub fn follow_inserted_ids(&self, tables: &[&str]) -> Result<()> {
        if self.engine() == Engine::Postgres {
            for table in tables {
                self.query_map(
                    &format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
                    ),
                    crate::params![],
                    |_| Ok(()),
                )?;
            }
        }
        Ok(())
    }

    /// The highest id `table` ever gave (a removed row's included), for a table whose ids are
    /// never given again: SQLite's AUTOINCREMENT counter, or the server's sequence.
    pub fn highest_id_given(&self, table: &str) -> Result<i64> {
        let sql = match self.engine() {
            Engine::Sqlite => format!(
                "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0),
                            coalesce((SELECT max(id) FROM {table}), 0))"
            ),
            Engine::Postgres => format!(
                "SELECT greatest(coalesce((SELECT last_value FROM pg_sequences
                                            WHERE schemaname || '.' || sequencename = pg_get_serial_sequence('{table}', 'id')), 0),
                                 coalesce((SELECT max(id) FROM {table}), 0))"
            ),
        };
        self.value(&sql, crate::params![])
    }

    /// Let `table` give no id up to `highest` again (see [`Db::highest_id_given`]); a copy
    /// carries the counter over with the rows.
    pub fn give_ids_after(&self, table: &str, highest: i64) -> Result<()> {
        match self.engine() {
            Engine::Sqlite => {
                let n = self.execute(
                    &format!("UPDATE sqlite_sequence SET seq = max(seq, ?1) WHERE name = '{table}'"),
                    crate::params![highest],
                )?;
                if n == 0 && highest > 0 {
                    self.execute(
                        &format!("INSERT INTO sqlite_sequence (name, seq) VALUES ('{table}', ?1)"),
                        crate::params![highest],
                    )?;
                }
            }
            Engine::Postgres => {
                self.query_map(
                    &format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                                       greatest(?1, coalesce((SELECT max(id) FROM {table}), 0)) + 1, false)"
                    ),
                    crate::params![highest],
                    |_| Ok(()),
                )?;
            }
        }
        Ok(())
    }

    /// The SQLite connection, for what only a file has (backups, checkpoints).
    pub fn as_sqlite(&self) -> Option<&rusqlite::Connection> {
        match &self.conn {
            Conn::Sqlite(c) => Some(c),
            Conn::Postgres(_) => None,
        }
    }

    fn pg_params(params: &[Value]) -> Vec<&(dyn postgres::types::ToSql + Sync)> {
        params.iter().map(|p| p as &(dyn postgres::types::ToSql + Sync)).collect()
    }

    /// Every row of `sql`, each turned into a `T` by `f`.
    pub fn query_map<T>(
        &self,
        sql: &str,
        params: &[Value],
        mut f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        match &self.conn {
            Conn::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    out.push(f(&Row::Sqlite(r))?);
                }
                Ok(out)
            }
            Conn::Postgres(pg) => {
                let rows =
                    pg.run(Some(sql), |c, st| c.query(st.expect("prepared"), &Self::pg_params(params)))?;
                rows.iter().map(|r| f(&Row::Postgres(r))).collect()
            }
        }
    }

    /// Rows of `sql` one at a time until `f` says stop (returns `false`).
    pub fn query_while(
        &self,
        sql: &str,
        params: &[Value],
        mut f: impl FnMut(&Row) -> Result<bool>,
    ) -> Result<()> {
        match &self.conn {
            Conn::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
                while let Some(r) = rows.next()? {
                    if !f(&Row::Sqlite(r))? {
                        break;
                    }
                }
                Ok(())
            }
            Conn::Postgres(pg) => {
                let rows =
                    pg.run(Some(sql), |c, st| c.query(st.expect("prepared"), &Self::pg_params(params)))?;
                for r in &rows {
                    if !f(&Row::Postgres(r))? {
                        break;
                    }
                }
                Ok(())
            }
        }
    }

    /// The first row of `sql`, if there is one.
    pub fn query_opt<T>(
        &self,
        sql: &str,
        params: &[Value],
        f: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<Option<T>> {
        let mut f = Some(f);
        let mut out = None;
        self.query_while(sql, params, |r| {
            out = Some((f.take().expect("called once"))(r)?);
            Ok(false)
        })?;
        Ok(out)
    }

    /// The first row of `sql`; a query that finds none is a storage error.
    pub fn query_row<T>(&self, sql: &str, params: &[Value], f: impl FnOnce(&Row) -> Result<T>) -> Result<T> {
        self.query_opt(sql, params, f)?
            .ok_or_else(|| Error::Storage(format!("The database returned no row for: {}", sql.trim())))
    }

    /// The one value of a one-row, one-column query.
    pub fn value<T: FromValue>(&self, sql: &str, params: &[Value]) -> Result<T> {
        self.query_row(sql, params, |r| r.get(0))
    }

    /// Run one statement; the number of rows it changed.
    pub fn execute(&self, sql: &str, params: &[Value]) -> Result<usize> {
        match &self.conn {
            Conn::Sqlite(c) => Ok(c.prepare_cached(sql)?.execute(rusqlite::params_from_iter(params))?),
            Conn::Postgres(pg) => {
                let n =
                    pg.run(Some(sql), |c, st| c.execute(st.expect("prepared"), &Self::pg_params(params)))?;
                Ok(usize::try_from(n).unwrap_or(usize::MAX))
            }
        }
    }

    /// Run several statements without parameters, as written (no rewriting).
    pub fn batch(&self, sql: &str) -> Result<()> {
        match &self.conn {
            Conn::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Conn::Postgres(pg) => pg.run(None, |c, _| c.batch_execute(sql)),
        }
    }

    /// A write transaction: one writer at a time on both engines (see the module's note).
    /// Dropped without [`Tx::commit`], it rolls back.
    pub fn begin(&self) -> Result<Tx<'_>> {
        let tx = match self.engine() {
            Engine::Sqlite => {
                let tx = self.open_tx("BEGIN IMMEDIATE")?;
                // Looked at with the lock held: a restore leaves its mark, then waits for the
                // lock once, so every write after that sees the mark (see `restoring`).
                if let Some(why) =
                    self.restore_mark.as_deref().filter(|_| !self.restoring.get()).and_then(under_way)
                {
                    return Err(Error::Conflict(why));
                }
                tx
            }
            // The writers' turnstile: every write transaction takes this row lock first, sent
            // with its BEGIN in one message (one round trip less per change).
            Engine::Postgres => self.open_tx(
                "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT id FROM event WHERE id = 1 FOR UPDATE",
            )?,
        };
        // A change sent with a request id that another sender applied while this one waited
        // for the lock: refused here, before it changes anything (see `crate::request`).
        let pending = self.request.borrow().as_ref().map(|p| p.id.clone());
        if let Some(id) = pending {
            if tx.has_request(&id)? {
                return Err(Error::Conflict(format!("Request {id} was applied already")));
            }
        }
        Ok(tx)
    }

    /// A read transaction: every query inside it sees the same moment.
    pub fn snapshot(&self) -> Result<Tx<'_>> {
        self.open_tx(match self.engine() {
            Engine::Sqlite => "BEGIN DEFERRED",
            Engine::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        })
    }

    /// A transaction begun by `begin` (a `BEGIN …` statement), with no lock taken: for the
    /// schema's own steps.
    pub fn open_tx(&self, begin: &str) -> Result<Tx<'_>> {
        if let Err(e) = self.batch(begin) {
            // A BEGIN sent with a statement that failed leaves an aborted transaction open.
            if self.engine() == Engine::Postgres {
                let _ = self.batch("ROLLBACK");
            }
            return Err(e);
        }
        self.mark_tx(true);
        Ok(Tx { db: self, open: true })
    }

    fn mark_tx(&self, open: bool) {
        if let Conn::Postgres(pg) = &self.conn {
            pg.in_tx.set(open);
        }
    }

    /// Whether a change with request id `id` is stored (see [`Tx::finish`]).
    pub(crate) fn has_request(&self, id: &str) -> Result<bool> {
        Ok(self.value::<i64>("SELECT count(*) FROM request WHERE id = ?1", crate::params![id])? > 0)
    }

    /// Set (or clear) the request id the next [`Tx::finish`] records; the previous one.
    pub(crate) fn expect_request(&self, pending: Option<Pending>) -> Option<Pending> {
        std::mem::replace(&mut *self.request.borrow_mut(), pending)
    }

    /// Whether a transaction is open on this connection.
    pub fn in_transaction(&self) -> bool {
        match &self.conn {
            Conn::Sqlite(c) => !c.is_autocommit(),
            Conn::Postgres(pg) => pg.in_tx.get(),
        }
    }
}

/// An open transaction; it reads and writes like the [`Db`] it came from.
pub struct Tx<'a> {
    db: &'a Db,
    open: bool,
}

impl std::ops::Deref for Tx<'_> {
    type Target = Db;
    fn deref(&self) -> &Db {
        self.db
    }
}

impl Tx<'_> {
    /// Commit a change and hand back its result. When the change was sent with a request id
    /// (see [`crate::request`]), the id and the result are stored in the same transaction, so
    /// a retry after a lost reply finds them and the change is never applied twice.
    pub fn finish<T: serde::Serialize>(self, result: T) -> Result<T> {
        let pending = self.db.request.borrow_mut().take();
        if let Some(p) = pending {
            self.execute(
                "INSERT INTO request (id, at, operator, desk, kind, result, command, digest)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                crate::params![
                    p.id,
                    crate::store::records::now(),
                    p.operator,
                    p.desk,
                    kind_of::<T>(),
                    serde_json::to_string(&result)?,
                    p.command,
                    p.digest
                ],
            )?;
        }
        self.commit()?;
        Ok(result)
    }

    /// Make the transaction's changes durable. If the commit fails, the transaction is rolled
    /// back when it is dropped. A server lost during the COMMIT itself may have made the change
    /// durable before its answer was lost: that is said, never "not saved".
    pub fn commit(mut self) -> Result<()> {
        if let Err(e) = self.db.batch("COMMIT") {
            return Err(match e {
                Error::Unreachable(_) => Error::Unreachable(COMMIT_UNKNOWN.into()),
                other => other,
            });
        }
        self.open = false;
        self.db.mark_tx(false);
        Ok(())
    }
}

/// The words for a connection lost during a COMMIT: whether the server made the change
/// durable is not known.
pub(crate) const COMMIT_UNKNOWN: &str = "The connection to the database server was lost while this change was being saved: it may have been saved or not. Once the desk has reconnected, look at the roster before doing it again (an action sent again from the window is recognised and not done twice)";

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.db.batch("ROLLBACK");
            self.db.mark_tx(false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params;

    #[test]
    fn parameters_are_renumbered_outside_quotes_only() {
        assert_eq!(
            to_postgres("SELECT a FROM t WHERE b = ?1 AND c = '?2'"),
            "SELECT a FROM t WHERE b = $1 AND c = '?2'"
        );
        assert_eq!(to_postgres("WHERE a.id IS NOT ?3"), "WHERE a.id IS DISTINCT FROM $3");
        assert_eq!(to_postgres("WHERE a IS NOT NULL AND b = ?12"), "WHERE a IS NOT NULL AND b = $12");
        assert_eq!(to_postgres("SELECT 'it''s ?1', ?1"), "SELECT 'it''s ?1', $1");
    }

    #[test]
    fn values_convert_with_their_bounds() {
        assert_eq!(u32::from_value(Value::Int(i64::from(u32::MAX))), Ok(u32::MAX));
        assert!(u32::from_value(Value::Int(-1)).is_err());
        assert!(u32::from_value(Value::Int(i64::from(u32::MAX) + 1)).is_err());
        assert!(String::from_value(Value::Int(1)).is_err());
        assert_eq!(Option::<String>::from_value(Value::Null), Ok(None));
        assert_eq!(u64::MAX.to_value(), Value::Int(i64::MAX));
        assert_eq!(None::<&str>.to_value(), Value::Null);
        assert_eq!(
            params![Some("a"), 3u32, &&String::from("b")],
            &[Value::Text("a".into()), Value::Int(3), Value::Text("b".into())]
        );
    }

    #[test]
    fn an_sqlite_transaction_rolls_back_unless_committed() {
        let db = Db::sqlite(rusqlite::Connection::open_in_memory().unwrap());
        db.batch("CREATE TABLE t (x INTEGER)").unwrap();
        {
            let tx = db.begin().unwrap();
            tx.execute("INSERT INTO t VALUES (?1)", params![1]).unwrap();
        }
        assert_eq!(db.value::<i64>("SELECT count(*) FROM t", params![]).unwrap(), 0);
        let tx = db.begin().unwrap();
        tx.execute("INSERT INTO t VALUES (?1)", params![2]).unwrap();
        tx.commit().unwrap();
        assert_eq!(db.value::<i64>("SELECT sum(x) FROM t", params![]).unwrap(), 2);
        assert!(!db.in_transaction());
    }
}
