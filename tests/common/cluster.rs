//! Stopping and starting the test's PostgreSQL cluster (shared with the E2E tests).

/// `pg_ctlcluster VERSION NAME ACTION [-m MODE]` on the test cluster (the one on `PGPORT`).
pub fn cluster(action: &str, mode: &str) {
    let port = std::env::var("PGPORT").unwrap_or_else(|_| "5432".into());
    let list = std::process::Command::new("pg_lsclusters").arg("-h").output().expect("pg_lsclusters");
    let text = String::from_utf8_lossy(&list.stdout).to_string();
    let line = text
        .lines()
        .find(|l| l.split_whitespace().nth(2) == Some(port.as_str()))
        .unwrap_or_else(|| panic!("no cluster on port {port}: {text}"));
    let f: Vec<&str> = line.split_whitespace().collect();
    let mut cmd = std::process::Command::new("pg_ctlcluster");
    cmd.args([f[0], f[1], action]);
    if !mode.is_empty() {
        cmd.args(["-m", mode]);
    }
    assert!(cmd.status().expect("pg_ctlcluster").success(), "pg_ctlcluster {action}");
}
