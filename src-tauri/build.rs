//! Tauri build step: embeds the configuration and the access-control list. Only the app
//! commands listed in `commands::NAMES` get permissions, so the capability file can allow
//! exactly those.

include!("src/command_names.rs");

fn main() {
    let attributes =
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMAND_NAMES));
    tauri_build::try_build(attributes).expect("failed to run the Tauri build step");
}
