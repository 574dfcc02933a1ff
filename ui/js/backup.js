// The footer's backup line: when the last backup was made, and *Back up now*.

import * as api from './api.js';
import { asAppError } from './api.js';
import { formatClock, formatDateTime } from './format.js';

const $ = (id) => document.getElementById(id);
const dayAt = (d, timeZone) => {
  try {
    return d.toLocaleDateString('en-GB', { timeZone });
  } catch {
    return d.toLocaleDateString('en-GB');
  }
};

/**
 * "Last backup 17:05 (3 min ago)", or "No backup yet", at the venue's time (`timeZone`, its
 * zone named when this computer's clock differs): when the newest backup was made (`taken`),
 * not the time of the last change it holds. A backup stamped later than this computer's
 * clock (taken while the clock was ahead) has an unknown age, and says so.
 */
function describe(status, timeZone, now = new Date()) {
  const last = status?.last;
  if (!last) return 'No backup yet';
  const made = status.taken || last.at;
  const at = new Date(made);
  if (Number.isNaN(at.getTime())) return 'Last backup: time unknown';
  if (status.ageUnknown || at - now > 60000) {
    return `Last backup: age unknown (dated ${formatDateTime(made, timeZone)}, later than this clock)`;
  }
  const minutes = Math.max(0, Math.round((now - at) / 60000));
  const sameDay = dayAt(at, timeZone) === dayAt(now, timeZone);
  const when = sameDay ? formatClock(made, timeZone, { seconds: false }) : formatDateTime(made, timeZone);
  const ago = minutes < 1 ? 'just now' : minutes < 120 ? `${minutes} min ago` : null;
  return `Last backup ${when}${ago ? ` (${ago})` : ''}`;
}

/**
 * Wires #backup-now and keeps #backup-last current. `report` is {info, fail}; `timeZone()`
 * the venue's zone. Returns `refresh()`, to call when the database changed.
 */
export function initBackup(report, timeZone = () => undefined) {
  const button = $('backup-now');
  const line = $('backup-last');
  let busy = false;

  async function refresh() {
    // A database server keeps its own backups: its footer hides this line, and it is not read.
    if ($('footer-backup').hidden) return;
    try {
      const status = await api.backupStatus();
      line.textContent = describe(status, timeZone());
      // The automatic backups are failing: said, not only the last backup growing older.
      line.classList.toggle('danger', Boolean(status.autoFailed));
      if (status.autoFailed) line.textContent += ` — automatic backup failed: ${status.autoFailed}`;
      line.title = status.last ? `${status.last.path}\n${status.count} backups in ${status.folder}` : status.folder;
    } catch (err) {
      line.textContent = `Backups: ${asAppError(err).message}`;
    }
  }

  button.addEventListener('click', async () => {
    if (busy) return;
    busy = true;
    button.disabled = true;
    try {
      const b = await api.backupNow();
      report.info(`Backed up ${b.attendees === 1 ? '1 person' : `${b.attendees} people`} to ${b.path}`);
      await refresh();
    } catch (err) {
      report.fail(err);
    } finally {
      busy = false;
      button.disabled = false;
    }
  });
  // Automatic backups change no data, so the line is also refreshed on a timer.
  setInterval(refresh, 30000);
  return refresh;
}
