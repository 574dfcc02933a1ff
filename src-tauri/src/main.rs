//! The Delegate Desk desktop app: `delegate-desk [--db PATH]`.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    delegate_desk_app::run();
}
