//! A secret is never shown: a PostgreSQL address whose password holds `/ : @ ? # &` (typed as
//! is, or percent-encoded) reaches no message of the CLI, whatever fails, and an address that
//! is not a server's is refused (masked) instead of being taken for a file name.

use std::path::Path;
use std::process::Command;

const CLI: &str = env!("CARGO_BIN_EXE_delegate-desk-cli");

/// A port on this machine nobody listens on.
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// The CLI run in `dir` (its home, data folder and working folder), with `db` given as
/// `--db` or, when `env`, as `DELEGATE_DESK_DB`: its exit code and everything it printed.
fn run(dir: &Path, db: Option<&str>, env: bool, args: &[&str]) -> (Option<i32>, String) {
    let mut c = Command::new(CLI);
    c.current_dir(dir)
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("PGPASSFILE", dir.join("no-pgpass"))
        .env_remove("DELEGATE_DESK_DB")
        .env_remove("DELEGATE_DESK_PIN")
        .env_remove("PGPASSWORD");
    match (db, env) {
        (Some(db), true) => {
            c.env("DELEGATE_DESK_DB", db);
        }
        (Some(db), false) => {
            c.arg("--db").arg(db);
        }
        (None, _) => {}
    }
    let out = c.args(args).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code(), text)
}

/// The names in `dir`, to show that nothing was created.
fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    n.sort();
    n
}

/// Every character a password may hold that an address uses for itself, alone, then
/// together, then percent-encoded.
fn secrets() -> Vec<String> {
    let mut out: Vec<String> =
        ["/", ":", "@", "?", "#", "&", "=", "%", " "].iter().map(|c| format!("Se{c}cret99")).collect();
    out.push("S/e:c@r?e#t&99cret99".into());
    out.push("Se%2Fcr%40et%3Fcret99".into());
    out.push("ünïcødé-cret99".into());
    out
}

#[test]
fn a_password_with_any_character_reaches_no_message() {
    let port = closed_port();
    let dir = tempfile::tempdir().unwrap();
    // A database of ours to copy from and restore from.
    let file = dir.path().join("event.sqlite3");
    let (code, text) = run(dir.path(), file.to_str(), false, &["status"]);
    assert_eq!(code, Some(0), "{text}");
    let copy_to = dir.path().join("copy.sqlite3");
    // One thread per password: the 123 CLI processes would otherwise run one after another
    // with a core idle. Each thread has its own copy of the database: a copy from it opens it,
    // and a restore from a database open elsewhere is refused for that, before the address.
    let secrets = secrets();
    let files: Vec<_> = (0..secrets.len())
        .map(|n| {
            let own = dir.path().join(format!("event-{n}.sqlite3"));
            std::fs::copy(&file, &own).unwrap();
            own
        })
        .collect();
    std::thread::scope(|scope| {
        for (n, (secret, file)) in secrets.iter().zip(&files).enumerate() {
            let (dir, copy_to) = (dir.path(), &copy_to);
            scope.spawn(move || check_secret(dir, port, n, secret, file, copy_to));
        }
    });
    assert!(!copy_to.exists());
}

/// Every way to a message for the password `secret` (the `n`-th; every command for the
/// first, the ways that differ most for the others): each fails, naming the address masked.
fn check_secret(dir: &Path, port: u16, n: usize, secret: &str, file: &Path, copy_to: &Path) {
    for url in [
        format!("postgres://desk:{secret}@127.0.0.1:{port}/cansec"),
        format!("postgresql://desk:{secret}@127.0.0.1:{port}/cansec?sslmode=disable&connect_timeout=2"),
        format!("postgres://127.0.0.1:{port}/cansec?user=desk&password={secret}&sslmode=disable"),
    ] {
        let runs: Vec<(bool, Vec<&str>)> = vec![
            (false, vec!["status"]),
            (true, vec!["status", "--json"]),
            (false, vec!["event", "show", "--json"]),
            (false, vec!["audit", "--json"]),
            (false, vec!["backup", "--list"]),
            (false, vec!["restore", file.to_str().unwrap()]),
            (false, vec!["copy", "--from", url.as_str(), "--to", copy_to.to_str().unwrap()]),
            (false, vec!["copy", "--from", file.to_str().unwrap(), "--to", url.as_str()]),
        ];
        // Every command for the first password; the ways to a message that differ most for
        // the others (a desk opened, a copy's source and target).
        let runs = runs.into_iter().enumerate().filter(|(i, _)| n == 0 || [1, 6, 7].contains(i));
        for (_, (env, args)) in runs {
            let db = Some(url.as_str()).filter(|_| args[0] != "copy");
            let (code, text) = run(dir, db, env, &args);
            assert!(code.is_some_and(|c| c != 0), "{url} {args:?} did not fail: {text}");
            assert!(!text.contains("cret99") && !text.contains("panicked"), "{url} {args:?}: {text}");
            assert!(text.contains(":***@") || text.contains("password=***"), "{url} {args:?}: {text}");
        }
    }
}

/// `pg://…`, `postgre://…`, `postgres:/…`: an address mistyped was taken for a file name — a
/// new, empty database in folders named after it, its password in the window's footer. It is
/// refused naming the argument, masked, and nothing is created.
#[test]
fn an_address_that_is_not_a_servers_is_refused_never_taken_for_a_file() {
    let port = closed_port();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("event.sqlite3");
    assert_eq!(run(dir.path(), file.to_str(), false, &["status"]).0, Some(0));
    let before = names(dir.path());
    for typed in [
        format!("pg://desk:Se/cret99@127.0.0.1:{port}/cansec"),
        format!("postgre://desk:Se@cret99@127.0.0.1:{port}/cansec"),
        format!("postgres:/desk:Se?cret99@127.0.0.1:{port}/cansec"),
        format!("postgresql:/desk:Se#cret99@127.0.0.1:{port}/cansec"),
    ] {
        let db = file.to_str();
        for (db, env, args, arg) in [
            (Some(typed.as_str()), false, vec!["status"], "(--db)"),
            (Some(typed.as_str()), true, vec!["status", "--json"], "(--db)"),
            (Some(typed.as_str()), false, vec!["demo"], "(--db)"),
            (Some(typed.as_str()), false, vec!["restore", file.to_str().unwrap()], "(--db)"),
            (None, false, vec!["copy", "--from", typed.as_str(), "--to", "copy.sqlite3"], "(--from)"),
            (None, false, vec!["copy", "--from", file.to_str().unwrap(), "--to", typed.as_str()], "(--to)"),
            (db, false, vec!["export", "roster", "--format", "csv", "-o", typed.as_str()], "(--output)"),
            (db, false, vec!["audit", "--csv", typed.as_str()], "(--csv)"),
            (db, false, vec!["backup", "-o", typed.as_str()], "(--output)"),
        ] {
            let (code, text) = run(dir.path(), db, env, &args);
            assert_eq!(code, Some(2), "{typed} {args:?}: {text}");
            assert!(text.contains(arg) && text.contains("desk:***@127.0.0.1"), "{typed} {args:?}: {text}");
            assert!(!text.contains("cret99"), "{typed} {args:?}: {text}");
        }
        // Given as the backup to restore, it is no file either.
        let (code, text) = run(dir.path(), db, false, &["restore", typed.as_str()]);
        assert!(code.is_some_and(|c| c != 0) && !text.contains("cret99"), "{typed}: {text}");
        assert_eq!(names(dir.path()), before, "{typed}: something was created");
    }
}
