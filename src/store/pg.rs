//! The PostgreSQL engine, for several desks on one roster: telling a server address from a
//! file path, the connection settings (the URL, then the usual `PG*` environment variables and
//! `~/.pgpass`), the password kept out of every message, and the schema (identified, refused
//! when it is not ours or too new, created or brought up to date in one locked transaction).
//!
//! The rules of the desk do not live here: they run unchanged on [`crate::store::db::Db`].

use crate::error::{Error, Result};
use crate::store::db::{Db, Value};
use std::path::Path;
use std::str::FromStr;
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

/// One step of the server's schema, numbered like the SQLite file's steps: a server database
/// at schema N has the same tables and rules as a file at schema N.
struct Step {
    version: i64,
    sql: &'static str,
}

const STEPS: &[Step] = &[
    Step { version: 8, sql: include_str!("sql/pg/008_schema.sql") },
    Step { version: 9, sql: include_str!("sql/pg/009_request.sql") },
    Step { version: 10, sql: include_str!("sql/pg/010_demo.sql") },
    Step { version: 11, sql: include_str!("sql/pg/011_request_digest_pin_tries.sql") },
];

/// The schema version this build writes on a server.
pub const SCHEMA_VERSION: i64 = 11;

/// Whether a `--db` value names a PostgreSQL server (`postgres://…` or `postgresql://…`)
/// rather than a file.
pub fn is_server(db: &Path) -> bool {
    db.to_str().is_some_and(|s| {
        let lower = s.get(..13).unwrap_or(s).to_ascii_lowercase();
        lower.starts_with("postgres://") || lower.starts_with("postgresql://")
    })
}

/// The URL with its password replaced by `***`, for messages, logs and the window — whatever
/// the password holds. People type passwords as they are, without percent-encoding, so a
/// password may hold `/ : @ ? #` and break the URL's own parsing: the user information is taken
/// to end at the *last* `@` of the address, and everything between the first `:` of it and that
/// `@` is masked (an address that merely looks like one more is masked too: showing too little
/// is safe, showing a secret is not). A `password=` query parameter is masked to the end of the
/// address.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    // A password may come as a query parameter: masked with whatever follows it, first (it
    // may hold an `@` too).
    let mut rest = rest.to_string();
    let lower = rest.to_ascii_lowercase();
    let param = ["?password=", "&password="].iter().filter_map(|p| lower.find(p).map(|i| i + p.len())).min();
    if let Some(start) = param {
        rest.truncate(start);
        rest.push_str("***");
    }
    match rest.rfind('@') {
        Some(at) => {
            let userinfo = &rest[..at];
            let user = match userinfo.split_once(':') {
                Some((user, _)) => format!("{user}:***"),
                None => userinfo.to_string(),
            };
            format!("{scheme}://{user}@{}", &rest[at + 1..])
        }
        None => format!("{scheme}://{rest}"),
    }
}

/// The connection settings of `url` (its TLS settings already taken out by [`split_tls`]),
/// completed as `psql` would: `PGHOST`, `PGPORT`, `PGUSER`, `PGDATABASE` and `PGPASSWORD` fill
/// what the URL leaves out, then the first matching line of `~/.pgpass` (or `PGPASSFILE`)
/// gives the password.
fn config(url: &str) -> Result<postgres::Config> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let parsed = postgres::Config::from_str(url)
        .map_err(|e| Error::Storage(format!("The database address {} cannot be read: {e}", redact(url))))?;
    // Built afresh: the URL parser puts port 5432 in place of one left out, and a port
    // added to it would be a second one.
    let mut c = postgres::Config::new();
    if parsed.get_hosts().is_empty() {
        match env("PGHOST") {
            Some(h) if h.starts_with('/') => c.host_path(h),
            Some(h) => c.host(&h),
            None => c.host_path("/var/run/postgresql"),
        };
    }
    for h in parsed.get_hosts() {
        match h {
            postgres::config::Host::Tcp(h) => c.host(h),
            #[cfg(unix)]
            postgres::config::Host::Unix(p) => c.host_path(p),
        };
    }
    if names_port(url) {
        for p in parsed.get_ports() {
            c.port(*p);
        }
    } else if let Some(p) = env("PGPORT").and_then(|p| p.parse::<u16>().ok()) {
        c.port(p);
    }
    match parsed.get_user().map(str::to_string).or_else(|| env("PGUSER")).or_else(|| env("USER")) {
        Some(u) => c.user(&u),
        None => c.user("postgres"),
    };
    if let Some(d) = parsed.get_dbname().map(str::to_string).or_else(|| env("PGDATABASE")) {
        c.dbname(&d);
    }
    if let Some(o) = parsed.get_options() {
        c.options(o);
    }
    c.ssl_mode(parsed.get_ssl_mode());
    match parsed.get_password() {
        Some(p) => {
            c.password(p);
        }
        None => {
            if let Some(p) = env("PGPASSWORD").or_else(|| pgpass_lookup(&c)) {
                c.password(p);
            }
        }
    }
    c.connect_timeout(parsed.get_connect_timeout().copied().unwrap_or(CONNECT_TIMEOUT));
    // A server that vanishes (its laptop unplugged) must not hold the desk for the minutes TCP
    // retries by default: unanswered data closes the connection after a few seconds, and an
    // idle connection is probed.
    c.tcp_user_timeout(UNANSWERED_TIMEOUT);
    c.keepalives_idle(Duration::from_secs(10));
    c.keepalives_interval(Duration::from_secs(2));
    c.keepalives_retries(3);
    c.application_name("delegate-desk");
    Ok(c)
}

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

/// The TLS settings of an address: `sslmode` and `sslrootcert` from its query (else
/// `PGSSLMODE`, `PGSSLROOTCERT`, else `~/.postgresql/root.crt` when it exists), taken out of
/// the URL (the URL parser knows no `verify-ca`/`verify-full`). A mode this desk does not know,
/// from the URL or the environment, is refused.
fn split_tls(url: &str) -> Result<(String, (TlsMode, Option<std::path::PathBuf>))> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, q),
        None => (url, ""),
    };
    let mut mode = env("PGSSLMODE");
    let mut root = env("PGSSLROOTCERT").map(std::path::PathBuf::from);
    let mut kept = Vec::new();
    for kv in query.split('&').filter(|kv| !kv.is_empty()) {
        match kv.split_once('=') {
            Some(("sslmode", v)) => mode = Some(v.to_string()),
            Some(("sslrootcert", v)) => root = Some(std::path::PathBuf::from(v)),
            _ => kept.push(kv),
        }
    }
    let mode = match mode.as_deref() {
        Some("disable") => TlsMode::Disable,
        None | Some("allow" | "prefer") => TlsMode::Prefer,
        Some("require") => TlsMode::Require,
        Some("verify-ca") => TlsMode::VerifyCa,
        Some("verify-full") => TlsMode::VerifyFull,
        Some(v) => {
            return Err(Error::invalid(
                "db",
                format!("sslmode={v} is not known; use disable, prefer, require, verify-ca or verify-full"),
            ))
        }
    };
    let root =
        root.or_else(|| dirs::home_dir().map(|h| h.join(".postgresql/root.crt")).filter(|p| p.is_file()));
    let url = if kept.is_empty() { base.to_string() } else { format!("{base}?{}", kept.join("&")) };
    Ok((url, (mode, root)))
}

/// A server to connect to: the settings, how it is checked, and its address for messages
/// (password redacted).
#[derive(Clone)]
pub struct Server {
    config: postgres::Config,
    tls: postgres_native_tls::MakeTlsConnector,
    /// The address as shown to people: the password replaced by `***`.
    pub shown: String,
}

impl Server {
    /// The server at `url`, completed from the environment as `psql` would (`PG*` variables,
    /// `~/.pgpass`) and with its TLS settings (see [`TlsMode`]). A `sslmode` this desk does
    /// not know is refused.
    pub fn at(url: &str) -> Result<Server> {
        let (plain, (mode, root)) = split_tls(url)?;
        let mut config = config(&plain)?;
        config.ssl_mode(match mode {
            TlsMode::Disable => postgres::config::SslMode::Disable,
            TlsMode::Prefer => postgres::config::SslMode::Prefer,
            _ => postgres::config::SslMode::Require,
        });
        let mut b = native_tls::TlsConnector::builder();
        // As libpq: "prefer" and "require" encrypt without authenticating the server.
        b.danger_accept_invalid_certs(matches!(mode, TlsMode::Disable | TlsMode::Prefer | TlsMode::Require));
        b.danger_accept_invalid_hostnames(mode != TlsMode::VerifyFull);
        if let Some(root) = &root {
            let pem = std::fs::read(root).map_err(|e| {
                Error::Io(format!("Cannot read the server's certificate authority {}: {e}", root.display()))
            })?;
            let cert = native_tls::Certificate::from_pem(&pem).map_err(|e| {
                Error::invalid("db", format!("{} is not a PEM certificate: {e}", root.display()))
            })?;
            b.add_root_certificate(cert);
        }
        let connector = b.build().map_err(|e| Error::Internal(format!("TLS cannot be set up: {e}")))?;
        Ok(Server { config, tls: postgres_native_tls::MakeTlsConnector::new(connector), shown: redact(url) })
    }

    /// A new connection, or why there is none.
    pub fn connect(&self) -> Result<postgres::Client> {
        self.config.connect(self.tls.clone()).map_err(|e| unreachable(&self.shown, &e))
    }

    /// A new connection after one was lost, with a short connect timeout.
    pub(crate) fn connect_again(&self) -> Result<postgres::Client> {
        let mut config = self.config.clone();
        let timeout = config.get_connect_timeout().copied().unwrap_or(CONNECT_TIMEOUT).min(RECONNECT_TIMEOUT);
        config.connect_timeout(timeout);
        config.connect(self.tls.clone()).map_err(|e| unreachable(&self.shown, &e))
    }
}

/// Whether `url` names a port: `host:port` in its authority, or `port=` in its query.
fn names_port(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let (authority, query) = match rest.split_once('?') {
        Some((a, q)) => (a, q),
        None => (rest, ""),
    };
    let authority = authority.split('/').next().unwrap_or("");
    let hosts = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let in_authority =
        hosts.split(',').any(|h| h.rsplit_once(':').is_some_and(|(_, p)| !p.is_empty() && !p.ends_with(']')));
    in_authority || query.split('&').any(|kv| kv.starts_with("port="))
}

/// The password for `c` from the password file, if any line matches (`host:port:db:user:pw`,
/// `*` matching anything, `\:` and `\\` escaped). The file is ignored, as by `psql`, when
/// others can read it.
fn pgpass_lookup(c: &postgres::Config) -> Option<String> {
    let path = std::env::var_os("PGPASSFILE")
        .map(std::path::PathBuf::from)
        .or_else(|| dirs::home_dir().map(|h| h.join(".pgpass")))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if std::fs::metadata(&path).ok()?.permissions().mode() & 0o077 != 0 {
            return None;
        }
    }
    let text = std::fs::read_to_string(&path).ok()?;
    let host = match c.get_hosts().first()? {
        postgres::config::Host::Tcp(h) => h.clone(),
        #[cfg(unix)]
        postgres::config::Host::Unix(_) => "localhost".into(),
    };
    let port = c.get_ports().first().copied().unwrap_or(5432).to_string();
    let user = c.get_user()?.to_string();
    let db = c.get_dbname().map_or_else(|| user.clone(), str::to_string);
    pgpass_match(&text, [&host, &port, &db, &user])
}

/// The password of the first line of a `.pgpass` text matching host, port, database, user.
pub fn pgpass_match(text: &str, want: [&str; 4]) -> Option<String> {
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut chars = line.chars();
        while let Some(ch) = chars.next() {
            match ch {
                '\\' => field.extend(chars.next()),
                ':' if fields.len() < 4 => fields.push(std::mem::take(&mut field)),
                _ => field.push(ch),
            }
        }
        fields.push(field);
        if fields.len() != 5 {
            continue;
        }
        if fields[..4].iter().zip(want).all(|(f, w)| f == "*" || f == w) {
            return fields.pop();
        }
    }
    None
}

/// Words for a failure to reach or use the server, with the address redacted.
pub(crate) fn unreachable(url: &str, e: &postgres::Error) -> Error {
    if let Some(db) = e.as_db_error() {
        // The server answered that it takes no connection now: shutting down, starting up.
        if db.code().code().starts_with("57P") {
            return Error::Unreachable(format!(
                "The database server {} cannot be reached now: {}",
                redact(url),
                db.message()
            ));
        }
        // The server answered: a wrong password, an unknown database, a refused address.
        return Error::Storage(format!(
            "The database server {} refused the connection: {}",
            redact(url),
            db.message()
        ));
    }
    let why = crate::error::chain(e);
    if why.contains("password missing") {
        return Error::Storage(format!(
            "The database server {} needs a password: put it in ~/.pgpass (host:port:database:user:password, readable by you only: chmod 600) or in PGPASSWORD",
            redact(url)
        ));
    }
    if why.contains("TLS") || why.contains("certificate") {
        return Error::Storage(format!(
            "The database server {} cannot be reached safely: {why}. Its certificate was not accepted (sslmode=verify-ca or verify-full checks it against the authority in sslrootcert)",
            redact(url)
        ));
    }
    Error::Unreachable(format!(
        "The database server {} cannot be reached: {why}. Check that it is running and that this desk is on its network",
        redact(url)
    ))
}

/// Connect to the server at `url`, make sure the database is a Delegate Desk roster this
/// version understands (creating the schema and the demo event in an empty one), and return
/// the connection. A database holding other tables, or a newer schema, is refused untouched.
pub fn open(url: &str, seed: &[(&'static str, Vec<Value>)]) -> Result<Db> {
    let server = Server::at(url)?;
    let client = server.connect()?;
    let db = Db::postgres_reconnecting(client, server);
    db.batch("SET client_min_messages = warning")?;
    migrate(&db, url, seed)?;
    Ok(db)
}

/// Whether the database at `url` is ours (`Some(schema version)`), new and empty (`None`), or
/// refused (another program's, or too new), without changing it.
pub fn probe(url: &str) -> Result<Option<i64>> {
    let db = Db::postgres(Server::at(url)?.connect()?);
    match identify(&db)? {
        None => Ok(None),
        Some((app, version)) if app == i64::from(crate::store::storage::APPLICATION_ID) && version <= SCHEMA_VERSION => {
            Ok(Some(version))
        }
        Some((app, version)) if app == i64::from(crate::store::storage::APPLICATION_ID) => Err(Error::Storage(format!(
            "The database {} was written by a newer version of Delegate Desk (schema {version}); it was left untouched.",
            redact(url)
        ))),
        Some(_) => Err(Error::Storage(format!(
            "The database {} is not a Delegate Desk database (it holds other tables); it was left untouched.",
            redact(url)
        ))),
    }
}

/// What the database holds: `None` when it has no table at all (new), else the application
/// id and schema version of its `delegate_desk` row (0, 0 when it is another program's).
fn identify(db: &Db) -> Result<Option<(i64, i64)>> {
    let tables: i64 = db.value(
        "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()",
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

fn migrate(db: &Db, url: &str, seed: &[(&'static str, Vec<Value>)]) -> Result<()> {
    let refuse =
        |why: String| Error::Storage(format!("The database {} {why}; it was left untouched.", redact(url)));
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
    if check(identify(db)?)? == SCHEMA_VERSION {
        return Ok(());
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
        assert_eq!(
            redact("postgres://desk:s3cr3t@10.0.0.5:5432/cansec"),
            "postgres://desk:***@10.0.0.5:5432/cansec"
        );
        assert_eq!(redact("postgres://desk:p@ss@host/db"), "postgres://desk:***@host/db");
        assert_eq!(
            redact("postgres://host/db?user=a&password=xyz&sslmode=require"),
            "postgres://host/db?user=a&password=***"
        );
        assert_eq!(redact("postgres://desk@host/db"), "postgres://desk@host/db");
    }

    #[test]
    fn a_password_is_masked_whatever_it_holds() {
        for secret in [
            "Se/cret99",
            "Se:cret99",
            "Se@cret99",
            "Se?cret99",
            "Se#cret99",
            "Se%2Fcret99",
            "S/e:c@r?e#t",
            "",
            "ünïcødé-pässwörd",
            "a b",
            "p@ss/w:rd?x=1#frag",
        ] {
            for url in [
                format!("postgres://desk:{secret}@host/db"),
                format!("postgresql://desk:{secret}@10.0.0.5:5432/cansec?sslmode=require"),
                format!("postgres://desk:{secret}@host"),
                format!("postgres://host/db?user=desk&password={secret}&sslmode=require"),
                format!("postgres://host/db?password={secret}"),
            ] {
                let shown = redact(&url);
                if !secret.is_empty() {
                    assert!(!shown.contains(secret), "{url} shown as {shown}");
                    // Not even a piece of it longer than two characters.
                    let chars: Vec<char> = secret.chars().collect();
                    for w in chars.windows(3) {
                        let piece: String = w.iter().collect();
                        if !["db?", "ret"].contains(&piece.as_str())
                            && !url.replace(secret, "").contains(&piece)
                        {
                            assert!(!shown.contains(&piece), "{url} shown as {shown} ({piece})");
                        }
                    }
                }
                assert!(shown.contains("***"), "{url} shown as {shown}");
            }
        }
        assert_eq!(redact("postgres://desk:Se/cret99@host/db"), "postgres://desk:***@host/db");
        assert_eq!(redact("postgres://desk:a@b@host:5433/db"), "postgres://desk:***@host:5433/db");
        let e = Server::at("postgres://desk:s3cr3t@host:notaport/db").err().unwrap().to_string();
        assert!(!e.contains("s3cr3t"), "{e}");
    }

    #[test]
    fn tls_settings_are_taken_out_of_the_address_and_checked() {
        let (plain, (mode, _)) = split_tls("postgres://h/db?sslmode=verify-full&application_name=x").unwrap();
        assert_eq!((plain.as_str(), mode), ("postgres://h/db?application_name=x", TlsMode::VerifyFull));
        let (plain, (mode, root)) = split_tls("postgres://h/db?sslrootcert=/ca.crt&sslmode=allow").unwrap();
        assert_eq!(
            (plain.as_str(), mode, root),
            ("postgres://h/db", TlsMode::Prefer, Some("/ca.crt".into()))
        );
        let e = Server::at("postgres://h/db?sslmode=bogus").err().unwrap();
        assert!(e.to_string().contains("sslmode=bogus is not known"), "{e}");
    }

    #[test]
    fn a_port_is_named_only_when_written() {
        assert!(names_port("postgres://desk@host:5433/db"));
        assert!(names_port("postgres://host/db?port=5433"));
        assert!(names_port("postgres://[::1]:5433/db"));
        assert!(!names_port("postgres://desk:pw@host/db"));
        assert!(!names_port("postgres://[::1]/db"));
        assert!(!names_port("postgres:///db"));
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
