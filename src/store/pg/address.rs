//! Where a roster is: a file path or a server's address (a `postgres://` URL or
//! `key=value` words), parsed once, its password never shown, `.pgpass` consulted.

use super::*;
use crate::error::{Error, Result};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

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
pub(crate) fn scheme_end(s: &str) -> Option<usize> {
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
pub(crate) const PARAMS: &[&str] = &[
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
pub(crate) fn starts_with_param(s: &str) -> bool {
    PARAMS.iter().any(|p| s.strip_prefix(p).is_some_and(|r| r.starts_with('=')))
}

/// Query parameters (key, value), as typed.
pub(crate) type Params = Vec<(String, String)>;

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
    pub(crate) scheme: String,
    /// The user, as typed (percent-encoded or not), when the address has a user part.
    pub(crate) user: Option<String>,
    /// The user part's password, percent-decoded. Never shown.
    pub(crate) password: Option<Vec<u8>>,
    /// The hosts and ports, as typed (`10.0.0.5:5432`, `h1,h2:5433`; empty for the local
    /// socket).
    pub(crate) hosts: String,
    /// The path (`/database`), as typed, or empty.
    pub(crate) path: String,
    /// The query's parameters, as typed and in order; a `password` one's value is left empty
    /// here and kept in `param_password`.
    pub(crate) params: Params,
    /// The value of the (last) `password=` parameter, percent-decoded. Never shown.
    pub(crate) param_password: Option<Vec<u8>>,
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
    pub(crate) fn names_port(&self) -> bool {
        let in_hosts = self.hosts.split(',').any(|h| match h.strip_prefix('[') {
            Some(v6) => v6.split_once(']').is_some_and(|(_, p)| p.len() > 1),
            None => h.split_once(':').is_some_and(|(_, p)| !p.is_empty()),
        });
        in_hosts || self.params.iter().any(|(k, _)| k == "port")
    }

    /// The password the address gives: a `password=` parameter, else the user part's.
    pub(crate) fn given_password(&self) -> Option<&[u8]> {
        self.param_password.as_deref().or(self.password.as_deref())
    }

    /// The TLS settings of the address: `sslmode` and `sslrootcert` from its query (else
    /// `PGSSLMODE`, `PGSSLROOTCERT`, else `~/.postgresql/root.crt` when it exists), and the other
    /// parameters (the URL parser knows no `verify-ca`/`verify-full`). A mode this desk does not
    /// know, from the address or the environment, is refused.
    pub(crate) fn tls(&self) -> Result<(Params, TlsMode, Option<std::path::PathBuf>)> {
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
    pub(crate) fn config(&self, params: &[(String, String)]) -> Result<postgres::Config> {
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
pub(crate) fn percent_decode(s: &str) -> Vec<u8> {
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

/// The password for `c` from the password file, if any line matches (`host:port:db:user:pw`,
/// `*` matching anything, `\:` and `\\` escaped). The file is ignored, as by `psql`, when
/// others can read it.
pub(crate) fn pgpass_lookup(c: &postgres::Config) -> Option<String> {
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
