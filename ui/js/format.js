// Formatting dates, day labels and statuses for display (en-GB).

const dayMonth = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const dayMonthYear = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC',
});
const dateTimeFormats = new Map();

/** Parses an ISO date ("2019-11-14") as midnight UTC; an invalid Date when malformed. */
export function isoDate(iso) {
  return /^\d{4}-\d{2}-\d{2}$/.test(iso ?? '') ? new Date(`${iso}T00:00:00Z`) : new Date(NaN);
}

/** The ISO date `n` days after the ISO date `iso`. */
export function addDays(iso, n) {
  const d = isoDate(iso);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function formatDayMonth(iso) {
  const d = isoDate(iso);
  return Number.isNaN(d.getTime()) ? iso : dayMonth.format(d);
}

/** "14 Nov 2019" from "2019-11-14". */
export function formatDate(iso) {
  const d = isoDate(iso);
  return Number.isNaN(d.getTime()) ? iso : dayMonthYear.format(d);
}

/** "14–15 Nov 2019", "30 Nov – 1 Dec 2019" or "14 Nov 2019" from two ISO dates. */
export function formatDateRange(startIso, endIso) {
  const a = parts(startIso);
  const b = parts(endIso);
  if (!a || !b) return '';
  if (startIso === endIso) return formatDate(startIso);
  if (a.year !== b.year) return `${formatDate(startIso)} – ${formatDate(endIso)}`;
  if (a.month !== b.month) return `${a.day} ${a.month} – ${b.day} ${b.month} ${b.year}`;
  return `${a.day}–${b.day} ${b.month} ${b.year}`;
}

function parts(iso) {
  const d = isoDate(iso);
  if (Number.isNaN(d.getTime())) return null;
  const out = {};
  for (const p of dayMonthYear.formatToParts(d)) out[p.type] = p.value;
  return out;
}

/**
 * "14 Nov 2019, 09:12" from an RFC 3339 time at the venue (`timeZone`; the machine's zone if
 * unknown), followed by the zone ("14 Nov 2019, 09:12 GMT-4") when this computer's clock shows
 * another time: every time on screen is the venue's, and says so where that is not obvious.
 */
export function formatDateTime(rfc3339, timeZone) {
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339 ?? '';
  return `${dateTimeFormat(timeZone).format(d)}${zoneSuffix(d, timeZone)}`;
}

/**
 * " GMT-4" when the venue's clock (`timeZone`) shows another time than this computer's at `d`
 * (now by default), else "": for times the core has already written at the venue ("08:03").
 */
export function zoneSuffix(d = new Date(), timeZone = undefined) {
  return differsFromHere(d, timeZone) ? ` ${zoneName(d, timeZone)}` : '';
}

function dateTimeFormat(timeZone) {
  if (!dateTimeFormats.has(timeZone)) {
    const options = { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' };
    let format;
    try {
      format = new Intl.DateTimeFormat('en-GB', { ...options, timeZone });
    } catch {
      format = new Intl.DateTimeFormat('en-GB', options);
    }
    dateTimeFormats.set(timeZone, format);
  }
  return dateTimeFormats.get(timeZone);
}

/**
 * "09:41:05" from an RFC 3339 time at the venue (`timeZone`), followed by the zone ("09:41:05
 * GMT-4") when this computer's clock shows another hour: every time on screen is the venue's.
 * `seconds` false: "09:41".
 */
export function formatClock(rfc3339, timeZone, { seconds = true } = {}) {
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return rfc3339 ?? '';
  const options = { hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}) };
  let text;
  try {
    text = d.toLocaleTimeString('en-GB', { ...options, timeZone });
  } catch {
    return d.toLocaleTimeString('en-GB', options);
  }
  return `${text}${zoneSuffix(d, timeZone)}`;
}

/** Whether the venue's clock (`timeZone`) shows another time than this computer's at `d`. */
export function differsFromHere(d, timeZone) {
  if (!timeZone) return false;
  try {
    return zoneFormat('clock', timeZone).format(d) !== zoneFormat('clock', undefined).format(d);
  } catch {
    return false;
  }
}

/** "GMT-4", the short name of `timeZone` at `d`. */
function zoneName(d, timeZone) {
  const part = zoneFormat('name', timeZone).formatToParts(d).find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

// One formatter per use and zone: building an Intl.DateTimeFormat costs more than using one,
// and a card draws several times at the venue.
const zoneFormats = new Map();
const ZONE_OPTIONS = {
  clock: { hour: '2-digit', minute: '2-digit', day: 'numeric' },
  name: { timeZoneName: 'short' },
};

function zoneFormat(use, timeZone) {
  const key = `${use} ${timeZone ?? ''}`;
  if (!zoneFormats.has(key)) {
    zoneFormats.set(key, new Intl.DateTimeFormat('en-GB', { ...ZONE_OPTIONS[use], timeZone }));
  }
  return zoneFormats.get(key);
}

/** "Day 1 — 14 Nov — Theme" for an event day {day, date, theme}. */
export function dayLabel({ day, date, theme }) {
  const base = `Day ${day} — ${formatDayMonth(date)}`;
  return theme ? `${base} — ${theme}` : base;
}

const STATUS_LABELS = {
  invited: 'Invited', registered: 'Registered', waitlisted: 'Waitlisted', cancelled: 'Cancelled',
};

/** `message` naming the person `name` it is about, when it does not already. */
export function naming(name, message) {
  return name && !message.includes(name) ? `${name}: ${message}` : message;
}

/** "Registered", or "Waitlisted #2" with the waitlist position. */
export function statusLabel({ status, waitlistPosition }) {
  const label = STATUS_LABELS[status] ?? status;
  return status === 'waitlisted' && waitlistPosition ? `${label} #${waitlistPosition}` : label;
}

/** "1 seat" / "2 seats". */
export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * What a written sheet will not print as it reads (the core's `warnings` of an export), as a
 * refusal-toned message for the message line, or null when there is nothing to say.
 */
export function misprints(warnings) {
  if (!warnings?.length) return null;
  const lines = warnings.length === 1 ? '1 line will not print as it reads' : `${warnings.length} lines will not print as they read`;
  return { kind: 'conflict', message: `Written, but ${lines}: ${warnings.join('; ')}` };
}

/**
 * What a printed job's words add to "printed" (a badge in it replaced meanwhile by one printed
 * elsewhere, which does not scan), or null when it simply completed.
 */
export function printedBut(job) {
  return job.printed && job.words !== 'completed' ? job.words.replace(/^completed; /, '') : null;
}
