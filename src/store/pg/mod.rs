//! The PostgreSQL engine, for several desks on one roster: telling a server address from a
//! file path, the connection settings (the URL, then the usual `PG*` environment variables and
//! `~/.pgpass`), the password kept out of every message, and the schema (identified, refused
//! when it is not ours or too new, created or brought up to date in one locked transaction).
//!
//! The rules of the desk do not live here: they run unchanged on [`crate::store::db::Db`].

mod address;
mod tls;

use crate::error::{Error, Result};
use crate::store::db::{Db, Value};
pub use address::*;
use std::time::Duration;

/// How long a desk waits for the server to answer a new connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long data sent to the server may stay unacknowledged before the connection is given up
/// (TCP_USER_TIMEOUT).
pub const UNANSWERED_TIMEOUT: Duration = Duration::from_secs(4);

/// How long a connection lost is given up on before connecting again is tried: meanwhile
/// every call fails at once (searches answer from the roster as last read), instead of each
/// waiting for the network.
pub const RECONNECT_PAUSE: Duration = Duration::from_secs(3);

/// The connect timeout when connecting again (the server was reachable before: on a LAN a
/// connection takes milliseconds).
pub const RECONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a change waits for a lock another desk holds before it is refused ("kept the
/// database busy for too long"), as long as a desk waits on a shared SQLite file.
pub const LOCK_TIMEOUT: Duration = crate::store::storage::BUSY_TIMEOUT;
/// How long the server keeps a desk's transaction that has stopped sending anything (a laptop
/// put to sleep, a desk cut off the network): then it ends that session, rolls its change back
/// and frees the locks the other desks wait for. Longer than any pause of the desk's own within
/// a transaction (the PDF of a large batch of badges is drawn inside one).
pub const IDLE_IN_TRANSACTION_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// One step of the server's schema, numbered like the SQLite file's steps: a server database
/// at schema N has the same tables and rules as a file at schema N. (The file's steps 16 and
/// 17 only drop or merge indexes a file's writes paid for; a server keeps its indexes. Step 19
/// is the server's alone: the capacity checked once a statement of many rows has run, which a
/// file's row triggers do row by row; a file's step 19 does nothing.)
struct Step {
    version: i64,
    sql: &'static str,
    /// A step in Rust after the SQL, in the same transaction.
    then: Option<fn(&Db) -> Result<()>>,
}

const fn sql(version: i64, sql: &'static str) -> Step {
    Step { version, sql, then: None }
}

const STEPS: &[Step] = &[
    sql(8, include_str!("../sql/pg/008_schema.sql")),
    sql(9, include_str!("../sql/pg/009_request.sql")),
    sql(10, include_str!("../sql/pg/010_demo.sql")),
    sql(11, include_str!("../sql/pg/011_request_digest_pin_tries.sql")),
    sql(12, include_str!("../sql/pg/012_programme.sql")),
    sql(13, include_str!("../sql/pg/013_vetting.sql")),
    sql(14, include_str!("../sql/pg/014_protocol.sql")),
    sql(15, include_str!("../sql/pg/015_print_jobs.sql")),
    Step {
        version: 18,
        sql: include_str!("../sql/018_rekey.sql"),
        then: Some(crate::store::rekey::on_server),
    },
    sql(19, include_str!("../sql/pg/019_capacity_statement.sql")),
    sql(20, include_str!("../sql/pg/020_print_job_scheduler.sql")),
    sql(21, include_str!("../sql/pg/021_print_job_sha256.sql")),
];

/// The schema version this build writes on a server.
pub const SCHEMA_VERSION: i64 = 21;

/// How a desk checks the server it talks to, as libpq's `sslmode` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// Never encrypt.
    Disable,
    /// Encrypt when the server offers it (the default); the server is not authenticated.
    Prefer,
    /// Always encrypt; the server is not authenticated.
    Require,
    /// Always encrypt, and the server's certificate must be signed by a trusted authority.
    VerifyCa,
    /// As `VerifyCa`, and the certificate must name the host connected to.
    VerifyFull,
}

/// A server to connect to: the settings, how it is checked, and its address (shown with the
/// password masked).
#[derive(Clone)]
pub struct Server {
    config: postgres::Config,
    tls: tls::Connector,
    address: Address,
}

impl Server {
    /// The server at `url` (see [`Server::of`]).
    pub fn at(url: &str) -> Result<Server> {
        Server::of(&Address::parse(url))
    }

    /// The server at `address`, completed from the environment as `psql` would (`PG*`
    /// variables, `~/.pgpass`) and with its TLS settings (see [`TlsMode`]). A `sslmode` this
    /// desk does not know is refused.
    pub fn of(address: &Address) -> Result<Server> {
        let (params, mode, root) = address.tls()?;
        let mut config = address.config(&params)?;
        // A stalled desk never holds the others for good; options named in the address come
        // after these, and win.
        let ours = format!(
            "-c lock_timeout={}ms -c idle_in_transaction_session_timeout={}ms",
            LOCK_TIMEOUT.as_millis(),
            IDLE_IN_TRANSACTION_TIMEOUT.as_millis()
        );
        let options = match config.get_options() {
            Some(given) => format!("{ours} {given}"),
            None => ours,
        };
        config.options(&options);
        config.ssl_mode(match mode {
            TlsMode::Disable => postgres::config::SslMode::Disable,
            TlsMode::Prefer => postgres::config::SslMode::Prefer,
            _ => postgres::config::SslMode::Require,
        });
        // As libpq: "prefer" and "require" encrypt without authenticating the server.
        let check = Check {
            certificate: !matches!(mode, TlsMode::Disable | TlsMode::Prefer | TlsMode::Require),
            hostname: mode == TlsMode::VerifyFull,
            root: match &root {
                Some(root) => Some(std::fs::read(root).map_err(|e| {
                    Error::Io(format!(
                        "Cannot read the server's certificate authority {}: {e}",
                        root.display()
                    ))
                })?),
                None => None,
            },
        };
        let connector = connector(check, root.as_deref())?;
        Ok(Server { config, tls: connector, address: address.clone() })
    }

    /// The server's address (shown with its password masked).
    pub fn address(&self) -> &Address {
        &self.address
    }

    /// A new connection, or why there is none.
    pub fn connect(&self) -> Result<postgres::Client> {
        self.config.connect(self.tls.clone()).map_err(|e| unreachable(&self.address, &e))
    }

    /// A new connection after one was lost, with a short connect timeout.
    pub(crate) fn connect_again(&self) -> Result<postgres::Client> {
        let mut config = self.config.clone();
        let timeout = config.get_connect_timeout().copied().unwrap_or(CONNECT_TIMEOUT).min(RECONNECT_TIMEOUT);
        config.connect_timeout(timeout);
        config.connect(self.tls.clone()).map_err(|e| unreachable(&self.address, &e))
    }
}

/// How a connection checks the server: what a TLS connector is built from.
#[derive(Clone, PartialEq, Eq, Hash)]
struct Check {
    /// The certificate must be signed by a trusted authority.
    certificate: bool,
    /// The certificate must name the host connected to.
    hostname: bool,
    /// The authority to trust (PEM, as read from `sslrootcert`), else the system's.
    root: Option<Vec<u8>>,
}

/// The TLS connector for `check`, built once per process: one that authenticates the server
/// without an `sslrootcert` loads the system's certificate authorities (tens of milliseconds of
/// OpenSSL's work), and a process asks for the same settings again and again (the CLI per
/// command, a desk reconnecting, the tests thousands of times). A connector holds settings
/// only, never a connection; `root_path` names the file in an error.
fn connector(check: Check, root_path: Option<&std::path::Path>) -> Result<tls::Connector> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static BUILT: OnceLock<Mutex<HashMap<Check, tls::Connector>>> = OnceLock::new();
    // Held while a connector is built, so that two threads asking at once build it once.
    let mut built = BUILT.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner());
    if let Some(c) = built.get(&check) {
        return Ok(c.clone());
    }
    let c = tls::Connector::new(check.certificate, check.hostname, check.root.as_deref()).map_err(
        |e| match e {
            tls::SetupError::NotPem(why) => {
                let file = root_path.map(|p| p.display().to_string()).unwrap_or_default();
                Error::invalid("db", format!("{file} is not a PEM certificate: {why}"))
            }
            tls::SetupError::Tls(e) => Error::Internal(format!("TLS cannot be set up: {e}")),
        },
    )?;
    built.insert(check, c.clone());
    Ok(c)
}

/// Words for a failure to reach or use the server at `address` (shown masked).
fn unreachable(address: &Address, e: &postgres::Error) -> Error {
    if let Some(db) = e.as_db_error() {
        // The server answered that it takes no connection now: shutting down, starting up.
        if db.code().code().starts_with("57P") {
            return Error::Unreachable(format!(
                "The database server {} cannot be reached now: {}",
                address,
                db.message()
            ));
        }
        // The server answered: a wrong password, an unknown database, a refused address.
        return Error::Storage(format!(
            "The database server {} refused the connection: {}",
            address,
            db.message()
        ));
    }
    let why = crate::error::chain(e);
    if why.contains("password missing") {
        return Error::Storage(format!(
            "The database server {} needs a password: put it in ~/.pgpass (host:port:database:user:password, readable by you only: chmod 600) or in PGPASSWORD",
            address
        ));
    }
    if why.contains("does not support TLS") {
        return Error::Storage(format!(
            "The database server {} does not offer TLS, and the address asks for it ({why}). Turn TLS on at the server (scripts/pg-server.sh does), or use sslmode=disable on a network you trust",
            address
        ));
    }
    if why.contains("TLS") || why.contains("certificate") {
        return Error::Storage(format!(
            "The database server {} cannot be reached safely: {why}. Its certificate was not accepted (sslmode=verify-ca or verify-full checks it against the authority in sslrootcert)",
            address
        ));
    }
    Error::Unreachable(format!(
        "The database server {} cannot be reached: {why}. Check that it is running and that this desk is on its network",
        address
    ))
}

/// Connect to the server at `address`, make sure the database is a Delegate Desk roster this
/// version understands (creating the schema and the demo event in an empty one), and return
/// the connection. A database holding other tables, or a newer schema, is refused untouched.
pub fn open(address: &Address, seed: &[(&'static str, Vec<Value>)]) -> Result<Db> {
    let server = Server::of(address)?;
    let client = server.connect()?;
    let db = Db::postgres_reconnecting(client, server);
    db.batch("SET client_min_messages = warning")?;
    migrate(&db, address, seed)?;
    Ok(db)
}

/// Whether the database at `address` is ours (`Some(schema version)`), new and empty (`None`), or
/// refused (another program's, or too new), without changing it.
pub fn probe(address: &Address) -> Result<Option<i64>> {
    let db = Db::postgres(Server::of(address)?.connect()?);
    match identify(&db)? {
        None => Ok(None),
        Some((app, version)) if app == i64::from(crate::store::storage::APPLICATION_ID) && version <= SCHEMA_VERSION => {
            Ok(Some(version))
        }
        Some((app, version)) if app == i64::from(crate::store::storage::APPLICATION_ID) => Err(Error::Storage(format!(
            "The database {} was written by a newer version of Delegate Desk (schema {version}); it was left untouched.",
            address
        ))),
        Some(_) => Err(Error::Storage(format!(
            "The database {} is not a Delegate Desk database (it holds other tables); it was left untouched.",
            address
        ))),
    }
}

/// What the database holds: `None` when it has no table at all (new), else the application
/// id and schema version of its `delegate_desk` row (0, 0 when it is another program's).
fn identify(db: &Db) -> Result<Option<(i64, i64)>> {
    // Tables, views and sequences in any schema of the database (another program's may live in
    // a schema of its own), the server's own and those of installed extensions apart.
    let tables: i64 = db.value(
        "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
           AND n.nspname NOT IN ('pg_catalog', 'information_schema')
           AND left(n.nspname, 8) <> 'pg_toast' AND left(n.nspname, 7) <> 'pg_temp'
           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                           WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')",
        crate::params![],
    )?;
    if tables == 0 {
        return Ok(None);
    }
    let ours: i64 = db.value(
        "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = 'delegate_desk'",
        crate::params![],
    )?;
    if ours == 0 {
        return Ok(Some((0, 0)));
    }
    Ok(db
        .query_opt(
            "SELECT application_id, schema_version FROM delegate_desk WHERE id = 1",
            crate::params![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .or(Some((0, 0))))
}

fn migrate(db: &Db, address: &Address, seed: &[(&'static str, Vec<Value>)]) -> Result<()> {
    let refuse =
        |why: String| Error::Storage(format!("The database {} {why}; it was left untouched.", address));
    let check = |found: Option<(i64, i64)>| -> Result<i64> {
        match found {
            None => Ok(0),
            Some((app, version)) if app == i64::from(crate::store::storage::APPLICATION_ID) => {
                if version > SCHEMA_VERSION {
                    Err(refuse(format!(
                        "was written by a newer version of Delegate Desk (schema {version}; this version understands up to {SCHEMA_VERSION}). Update Delegate Desk on this desk to use it"
                    )))
                } else {
                    Ok(version)
                }
            }
            Some(_) => Err(refuse(
                "is not a Delegate Desk database (it holds other tables). Create an empty database for the event".into(),
            )),
        }
    };
    let found = check(identify(db)?)?;
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    if found == 0 {
        // An address without a database name is the user's own database, often the server's
        // `postgres`: a roster made there by mistake would be a second event with seats of its
        // own beside the real one.
        let name: String = db.value("SELECT current_database()", crate::params![])?;
        if ["postgres", "template0", "template1"].contains(&name.as_str()) {
            return Err(refuse(format!(
                "is the server's own database “{name}”, not one made for the event (was the database name left out of the address?). Create one, e.g. createdb cansec, and name it: postgres://HOST/cansec"
            )));
        }
    }
    // Two desks opening a new database at once: one creates it, the other waits and finds it.
    let tx = db.open_tx("BEGIN")?;
    db.query_map("SELECT pg_advisory_xact_lock(1145328459)", crate::params![], |_| Ok(()))?;
    let version = check(identify(db)?)?;
    for step in STEPS.iter().filter(|s| s.version > version) {
        if version != 0 && step.version == 8 {
            return Err(refuse(format!("has an unknown schema version {version}")));
        }
        db.batch(step.sql)?;
        if let Some(then) = step.then {
            then(db)?;
        }
    }
    db.execute(
        "INSERT INTO delegate_desk (id, application_id, schema_version) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET schema_version = excluded.schema_version",
        crate::params![i64::from(crate::store::storage::APPLICATION_ID), SCHEMA_VERSION],
    )?;
    if version == 0 {
        for (sql, params) in seed {
            db.execute(sql, params)?;
        }
    }
    tx.commit()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn server_addresses_are_told_from_paths() {
        assert!(is_server(Path::new("postgres://desk@10.0.0.5/cansec")));
        assert!(is_server(Path::new("PostgreSQL://desk@host/db")));
        assert!(!is_server(Path::new("/home/desk/postgres://x")));
        assert!(!is_server(Path::new("postgres.sqlite3")));
        assert!(!is_server(Path::new("")));
    }

    #[test]
    fn passwords_never_reach_a_message() {
        let shown = |url: &str| Address::parse(url).to_string();
        assert_eq!(
            shown("postgres://desk:s3cr3t@10.0.0.5:5432/cansec"),
            "postgres://desk:***@10.0.0.5:5432/cansec"
        );
        assert_eq!(shown("postgres://desk:p@ss@host/db"), "postgres://desk:***@host/db");
        assert_eq!(
            shown("postgres://host/db?user=a&password=xyz&sslmode=require"),
            "postgres://host/db?user=a&password=***&sslmode=require"
        );
        assert_eq!(shown("postgres://desk@host/db"), "postgres://desk@host/db");
        assert_eq!(shown("postgres:///db"), "postgres:///db");
        assert_eq!(shown("  postgresql://desk:pw@[::1]:5433/db  "), "postgresql://desk:***@[::1]:5433/db");
        // An empty password is masked too: whether there is one is shown, not what it is.
        assert_eq!(shown("postgres://desk:@host/db"), "postgres://desk:***@host/db");
        // No host, and a "port" that is no number: a user and a password.
        assert_eq!(shown("postgres://desk:Secret99"), "postgres://desk:***@");
        // An `@` in a query value is not the end of a user part.
        assert_eq!(
            shown("postgres://host/db?application_name=me@front"),
            "postgres://host/db?application_name=me@front"
        );
        assert_eq!(
            shown("postgres://desk:pw@host/db?application_name=me@front"),
            "postgres://desk:***@host/db?application_name=me@front"
        );
        // Debug (a panic, a log) shows the same.
        let debug = format!("{:?}", Address::parse("postgres://desk:s3cr3t@host/db?password=t0ps3cr3t"));
        assert!(!debug.contains("s3cr3t") && debug.contains("desk:***@host"), "{debug}");
        let location =
            format!("{:?}", Location::of(Path::new("postgres://desk:s3cr3t@host/db"), "db").unwrap());
        assert!(!location.contains("s3cr3t"), "{location}");
        let e = Server::at("postgres://desk:s3cr3t@host:notaport/db").err().unwrap().to_string();
        assert!(!e.contains("s3cr3t") && e.contains("desk:***@host:notaport"), "{e}");
    }

    /// The characters a password may hold as typed, each alone, then together.
    const HELD: &[&str] = &[
        "/", ":", "@", "?", "#", "&", "=", "%", "+", " ", "'", "\"", "\\", ",", "[", "]", "$", ";", "!", "*",
    ];

    /// Each way a password may be written, with what it means: as typed, percent-encoded,
    /// both, empty, not ASCII.
    fn secrets() -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<(String, Vec<u8>)> = Vec::new();
        for c in HELD {
            let plain = format!("Se{c}cret99");
            out.push((plain.clone(), plain.clone().into_bytes()));
            let encoded = format!("Se%{:02X}cret99", c.as_bytes()[0]);
            out.push((encoded, plain.into_bytes()));
        }
        for (typed, meant) in [
            ("S/e:c@r?e#t&99", "S/e:c@r?e#t&99"),
            ("p@ss/w:rd?x=1#frag99", "p@ss/w:rd?x=1#frag99"),
            ("Se%2fcr%40et99", "Se/cr@et99"),
            ("Se%zzcret99", "Se%zzcret99"),
            ("Se%2", "Se%2"),
            ("ünïcødé-pässwörd99", "ünïcødé-pässwörd99"),
            ("%C3%BCber99", "über99"),
            ("@@//::??##", "@@//::??##"),
            ("", ""),
        ] {
            out.push((typed.to_string(), meant.as_bytes().to_vec()));
        }
        out
    }

    /// No piece of `secret` longer than two characters is in `shown` unless the rest of the
    /// address holds it anyway.
    fn assert_hidden(url: &str, secret: &str, shown: &str) {
        assert!(secret.is_empty() || !shown.contains(secret), "{url} shown as {shown}");
        let chars: Vec<char> = secret.chars().collect();
        for w in chars.windows(3) {
            let piece: String = w.iter().collect();
            if !url.replacen(secret, "", 1).contains(&piece) {
                assert!(!shown.contains(&piece), "{url} shown as {shown} ({piece})");
            }
        }
    }

    #[test]
    fn a_password_is_masked_and_used_whatever_it_holds() {
        for (secret, meant) in secrets() {
            for (url, in_query) in [
                (format!("postgres://desk:{secret}@host/db"), false),
                (format!("postgresql://desk:{secret}@host:5433/db?sslmode=disable&connect_timeout=3"), false),
                (format!("postgres://desk:{secret}@host"), false),
                (format!("postgres://host/db?user=desk&password={secret}&sslmode=disable"), true),
                (format!("postgres://host/db?user=desk&password={secret}"), true),
                (format!("postgres://desk@host/db?Password={secret}"), true),
            ] {
                let address = Address::parse(&url);
                let shown = address.to_string();
                assert_hidden(&url, &secret, &shown);
                assert!(shown.contains("***"), "{url} shown as {shown}");
                assert_eq!(shown, Location::of(Path::new(&url), "db").unwrap().to_string());
                assert_eq!(shown, super::shown(Path::new(&url)));
                assert!(!format!("{address:?}").contains(&format!(":{secret}@")) || secret.is_empty());
                // The password is the one typed, and the rest of the address is read as it is.
                if in_query && url.contains("Password=") {
                    continue; // the PostgreSQL client knows no `Password` parameter
                }
                let server = Server::at(&url).unwrap_or_else(|e| panic!("{url}: {e}"));
                assert_eq!(server.config.get_password(), Some(meant.as_slice()), "{url}");
                assert_eq!(server.config.get_hosts(), [postgres::config::Host::Tcp("host".into())], "{url}");
                assert_eq!(server.config.get_user(), Some("desk"), "{url}");
                if url.contains("/db") {
                    assert_eq!(server.config.get_dbname(), Some("db"), "{url}");
                }
                if url.contains("5433") {
                    assert_eq!(server.config.get_ports(), [5433], "{url}");
                    assert_eq!(server.config.get_connect_timeout(), Some(&Duration::from_secs(3)), "{url}");
                }
                assert_eq!(server.address().to_string(), shown);
            }
            // No host: a user and a password, read to the end of the address (a password of
            // digits alone would be a port, and an `@` the end of a user part).
            if !secret.is_empty() && !secret.contains('@') && !secret.contains("%40") {
                let url = format!("postgres://desk:{secret}");
                let shown = Address::parse(&url).to_string();
                assert_hidden(&url, &secret, &shown);
                assert_eq!(shown, "postgres://desk:***@", "{url}");
            }
        }
        assert_eq!(
            Address::parse("postgres://desk:Se/cret99@host/db").to_string(),
            "postgres://desk:***@host/db"
        );
        assert_eq!(
            Address::parse("postgres://desk:a@b@host:5433/db").to_string(),
            "postgres://desk:***@host:5433/db"
        );
    }

    #[test]
    fn a_location_is_a_file_or_a_server_never_an_address_taken_for_a_file() {
        for typed in
            ["postgres://desk:Se/cret99@host/db", " postgresql://desk@host/db ", "POSTGRES://host/db"]
        {
            assert!(matches!(Location::of(Path::new(typed), "db"), Ok(Location::Server(_))), "{typed}");
        }
        for typed in
            ["/var/lib/desk.sqlite3", "desk.sqlite3", "notes:v2.sqlite3", "C:/desk.sqlite3", "./pg:/x"]
        {
            assert_eq!(
                Location::of(Path::new(typed), "db").unwrap(),
                Location::File(typed.into()),
                "{typed}"
            );
            assert_eq!(shown(Path::new(typed)), typed);
        }
        for typed in [
            "pg://desk:Se/cret99@host/db",
            "postgre://desk:Se/cret99@host/db",
            "postgres:/desk:Se/cret99@host/db",
        ] {
            let e = Location::of(Path::new(typed), "from").unwrap_err();
            let Error::Validation { issues } = &e else { panic!("{typed}: {e:?}") };
            assert_eq!(issues[0].field, "from");
            let text = e.to_string();
            assert!(!text.contains("cret99") && text.contains("desk:***@host/db"), "{text}");
            assert!(text.contains("postgres://"), "{text}");
        }
    }

    #[test]
    fn tls_settings_are_taken_out_of_the_address_and_checked() {
        let (kept, mode, _) =
            Address::parse("postgres://h/db?sslmode=verify-full&application_name=x").tls().unwrap();
        assert_eq!(
            (kept, mode),
            (vec![("application_name".to_string(), "x".to_string())], TlsMode::VerifyFull)
        );
        let (kept, mode, root) =
            Address::parse("postgres://h/db?sslrootcert=/ca.crt&sslmode=allow").tls().unwrap();
        assert_eq!((kept, mode, root), (vec![], TlsMode::Prefer, Some("/ca.crt".into())));
        let e = Server::at("postgres://h/db?sslmode=bogus").err().unwrap();
        assert!(e.to_string().contains("sslmode=bogus is not known"), "{e}");
    }

    /// A server that answers the desk's TLS request with "no" (as one with `ssl = off` does):
    /// the desk says the server offers no TLS, not that a certificate was refused (which sent
    /// the reader looking for a certificate that was never shown).
    #[test]
    fn a_server_that_offers_no_tls_is_said_as_such() {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for mut s in listener.incoming().flatten() {
                let mut request = [0u8; 8];
                if s.read_exact(&mut request).is_ok() {
                    let _ = s.write_all(b"N");
                    let _ = tx.send(request);
                }
            }
        });
        let url = format!("postgres://desk@127.0.0.1:{port}/db?sslmode=require&connect_timeout=5");
        let e = Server::at(&url).unwrap().connect().err().expect("no TLS, no connection");
        let text = e.to_string();
        assert!(matches!(e, Error::Storage(_)), "{e:?}");
        assert!(text.contains("does not offer TLS") && !text.contains("certificate"), "{text}");
        // What the desk sent was the TLS request (length 8, code 80877103), not a startup.
        assert_eq!(rx.recv().unwrap(), [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
    }

    /// The TLS connector is built once per setting (loading the system's authorities is slow),
    /// but an authority file is read at every open: a file changed since is what counts.
    #[test]
    fn a_root_certificate_file_is_read_again_at_every_open() {
        let bundle = std::fs::read_to_string("/etc/ssl/certs/ca-certificates.crt")
            .expect("the system's authorities (package ca-certificates)");
        let end = "-----END CERTIFICATE-----";
        let first = &bundle[..bundle.find(end).expect("a certificate in the bundle") + end.len()];
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ca.pem");
        let url = format!("postgres://h/db?sslmode=verify-ca&sslrootcert={}", root.display());
        std::fs::write(&root, first).unwrap();
        Server::at(&url).unwrap();
        Server::at(&url).unwrap();
        std::fs::write(&root, "not a certificate").unwrap();
        let e = Server::at(&url).err().expect("the changed file is read again");
        assert!(e.to_string().contains("ca.pem is not a PEM certificate"), "{e}");
        std::fs::write(&root, first).unwrap();
        Server::at(&url).unwrap();
        // The same settings without the file: the system's authorities, another connector.
        Server::at("postgres://h/db?sslmode=verify-ca").unwrap();
    }

    #[test]
    fn a_port_is_named_only_when_written() {
        let names = |url: &str| Address::parse(url).names_port();
        assert!(names("postgres://desk@host:5433/db"));
        assert!(names("postgres://host/db?port=5433"));
        assert!(names("postgres://[::1]:5433/db"));
        assert!(names("postgres://desk:p:w@host:5433/db"));
        assert!(!names("postgres://desk:pw@host/db"));
        assert!(!names("postgres://desk:p:4@host/db"));
        assert!(!names("postgres://[::1]/db"));
        assert!(!names("postgres:///db"));
    }

    #[test]
    fn pgpass_lines_match_as_psql_reads_them() {
        let text = "# comment\nother:5432:*:desk:wrong\n10.0.0.5:5432:cansec:desk:right\n*:*:*:*:fallback\n";
        assert_eq!(pgpass_match(text, ["10.0.0.5", "5432", "cansec", "desk"]).as_deref(), Some("right"));
        assert_eq!(pgpass_match(text, ["h", "1", "d", "u"]).as_deref(), Some("fallback"));
        assert_eq!(pgpass_match("h\\:x:1:d:u:p\\:w", ["h:x", "1", "d", "u"]).as_deref(), Some("p:w"));
        assert_eq!(pgpass_match("h:1:d:u", ["h", "1", "d", "u"]), None);
    }
}
