//! The end-to-end tests through the real window (tauri-driver and WebKitWebDriver, the packaged
//! release program named by `DELEGATE_DESK_APP`), one module per capability, in one test program
//! so that a build links it once. They share one window at a time (`serial()`) and run with
//! `--test-threads=1`; one module or one test is chosen by its path, e.g.
//! `cargo test -p delegate-desk-e2e --test e2e -- --test-threads=1 door::`.

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
mod several_desks;
mod startup;
mod tour;
mod truthful;
mod vetting;
mod webview;
