//! The end-to-end tests through the real window (tauri-driver and WebKitWebDriver, the packaged
//! release program named by `DELEGATE_DESK_APP`), one module per capability, in one test program
//! so that a build links it once. At most three tests drive windows at once (`turn()` takes a
//! turn; each window has an X server of its own) and the scripts run them with
//! `--test-threads=3`; one module or one test is chosen by its path, e.g.
//! `cargo test -p delegate-desk-e2e --test e2e -- --test-threads=3 door::`.

mod accessibility;
mod arrival;
mod audit;
mod badges;
mod coordinator;
mod demo_about;
mod door;
mod hardening;
mod layout;
mod lists;
mod printing;
mod protocol;
mod rush;
mod scans;
mod several_desks;
mod startup;
mod tour;
mod truthful;
mod vetting;
mod webview;

/// Every file beside this one is one of its modules: with `autotests = false` (Cargo.toml), a
/// test file not named above would never be built or run, and nothing would say so.
#[test]
fn every_test_file_is_a_module_of_this_program() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let main = std::fs::read_to_string(dir.join("main.rs")).unwrap();
    let mut modules = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let Some(module) = name.strip_suffix(".rs").filter(|m| *m != "main") else { continue };
        let line = format!("mod {module};");
        assert!(main.lines().any(|l| l == line), "tests/{name} never runs: add `{line}` to tests/main.rs");
        modules += 1;
    }
    assert_eq!(modules, main.lines().filter(|l| l.starts_with("mod ")).count());
}
