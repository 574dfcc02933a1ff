//! Several desks on one PostgreSQL server, each its own app process: registering in one window
//! moves the seat gauge in the other within 2 seconds, and the footer names the server without
//! its password.
//!
//! Runs in the test script's PostgreSQL pass (`DELEGATE_DESK_TEST_PG` set, under
//! `pg_virtualenv`); in the plain pass there is no server and the test says so and returns.

use delegate_desk::Desk;
use delegate_desk_e2e::{ensure, serial, App};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// `f` on a thread of its own: the core's PostgreSQL client blocks, and must not run on the
/// test's async runtime.
fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::spawn(f).join().expect("the blocking work panicked")
}

/// A new, empty database on the test server, opened once by the desk (schema, demo event).
fn server_db(name: &str) -> PathBuf {
    let mut admin = delegate_desk::pg::Server::at("postgres:///postgres").and_then(|s| s.connect()).unwrap();
    let name = format!("dd_e2e_{}_{name}", std::process::id());
    admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let db = PathBuf::from(format!("postgres:///{name}"));
    drop(Desk::open(&db).unwrap());
    db
}

#[tokio::test]
async fn registering_at_one_desk_moves_the_gauge_at_the_other() {
    if std::env::var_os("DELEGATE_DESK_TEST_PG").is_none() {
        eprintln!("no PostgreSQL server for this pass (DELEGATE_DESK_TEST_PG is not set)");
        return;
    }
    let _one = serial().await;
    let db = blocking(|| server_db("two_windows"));
    let a = App::start(&db).await;
    let b = App::start(&db).await;
    let result: Result<Duration, String> = async {
        b.wait_text("#gauge-registered", |t| t == "0").await?;
        let shown = a.text("#db-path").await?.unwrap_or_default();
        ensure(shown.starts_with("postgres://"), || format!("the footer shows {shown:?}"))?;
        a.click("#nav-register").await?;
        a.fill("#reg-givenName", "Two").await?;
        a.fill("#reg-familyName", "Windows").await?;
        a.fill("#reg-delegation", "Jamaica").await?;
        a.choose("reg-category", "delegate").await?;
        a.click("#reg-submit").await?;
        a.wait_contains("#register-result", "Registered").await?;
        let registered = Instant::now();
        b.wait_text("#gauge-registered", |t| t == "1").await?;
        let took = registered.elapsed();
        b.wait_text("#gauge-left", |t| t == "99").await?;
        ensure(took < Duration::from_secs(2), || format!("the other window took {took:?}"))?;
        Ok(took)
    }
    .await;
    b.screenshot("several-desks-b").await;
    a.screenshot("several-desks-a").await;
    a.close().await;
    b.close().await;
    let took = result.unwrap_or_else(|e| panic!("two windows on one server: {e}"));
    eprintln!("the other window showed the registration after {} ms", took.as_millis());
    let registered = blocking(move || Desk::open(&db).unwrap().status().unwrap().registered);
    assert_eq!(registered, 1);
}
