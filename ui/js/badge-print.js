// One person's badge printed at once (a walk-in, a lost badge), after the core's check: what
// looks like a mistake on it (a name all in lower case, no delegation, a character the font
// cannot draw) is asked about first.

import { badgePreflight, printOneBadge } from './api.js';
import { confirmDialog } from './dialog.js';
import { currentPreset } from './values.js';

/**
 * Prints the badge of attendee `a` ({id, displayName}) on the stock last chosen; `reason` for a
 * reprint. Resolves to the print's outcome ({path, …}), or null when the operator chose not to
 * print after the check. Failures reject.
 */
export async function printCheckedBadge(a, reason = null) {
  const preset = currentPreset();
  const check = await badgePreflight({ selection: { who: 'ids', ids: [a.id] }, preset, reason, note: null });
  const doubts = check.badges.flatMap((b) => [...b.warnings, ...b.problems]);
  if (doubts.length) {
    const go = await confirmDialog({
      title: 'Print this badge?',
      message: `The badge of ${a.displayName} may be wrong. Correct it in Attendees (Alt+3), or print it as it is.`,
      items: doubts,
      okLabel: 'Print as it is',
      cancelLabel: 'Do not print',
    });
    if (!go) return null;
  }
  return printOneBadge(a.id, preset, reason);
}
