/// Every command the UI may invoke. Shared by `build.rs` (permissions) and the invoke handler
/// test that checks the list is complete.
pub const COMMAND_NAMES: &[&str] = &[
    "event_get",
    "event_update",
    "attendee_register",
    "attendee_edit",
    "attendee_get",
    "attendee_history",
    "attendee_list",
    "attendee_cancel",
    "attendee_promote",
    "attendee_reinstate",
    "seat_status",
    "delegations",
    "categories",
    "revision",
    "db_info",
];
