//! The Tauri v2 shell of Delegate Desk: state, thin command adapters and window setup.
//! Every rule lives in the `delegate_desk` core.

#![warn(missing_docs)]

pub mod commands;
pub mod state;

include!("command_names.rs");

use state::AppState;

/// Register the state and every command on a builder (the real one, or the mock one of the
/// tests).
pub fn builder<R: tauri::Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    builder.manage(state).invoke_handler(tauri::generate_handler![
        commands::event_get,
        commands::event_update,
        commands::attendee_register,
        commands::attendee_edit,
        commands::attendee_get,
        commands::attendee_history,
        commands::attendee_list,
        commands::attendee_cancel,
        commands::attendee_promote,
        commands::attendee_reinstate,
        commands::seat_status,
        commands::delegations,
        commands::categories,
        commands::walk_in_name,
        commands::revision,
        commands::db_info,
        commands::badge_presets,
        commands::badge_preflight,
        commands::badge_print,
        commands::badge_history,
        commands::printers,
        commands::badge_print_to_printer,
        commands::print_jobs,
        commands::print_job_retry,
        commands::print_job_cancel,
        commands::calibration_get,
        commands::calibration_set,
        commands::calibration_page,
        commands::open_path,
        commands::import_preview,
        commands::import_run,
        commands::export_choices,
        commands::export_roster,
        commands::allocations_get,
        commands::allocation_set,
        commands::allocation_remove,
        commands::allocation_policy_set,
        commands::backup_now,
        commands::backup_status,
        commands::arrival_day,
        commands::arrival_find,
        commands::arrival_card,
        commands::sessions,
        commands::session_add,
        commands::session_set,
        commands::session_remove,
        commands::session_people,
        commands::programme_export,
        commands::programme_import,
        commands::attendance_export,
        commands::arrival_arrive,
        commands::arrival_scan,
        commands::checkin_undo,
        commands::arrival_admit_unvetted,
        commands::attendee_set_vetting,
        commands::protocol_notices,
        commands::protocol_ack,
        commands::audit_trail,
        commands::recent_arrivals,
        commands::dashboard,
        commands::operator_get,
        commands::operator_set,
        commands::desk_settings_get,
        commands::desk_setting_set,
        commands::pin_status,
        commands::pin_set,
        commands::pin_unlock,
        commands::pin_lock,
        commands::pin_acknowledge_reset,
        commands::audit_choices,
        commands::audit_page,
        commands::audit_export,
        commands::delegation_check,
        commands::demo_start,
        commands::demo_leave,
        commands::desk_reopen,
        commands::about,
        commands::window_title,
    ])
}

/// Open the database named by `--db PATH`, `DELEGATE_DESK_DB` or the default location, and
/// run the window. A database that cannot be opened is reported in the window, not by a crash.
pub fn run() {
    // Before any thread starts: the environment is read by the webview's processes.
    prefer_cpu_rendering_without_gpu(std::path::Path::new("/dev/dri"));
    // The database opens while the window starts (the window takes longer).
    let state = AppState::open(delegate_desk::storage::db_arg(std::env::args().skip(1)).as_deref());
    builder(tauri::Builder::default(), state)
        // The window opens where and as large as it was last closed.
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .setup(|app| {
            start_automatic_backups(app.handle().clone());
            remember_window(app.handle());
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("error while running the Delegate Desk window");
}

/// On a computer without a graphics device (no DRM render node under `dri`, or
/// `LIBGL_ALWAYS_SOFTWARE` set), WebKit would draw the page with OpenGL emulated on the CPU
/// (Mesa's llvmpipe), compiling its shaders with LLVM at every start: a profile of the window's
/// start on such a machine showed that compiling as the largest cost, and its first frame
/// ~250 ms later than when WebKit draws on the CPU directly (`WEBKIT_SKIA_ENABLE_CPU_RENDERING`,
/// WebKitGTK 2.46 and later; docs/speed.md). With a graphics device, or when the variable is
/// already set either way, nothing changes.
pub fn prefer_cpu_rendering_without_gpu(dri: &std::path::Path) {
    const VAR: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";
    if std::env::var_os(VAR).is_some() {
        return;
    }
    let software = std::env::var_os("LIBGL_ALWAYS_SOFTWARE").is_some_and(|v| !v.is_empty() && v != "0");
    let render_node = std::fs::read_dir(dri)
        .map(|entries| entries.flatten().any(|e| e.file_name().to_string_lossy().starts_with("renderD")))
        .unwrap_or(false);
    if software || !render_node {
        std::env::set_var(VAR, "1");
    }
}

/// Write the window's size and position to disk once a resize or move has settled (half a
/// second without another), not only when the app quits: a desk laptop that is switched off
/// or loses power still opens the window where the operator left it.
///
/// The saving runs on the main thread. The window-state plugin holds its lock while it asks
/// the window for its size; asked from another thread, that question waits for the main
/// thread, and the main thread, handling the next resize or move, waits for the same lock:
/// the window froze for good (seen in the end-to-end tests: a resize right after start never
/// answered, the app's process asleep on a futex).
fn remember_window<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    use tauri::Manager;
    use tauri_plugin_window_state::{AppHandleExt, StateFlags};
    let Some(window) = app.get_webview_window("main") else { return };
    let (moved, settled) = std::sync::mpsc::channel::<()>();
    window.on_window_event(move |e| {
        if matches!(e, tauri::WindowEvent::Resized(_) | tauri::WindowEvent::Moved(_)) {
            let _ = moved.send(());
        }
    });
    let app = app.clone();
    std::thread::spawn(move || {
        while settled.recv().is_ok() {
            while settled.recv_timeout(std::time::Duration::from_millis(500)).is_ok() {}
            let on_main = app.clone();
            let asked = app.run_on_main_thread(move || {
                if let Err(e) = on_main.save_window_state(StateFlags::all()) {
                    eprintln!("the window's size and place could not be saved: {e}");
                }
            });
            if let Err(e) = asked {
                eprintln!("the window's size and place could not be saved: {e}");
            }
        }
    });
}

/// Every minute, an automatic backup if the database changed (the core decides: at most
/// every ten minutes, the newest twelve kept).
fn start_automatic_backups<R: tauri::Runtime>(app: tauri::AppHandle<R>) {
    use tauri::Manager;
    std::thread::spawn(move || loop {
        std::thread::sleep(std::time::Duration::from_secs(60));
        if let Err(e) = app.state::<AppState>().with(|d| d.auto_backup()) {
            eprintln!("automatic backup failed: {e}");
        }
    });
}
