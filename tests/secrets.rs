//! A secret is never shown: a PostgreSQL address whose password holds `/ : @ ? #` (typed as
//! is, or percent-encoded) reaches no message of the CLI, whatever fails.

use std::process::Command;

const CLI: &str = env!("CARGO_BIN_EXE_delegate-desk-cli");

/// A port on this machine nobody listens on.
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

#[test]
fn a_password_with_any_character_reaches_no_message() {
    let port = closed_port();
    let dir = tempfile::tempdir().unwrap();
    for secret in
        ["Se/cret99", "Se:cret99", "Se@cret99", "Se?cret99", "Se#cret99", "Se%2Fcret99", "S/e:c@r?e#t99"]
    {
        for url in [
            format!("postgres://desk:{secret}@127.0.0.1:{port}/cansec"),
            format!("postgresql://desk:{secret}@127.0.0.1:{port}/cansec?sslmode=disable&connect_timeout=2"),
            format!("postgres://127.0.0.1:{port}/cansec?user=desk&password={secret}"),
        ] {
            for args in [
                vec!["status"],
                vec!["status", "--json"],
                vec!["event", "show"],
                vec!["backup", "--list"],
                vec!["copy", "--from", url.as_str(), "--to", dir.path().join("c.sqlite3").to_str().unwrap()],
            ] {
                let out = Command::new(CLI)
                    .arg("--db")
                    .arg(&url)
                    .args(&args)
                    .env_remove("DELEGATE_DESK_DB")
                    .env_remove("PGPASSWORD")
                    .env("HOME", dir.path())
                    .output()
                    .unwrap();
                assert!(!out.status.success(), "{url} {args:?} did not fail");
                let text = format!(
                    "{}{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
                assert!(!text.contains(secret), "{url} {args:?} shows the password: {text}");
                assert!(!text.contains("cret99") && !text.contains("panicked"), "{url} {args:?}: {text}");
            }
        }
    }
}
