// The only module that talks to the Tauri backend. Every command is one exported function;
// every rejection becomes an AppError {kind, message, field, fields}.

/**
 * An error reported to the operator: kind is validation|notFound|conflict|coordinatorOnly|storage|unreachable|io|internal.
 * `confirm` is true on a conflict that is a question: the change is done when sent again with its force.
 * `stale` is true on a conflict with another desk's save since the form was filled: the form takes
 * what is stored as what it was filled with, and the next save replaces it; `typed` then names the
 * fields the desk took as changed in the form (kept as typed).
 */
export class AppError extends Error {
  /** @param {{kind?: string, message?: string, field?: string|null, fields?: {field: string, message: string}[], confirm?: boolean, stale?: boolean, typed?: string[]}} init */
  constructor({ kind = 'internal', message, field = null, fields = [], confirm = false, stale = false, typed = [] } = {}) {
    super(message || 'Something went wrong, and the app gave no reason.');
    this.name = 'AppError';
    this.kind = kind;
    this.confirm = confirm === true;
    this.stale = stale === true;
    this.typed = Array.isArray(typed) ? typed.filter((t) => typeof t === 'string') : [];
    this.field = field ?? null;
    this.fields = Array.isArray(fields) ? fields : [];
  }
}

/** Turns anything thrown or rejected (backend object, string, Error) into an AppError. */
export function asAppError(e) {
  if (e instanceof AppError) return e;
  if (typeof e === 'string') return new AppError({ kind: 'internal', message: e });
  if (e && typeof e === 'object' && typeof e.kind === 'string') return new AppError(e);
  if (e instanceof Error) return new AppError({ kind: 'internal', message: e.message });
  return new AppError({ kind: 'internal', message: String(e) });
}

/** Tauri's core API (invoke, Channel); throws an AppError when the window has no backend. */
function tauriCore() {
  const core = window.__TAURI__?.core;
  if (typeof core?.invoke !== 'function') {
    throw new AppError({
      kind: 'internal',
      message: 'The connection to the Delegate Desk backend is missing (window.__TAURI__ is not available).',
    });
  }
  return core;
}

// Asked when the core refuses a coordinator-only action (see pin.js): resolves true once the
// desk is open for coordinator actions, and the action is then tried once more.
let coordinatorOnly = null;

/** Registers what asks for the coordinator PIN: `ask(err)` resolves true when unlocked. */
export function onCoordinatorOnly(ask) {
  coordinatorOnly = ask;
}

async function call(cmd, args = {}, options = undefined) {
  const { invoke } = tauriCore();
  try {
    return await invoke(cmd, args, options);
  } catch (e) {
    const err = asAppError(e);
    if (err.kind !== 'coordinatorOnly' || !coordinatorOnly || !(await coordinatorOnly(err))) throw err;
  }
  try {
    return await invoke(cmd, args, options);
  } catch (e) {
    throw asAppError(e);
  }
}

// Every change the desk sends carries an id of its own (the core's request ids). An id is kept
// for one thing only: the immediate retry of the change that failed on the storage (the server
// unreachable, its reply lost) or on a bug after it may have been saved. Sent again unchanged as the very next change, it carries the same
// id: if the first one did reach the database, the desk answers with its result and applies
// nothing twice. Any other change sent, or an answer to the retry, drops the kept id, so an id
// never answers a later change (a check-in again after an undo is a new change).
let kept = null; // {key, requestId} of the one change that failed on the storage, or null

function newRequestId() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** What a change is, as a short string: its command and its arguments (a file by length and hash). */
function changeKey(cmd, args) {
  if (args instanceof Uint8Array) {
    let h = 0x811c9dc5;
    for (const b of args) h = Math.imul(h ^ b, 0x01000193) >>> 0;
    return `${cmd}:${args.length}:${h}`;
  }
  return `${cmd}:${JSON.stringify(args, (k, v) => (k === 'onProgress' ? undefined : v))}`;
}

/** A command that changes the roster, sent with its request id (in `args`, or a header for raw bytes). */
async function change(cmd, args = {}, options = undefined, extraKey = '') {
  const key = changeKey(cmd, args) + extraKey;
  const requestId = kept?.key === key ? kept.requestId : newRequestId();
  kept = null;
  const raw = args instanceof Uint8Array;
  const sent = raw ? args : { ...args, requestId };
  const opts = raw ? { ...options, headers: { ...options?.headers, 'x-request-id': requestId } } : options;
  try {
    return await call(cmd, sent, opts);
  } catch (e) {
    // A bug (`internal`) may have struck after the change was saved: its retry is answered
    // from the store too, never applied twice.
    if (e.kind === 'storage' || e.kind === 'unreachable' || e.kind === 'internal') kept = { key, requestId };
    throw e;
  }
}

/** An import command: the file travels as raw bytes, its options as JSON in a header. */
const importCall = (cmd, bytes, options) =>
  call(cmd, bytes, { headers: { 'x-import-options': asciiJson(options ?? {}) } });

/**
 * JSON with every character past ASCII written as a \u escape: a header value may hold only
 * bytes, and a column named "Łódź" or "Country – territory" must travel too.
 */
function asciiJson(value) {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The event settings. */
export const eventGet = () => call('event_get');
/** Changes the event settings; resolves to {event, promotionCandidates, message}. */
export const eventUpdate = (input) => change('event_update', { input });
/** Registers (or waitlists) a new attendee; resolves to {attendee, seat, capacity, message}. */
export const registerAttendee = (input) => change('attendee_register', { input });
/**
 * Saves the fields of an attendee; resolves to the Attendee. `loaded`, the form as it was filled:
 * only what was typed differently is saved (a field changed at another desk too is refused).
 */
export const editAttendee = (id, input, loaded) => change('attendee_edit', { id, input, loaded });
/** One attendee. */
export const getAttendee = (id) => call('attendee_get', { id });
/** The audit trail of one attendee, oldest first. */
export const attendeeHistory = (id) => call('attendee_history', { id });
/** The attendees matching {status?, category?, delegation?, name?}. */
export const listAttendees = (filter) => call('attendee_list', { filter });
/** Cancels an attendee; resolves to {attendee, proposal, message}. */
export const cancelAttendee = (id) => change('attendee_cancel', { id });
/** Promotes waitlisted attendees; resolves to {promoted, message}. */
export const promoteAttendees = (ids) => change('attendee_promote', { ids });
/** Brings a cancelled attendee back; resolves to {attendee, seat, capacity, message}. */
export const reinstateAttendee = (id) => change('attendee_reinstate', { id });
/** The seat counts for the gauge. */
export const seatStatus = () => call('seat_status');
/** Known delegation names, for the type-ahead. */
export const delegations = () => call('delegations');
/** The categories as [{value, label}]. */
export const categories = () => call('categories');
/** A number that changes whenever the database changes. */
export const revision = () => call('revision');
/** Where the database file is: {path}. */
export const dbInfo = () => call('db_info');

/** The badge stocks: [{name, label, pageWidth, pageHeight, badgeWidth, badgeHeight, columns, rows, …}]. */
export const badgePresets = () => call('badge_presets');
/**
 * What printing `request` {selection, preset, reason, note} would do, without doing it:
 * {preset, badges, refused, pages, withProblems, reprints}.
 */
/** The given and family names a walk-in's typed words propose, in proper case: {givenName, familyName}. */
export const walkInName = (text) => call('walk_in_name', { text });
export const badgePreflight = (request) => call('badge_preflight', { request });
/** Every badge printed for one attendee, oldest first: [{version, at, operator, preset, reason, note}]. */
export const badgeHistory = (id) => call('badge_history', { id });
/** The printer shift of a stock: {dxMm, dyMm}. */
export const calibrationGet = (preset) => call('calibration_get', { preset });
/** Saves the printer shift of a stock from the strings typed; resolves to {dxMm, dyMm}. */
export const calibrationSet = (preset, dxMm, dyMm) => change('calibration_set', { preset, dxMm, dyMm });
/** Writes the calibration page of a stock into the output folder; resolves to {path}. */
export const calibrationPage = (preset) => call('calibration_page', { preset });
/** Opens a file the desk wrote (PDF, CSV, XLSX, JSON) in the program the system uses for it. */
export const openPath = (path) => call('open_path', { path });

/**
 * What importing a file would do, writing nothing. `bytes`: the file's bytes (Uint8Array);
 * `options`: {mode: 'invite'|'register', updateExisting, unknownAsNotes, skipInvalid}.
 * Resolves to {encoding, separator, columns, unknownColumns, rows, new, present, changed,
 * invalid, errors, changes}.
 */
export const importPreview = (bytes, options) => importCall('import_preview', bytes, options);
/**
 * Imports a file, all rows or none (the invalid ones left out with `skipInvalid`); resolves to
 * {preview, invited, registered, waitlisted, updated, message}.
 */
export const importRun = (bytes, options) =>
  change('import_run', bytes, { headers: { 'x-import-options': asciiJson(options ?? {}) } }, asciiJson(options ?? {}));

/** Backs the database up now into the backup folder; resolves to {path, at, revision, attendees, bytes}. */
export const backupNow = () => call('backup_now');
/** The backup folder and its newest backup: {folder, last: {path, at, …} | null, count}. */
export const backupStatus = () => call('backup_status');

/** What a roster can hold: {presets: [{name, label, columns}], columns: [{key, header}]}. */
export const exportChoices = () => call('export_choices');
/**
 * Writes a roster into a new file, `request` {format, filter, columns, sheetPerPreset};
 * resolves to {path, rows, message}.
 */
export const exportRoster = (request) => call('export_roster', { request });

/**
 * The seat allocations per delegation: {policy, allocations: [{delegation, seats, registered}],
 * unallocatedSeats, unallocatedRegistered}.
 */
export const allocationsGet = () => call('allocations_get');
/** Allocates `seats` (the string typed) to `delegation`; resolves to the allocations. */
export const allocationSet = (delegation, seats) => change('allocation_set', { delegation, seats });
/** Removes the allocation of `delegation`; resolves to the allocations. */
export const allocationRemove = (delegation) => change('allocation_remove', { delegation });
/** What happens when a delegation's allocation is full: 'waitlist' or 'refuse'; resolves to the allocations. */
export const allocationPolicySet = (policy) => change('allocation_policy_set', { policy });

/**
 * Prints the badges of `request` into a new PDF; resolves to {path, badges, pages, bytes, message}.
 * `onProgress({done, total})` is called as the badges are drawn.
 */
export async function printBadges(request, onProgress) {
  const { Channel } = tauriCore();
  if (typeof Channel !== 'function') {
    throw new AppError({ kind: 'internal', message: 'This window cannot follow the progress of a print (no Tauri Channel).' });
  }
  const channel = new Channel();
  channel.onmessage = (p) => {
    if (typeof onProgress === 'function' && p && typeof p === 'object') onProgress({ done: p.done, total: p.total });
  };
  return change('badge_print', { request, onProgress: channel });
}

function channelTo(onMessage) {
  const { Channel } = tauriCore();
  if (typeof Channel !== 'function') {
    throw new AppError({ kind: 'internal', message: 'This window cannot follow a print (no Tauri Channel).' });
  }
  const channel = new Channel();
  channel.onmessage = (m) => {
    if (typeof onMessage === 'function' && m && typeof m === 'object') onMessage(m);
  };
  return channel;
}

/** The computer's printers (CUPS queues): [{name, isDefault, state: 'idle'|'printing'|'stopped', reason, info}]. */
export const printers = () => call('printers');

/**
 * Prints the badges of `request` on `printer` (a CUPS queue) and follows the job; resolves to
 * the job {id, printed, state, words, message, file, …} — printed only when CUPS said so.
 * `onProgress({done, total})` as the badges are drawn, `onJob({job, words})` while it is followed.
 */
export function printToPrinter(request, printer, onProgress, onJob, { copies = 1, waitSeconds = 15 } = {}) {
  return call('badge_print_to_printer', {
    request,
    to: { printer, copies, waitSeconds },
    onProgress: channelTo(onProgress),
    onJob: channelTo(onJob),
  });
}

/** The print log, newest first: [{id, atVenue, printer, names, state, words, printed, file, …}]. */
export const printJobs = (limit = 20) => call('print_jobs', { limit });
/** Sends job `id` again, to `printer` (null: its own); `again` for one that printed. Resolves to the new job. */
export const printJobRetry = (id, printer, again, onJob) => call('print_job_retry', { id, printer, again, onJob: channelTo(onJob) });
/** Cancels job `id` (in CUPS too); resolves to the job. */
export const printJobCancel = (id) => call('print_job_cancel', { id });

/** Today's event day (or null), today's date at the venue and the number of days: {today, date, days}. */
export const arrivalDay = () => call('arrival_day');
/** The people matching `query`, best first, each with their check-in for `day`: [{attendee, checkin}]. */
export const arrivalFind = (query, day, limit = 12) => call('arrival_find', { query, day, limit });
/** A person's card: {attendee, day, checkin, history, badge, attention}. */
export const arrivalCard = (id, day, session = null) => call('arrival_card', { id, day, session });
/** The one key for a person found; resolves to {result, message, card}. */
export const arrive = (id, day, session = null) => change('arrival_arrive', { id, day, session });
/** A badge scanned; resolves to {result, message, card}. */
export const scanBadge = (code, day, session = null) => change('arrival_scan', { code, day, session });
/** Admits once a person whose security vetting is not cleared, with a reason (coordinator); resolves to {result, message, card}. */
export const admitUnvetted = (id, day, session, reason) => change('arrival_admit_unvetted', { id, day, session, reason });
/** Sets a person's security vetting: 'pending', 'cleared' or 'refused', with a note (coordinator); resolves to {attendee, changed, message}. */
export const setVetting = (id, vetting, note, seen = null) => change('attendee_set_vetting', { id, vetting, note, seen });
/** The arrivals protocol has not acknowledged (every notice with `all`), oldest first. */
export const protocolNotices = (all = false) => call('protocol_notices', { all });
/** Acknowledges a protocol notice; resolves to {notice, message}. */
export const acknowledgeNotice = (id) => change('protocol_ack', { id });
/** Undoes a check-in with a reason; resolves to {result, message, card}. */
export const undoCheckIn = (id, day, reason, checkinId) => change('checkin_undo', { id, day, reason, checkinId });
/** The sessions of `day` (every day when null), by start. */
export const sessions = (day = null) => call('sessions', { day });
/** Adds a session (coordinator); resolves to the session. */
export const sessionAdd = (input) => change('session_add', { input });
/**
 * Changes a session: only the fields given (coordinator); resolves to the session. `loaded`, the
 * form as Edit filled it: only what was typed differently is saved, and a field another desk
 * changed meanwhile too is refused (`stale`).
 */
export const sessionSet = (id, input, loaded) => change('session_set', { id, input, loaded });
/** Admits (`admit`), excludes (`exclude`) or clears (`clear`) people by number at a session (coordinator); resolves to the session. */
export const sessionPeople = (id, people, list) => change('session_people', { id, people, list });
/** Removes a session (coordinator); `force` even with check-ins. Resolves to {session, attendance, message}. */
export const sessionRemove = (id, force = false) => change('session_remove', { id, force });
/** Writes the programme as CSV into the output folder; resolves to {path, message}. */
export const programmeExport = () => call('programme_export');
/** Applies a programme file (its bytes; coordinator); resolves to {added, updated, unchanged, message}. */
export const programmeImport = (bytes) => change('programme_import', bytes);
/** Writes a session's attendance (csv|xlsx|pdf) into the output folder; resolves to {path, rows, message}. */
export const attendanceExport = (session, format) => call('attendance_export', { session, format });
/** The newest check-ins of `day`: [{checkin, displayName, delegation}]. */
export const recentArrivals = (day, limit = 10) => call('recent_arrivals', { day, limit });
/** The dashboard for `day` (null: today's): {status, today, day, days, byDelegation, byCategory, arrivals}. */
export const dashboard = (day) => call('dashboard', { day });
/** Who is at the desk: {name, desk, named} (named: set by the environment). */
export const operatorGet = () => call('operator_get');
/** Names the operator and the desk; resolves to {name, desk}. */
export const operatorSet = (name, desk) => call('operator_set', { name, desk });
/** The desk's settings remembered on this computer (badge stock, printers, print at check-in): {name: value}. */
export const deskSettingsGet = () => call('desk_settings_get');
/** Remembers one of the desk's settings on this computer, on disk before it resolves. */
export const deskSettingSet = (key, value) => call('desk_setting_set', { key, value });
/** The audit trail matching {since, until, person, operator, action, limit}, oldest first. */
export const auditTrail = (filter) => call('audit_trail', { filter });

/**
 * Prints one person's badge at once on `preset` (a walk-in, a lost badge); `reason` is needed
 * for a reprint. Resolves to {path, badges, pages, bytes, message}.
 */
export const printOneBadge = (id, preset, reason = null) =>
  printBadges({ selection: { who: 'ids', ids: [id] }, preset, reason, note: null });

/** Whether a coordinator PIN is set and whether coordinator actions are open: {guarded, set, unlocked, secondsLeft, setAt, setBy}. */
export const pinStatus = () => call('pin_status');
/** Sets the coordinator PIN: the first one, or a new one given the `current` PIN (or while unlocked); resolves to the status. */
export const pinSet = (pin, current = null) => call('pin_set', { pin, current });
/** Opens coordinator actions with the PIN; resolves to the status. */
export const pinUnlock = (pin) => call('pin_unlock', { pin });
/** Closes coordinator actions; resolves to the status. */
export const pinLock = () => call('pin_lock');
/** A coordinator acknowledges the PIN reset (asks for the PIN); resolves to the PIN status. */
export const pinAcknowledgeReset = () => call('pin_acknowledge_reset');

/** What the audit view's filters offer: {actions: [{value, label}], operators: [name]}. */
export const auditChoices = () => call('audit_choices');
/** The newest audit lines matching `filter` ({who, operator, action, since, until}): {lines, matching}. */
export const auditPage = (filter) => call('audit_page', { filter });
/** Every audit entry matching `filter`, into a new CSV file: {path, rows, message}. */
export const auditExport = (filter) => call('audit_export', { filter });
/** A delegation typed, checked against the known ones: {known, suggestion}. */
export const delegationCheck = (typed) => call('delegation_check', { typed });

/** Makes the demo database again, from scratch, and shows it: a DemoSummary. */
export const demoStart = () => call('demo_start');
/** Leaves the demo: the window shows the database it was started on again. */
export const demoLeave = () => call('demo_leave');
/** After the database could not be opened: opens it again (a desk already open is kept). */
export const deskReopen = () => call('desk_reopen');
/** What the About box shows: version, licences, database and output folder. */
export const about = () => call('about');
/** Titles the window after the event; answers the title the window now has. */
export const windowTitle = () => call('window_title');
