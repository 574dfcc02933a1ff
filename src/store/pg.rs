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

/// Whether a `--db` value names a PostgreSQL server (`postgres://…` or `postgresql://…`, in
/// any case, spaces around it ignored) rather than a file.
pub fn is_server(db: &Path) -> bool {
    db.to_str().is_some_and(|s| {
        let s = s.trim();
        let lower = s.get(..13).unwrap_or(s).to_ascii_lowercase();
        lower.starts_with("postgres://") || lower.starts_with("postgresql://")
    })
}

/// Whether a location a person typed is written as an address (`scheme:/…`, with a scheme of
/// two characters or more: `pg://…`, `postgres:/…`, `mysql://…`) rather than a file name. Only
/// a server's address ([`is_server`]) is used; any other is refused (see [`Location::of`]) and
/// shown masked, never taken for the name of a new file.
pub fn looks_like_address(location: &Path) -> bool {
    location.to_str().is_some_and(|s| scheme_end(s.trim()).is_some())
}

/// The index of the `:` that ends the scheme of `s`, when `s` starts `scheme:/`.
fn scheme_end(s: &str) -> Option<usize> {
    let colon = s.find(':')?;
    let scheme = &s[..colon];
    let ok = scheme.len() >= 2
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (ok && s[colon + 1..].starts_with('/')).then_some(colon)
}

/// A location as shown to people — in every message, the window's footer, JSON: a file's path
/// as it is, an address (see [`looks_like_address`]) with its password masked by [`Address`].
/// The one way a location becomes text.
pub fn shown(location: &Path) -> String {
    match location.to_str() {
        Some(s) if looks_like_address(location) => Address::parse(s).to_string(),
        _ => location.display().to_string(),
    }
}

/// The query parameters of a connection address that this desk or the PostgreSQL client knows.
/// A `password=` value ends only where `&` and one of them follows: a password may hold `&`.
const PARAMS: &[&str] = &[
    "application_name",
    "channel_binding",
    "connect_timeout",
    "dbname",
    "host",
    "hostaddr",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_retries",
    "load_balance_hosts",
    "options",
    "passfile",
    "password",
    "port",
    "service",
    "sslcert",
    "sslkey",
    "sslmode",
    "sslnegotiation",
    "sslrootcert",
    "target_session_attrs",
    "tcp_user_timeout",
    "user",
];

/// Whether `s` starts with one of [`PARAMS`] and `=`.
fn starts_with_param(s: &str) -> bool {
    PARAMS.iter().any(|p| s.strip_prefix(p).is_some_and(|r| r.starts_with('=')))
}

/// Query parameters (key, value), as typed.
type Params = Vec<(String, String)>;

/// A server's address as a person typed it (`postgres://user:password@host:port/db?key=value`),
/// parsed once. Its passwords — in the user part or a `password=` parameter — are taken out and
/// kept apart: they reach the connection settings and nothing else. What is shown of the
/// address ([`Display`](std::fmt::Display), [`Debug`], every message, the footer, JSON) is
/// built from the other parts, each password replaced by `***` whatever it holds.
///
/// People type passwords as they are, not percent-encoded, so a password may hold
/// `/ : @ ? # &` (or be percent-encoded, or empty, or not ASCII). The user part ends at the
/// *last* `@` whose user (up to the first `:`) is a name rather than a path or a query, and
/// that is not inside the query; a `password=` value ends where `&` and a known parameter
/// follow (else at the end). An address with no `@` whose "port" is not a number
/// (`postgres://desk:Se/cret99`) is read as a user and a password. Where an address is
/// ambiguous, more is taken for the password: showing too little is safe, a secret shown is
/// not. An `@` in a query value must then be written `%40`.
#[derive(Clone, PartialEq, Eq)]
pub struct Address {
    /// The scheme and the slashes after it, as typed (`postgres://`).
    scheme: String,
    /// The user, as typed (percent-encoded or not), when the address has a user part.
    user: Option<String>,
    /// The user part's password, percent-decoded. Never shown.
    password: Option<Vec<u8>>,
    /// The hosts and ports, as typed (`10.0.0.5:5432`, `h1,h2:5433`; empty for the local
    /// socket).
    hosts: String,
    /// The path (`/database`), as typed, or empty.
    path: String,
    /// The query's parameters, as typed and in order; a `password` one's value is left empty
    /// here and kept in `param_password`.
    params: Params,
    /// The value of the (last) `password=` parameter, percent-decoded. Never shown.
    param_password: Option<Vec<u8>>,
}

impl Address {
    /// Parse `typed` (spaces around it ignored). Never fails: whether the parts make a
    /// connection is the PostgreSQL client's to say ([`Server::of`]).
    pub fn parse(typed: &str) -> Address {
        let s = typed.trim();
        let (scheme, rest) = match scheme_end(s) {
            Some(colon) => {
                let slashes = s[colon + 1..].bytes().take(2).take_while(|b| *b == b'/').count();
                s.split_at(colon + 1 + slashes)
            }
            None => ("", s),
        };
        let mut a = Address {
            scheme: scheme.to_string(),
            user: None,
            password: None,
            hosts: String::new(),
            path: String::new(),
            params: Vec::new(),
            param_password: None,
        };
        // From a `password=` parameter on, everything is the query (lengths are kept by
        // ASCII lower-casing, so the index holds for `rest`).
        let lower = rest.to_ascii_lowercase();
        let marker =
            ["?password=", "&password="].iter().filter_map(|m| lower.find(m)).min().unwrap_or(rest.len());
        let (head, from_marker) = rest.split_at(marker);
        let in_query = |text: &str| {
            let text = text.to_ascii_lowercase();
            text.match_indices(['?', '&']).any(|(i, _)| starts_with_param(&text[i + 1..]))
        };
        let user_end = head.match_indices('@').map(|(i, _)| i).rev().find(|&at| {
            let userinfo = &head[..at];
            let user = userinfo.split(':').next().unwrap_or("");
            !user.contains(['/', '?', '#']) && !in_query(userinfo)
        });
        let tail = match user_end {
            Some(at) => {
                match head[..at].split_once(':') {
                    Some((user, password)) => {
                        a.user = Some(user.to_string());
                        a.password = Some(percent_decode(password));
                    }
                    None => a.user = Some(head[..at].to_string()),
                }
                &head[at + 1..]
            }
            None => head,
        };
        let authority_end = tail.find(['/', '?']).unwrap_or(tail.len());
        let hosts = &tail[..authority_end];
        // No `@`, and a "port" that is no port: a user and a password with no host, the
        // password taken to the end (it may hold anything).
        if user_end.is_none() {
            let first = hosts.split(',').next().unwrap_or("");
            if let Some((user, port)) = first.split_once(':').filter(|_| !first.starts_with('[')) {
                let a_port = port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit());
                if !port.is_empty() && !a_port {
                    a.user = Some(user.to_string());
                    a.password = Some(percent_decode(&rest[user.len() + 1..]));
                    return a;
                }
            }
        }
        a.hosts = hosts.to_string();
        let after = &tail[authority_end..];
        let (path, query) = match after.split_once('?') {
            Some((p, q)) => (p, q),
            None => (after, ""),
        };
        a.path = path.to_string();
        let mut query = query.to_string();
        if let Some(from_password) = from_marker.get(1..) {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(from_password);
        }
        let mut rest = query.as_str();
        while !rest.is_empty() {
            let is_password = rest.get(..9).is_some_and(|k| k.eq_ignore_ascii_case("password="));
            let end = if is_password {
                rest.match_indices('&')
                    .map(|(i, _)| i)
                    .find(|&i| starts_with_param(&rest[i + 1..]))
                    .unwrap_or(rest.len())
            } else {
                rest.find('&').unwrap_or(rest.len())
            };
            let piece = &rest[..end];
            rest = rest.get(end + 1..).unwrap_or("");
            if piece.is_empty() {
                continue;
            }
            let (key, value) = piece.split_once('=').unwrap_or((piece, ""));
            if is_password {
                a.param_password = Some(percent_decode(value));
                a.params.push((key.to_string(), String::new()));
            } else {
                a.params.push((key.to_string(), value.to_string()));
            }
        }
        a
    }

    /// Whether the address names a port: `host:port` among its hosts, or `port=`.
    fn names_port(&self) -> bool {
        let in_hosts = self.hosts.split(',').any(|h| match h.strip_prefix('[') {
            Some(v6) => v6.split_once(']').is_some_and(|(_, p)| p.len() > 1),
            None => h.split_once(':').is_some_and(|(_, p)| !p.is_empty()),
        });
        in_hosts || self.params.iter().any(|(k, _)| k == "port")
    }

    /// The password the address gives: a `password=` parameter, else the user part's.
    fn given_password(&self) -> Option<&[u8]> {
        self.param_password.as_deref().or(self.password.as_deref())
    }

    /// The TLS settings of the address: `sslmode` and `sslrootcert` from its query (else
    /// `PGSSLMODE`, `PGSSLROOTCERT`, else `~/.postgresql/root.crt` when it exists), and the other
    /// parameters (the URL parser knows no `verify-ca`/`verify-full`). A mode this desk does not
    /// know, from the address or the environment, is refused.
    fn tls(&self) -> Result<(Params, TlsMode, Option<std::path::PathBuf>)> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let mut mode = env("PGSSLMODE");
        let mut root = env("PGSSLROOTCERT").map(std::path::PathBuf::from);
        let mut kept = Vec::new();
        for (k, v) in &self.params {
            match k.as_str() {
                "sslmode" => mode = Some(v.clone()),
                "sslrootcert" => root = Some(std::path::PathBuf::from(v)),
                _ if k.eq_ignore_ascii_case("password") => {}
                _ => kept.push((k.clone(), v.clone())),
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
                    format!(
                        "sslmode={} is not known; use disable, prefer, require, verify-ca or verify-full",
                        crate::text::shortened(v, 40)
                    ),
                ))
            }
        };
        let root =
            root.or_else(|| dirs::home_dir().map(|h| h.join(".postgresql/root.crt")).filter(|p| p.is_file()));
        Ok((kept, mode, root))
    }

    /// The connection settings (with the query parameters `params`: the TLS ones already taken
    /// out by [`Address::tls`]), completed as `psql` would: `PGHOST`, `PGPORT`, `PGUSER`,
    /// `PGDATABASE` and `PGPASSWORD` fill what the address leaves out, then the first matching
    /// line of `~/.pgpass` (or `PGPASSFILE`) gives the password. The PostgreSQL client reads
    /// the address without its passwords; they are set apart.
    fn config(&self, params: &[(String, String)]) -> Result<postgres::Config> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let mut url = String::from("postgresql://");
        if let Some(user) = self.user.as_deref().filter(|u| !u.is_empty()) {
            url.push_str(&user.replace('@', "%40"));
            url.push('@');
        }
        url.push_str(&self.hosts);
        url.push_str(&self.path);
        for (i, (k, v)) in params.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(k);
            url.push('=');
            url.push_str(v);
        }
        let parsed = postgres::Config::from_str(&url)
            .map_err(|e| Error::Storage(format!("The database address {self} cannot be read: {e}")))?;
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
        if self.names_port() {
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
        match self.given_password() {
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
}

/// The address with each password replaced by `***` (a password given empty too: whether
/// there is one is shown, never what it is).
impl std::fmt::Display for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.scheme)?;
        if let Some(user) = &self.user {
            f.write_str(user)?;
            if self.password.is_some() {
                f.write_str(":***")?;
            }
            f.write_str("@")?;
        }
        f.write_str(&self.hosts)?;
        f.write_str(&self.path)?;
        for (i, (k, v)) in self.params.iter().enumerate() {
            f.write_str(if i == 0 { "?" } else { "&" })?;
            if k.eq_ignore_ascii_case("password") {
                write!(f, "{k}=***")?;
            } else {
                write!(f, "{k}={v}")?;
            }
        }
        Ok(())
    }
}

/// As shown to people: a panic or a log that prints an address prints no password.
impl std::fmt::Debug for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Address({:?})", self.to_string())
    }
}

/// `%XX` sequences decoded, anything else kept as it is (a `%` not followed by two hex
/// digits stays a `%`), as the PostgreSQL client decodes a password.
fn percent_decode(s: &str) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// Where a desk's database is, as a person typed it (`--db`, `DELEGATE_DESK_DB`, `copy --from`):
/// a file on this computer or a PostgreSQL server, told apart once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// An SQLite file.
    File(std::path::PathBuf),
    /// A PostgreSQL server.
    Server(Address),
}

impl Location {
    /// The location `typed` names. An address that is not a server's (`pg://…`,
    /// `postgres:/…`) is refused naming `field`, shown masked: taken for a file name, it would
    /// make a new, empty database in a folder named after it, and show its password in the
    /// footer.
    pub fn of(typed: &Path, field: &str) -> Result<Location> {
        if is_server(typed) {
            return Ok(Location::Server(Address::parse(typed.to_str().unwrap_or_default())));
        }
        if looks_like_address(typed) {
            return Err(Error::invalid(
                field,
                format!(
                    "{} is not a database this desk can open: a server's address starts postgres:// or postgresql:// (postgres://user@host/database); anything else must be a file name",
                    shown(typed)
                ),
            ));
        }
        Ok(Location::File(typed.to_path_buf()))
    }
}

/// The file's path, or the server's address with its password masked.
impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File(p) => write!(f, "{}", p.display()),
            Location::Server(a) => write!(f, "{a}"),
        }
    }
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

/// A server to connect to: the settings, how it is checked, and its address (shown with the
/// password masked).
#[derive(Clone)]
pub struct Server {
    config: postgres::Config,
    tls: postgres_native_tls::MakeTlsConnector,
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
        Ok(Server {
            config,
            tls: postgres_native_tls::MakeTlsConnector::new(connector),
            address: address.clone(),
        })
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
