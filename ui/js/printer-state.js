// The header's printer line: when the printer chosen on this computer for the stock in use is
// stopped (paused, out of labels, not answering) or gone, the header says so at once, from
// CUPS's own state, on every view. Looked at every two seconds while a printer is chosen.

import { printers } from './api.js';
import { currentPreset, printerFor } from './values.js';

const EVERY_MS = 2000;

/**
 * Returns refresh(), which looks now and then every two seconds: the start calls it once the
 * settings this computer remembered are in (before, it would look at the choice before them).
 */
export function initPrinterState() {
  const line = document.getElementById('printer-state');
  let timer = 0;

  async function refresh() {
    clearTimeout(timer);
    const chosen = printerFor(currentPreset());
    try {
      if (!chosen) {
        line.hidden = true;
        return;
      }
      let text = '';
      try {
        const p = (await printers()).find((x) => x.name === chosen);
        if (!p) text = `Printer ${chosen} is not on this computer — badges are not printing`;
        else if (p.state === 'stopped') text = `Printer ${chosen} stopped${p.reason ? `: ${p.reason}` : ''} — badges are not printing`;
      } catch (err) {
        text = `Printer ${chosen}: ${err?.message ?? err}`;
      }
      line.textContent = text;
      line.hidden = !text;
    } finally {
      timer = setTimeout(refresh, EVERY_MS);
    }
  }

  return refresh;
}
