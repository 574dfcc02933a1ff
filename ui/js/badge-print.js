// One person's badge printed at once (a walk-in, a lost badge), after the core's check: what
// looks like a mistake on it (a name all in lower case, no delegation, a character the font
// cannot draw) is asked about first.

import { badgePreflight, printOneBadge, printToPrinter } from './api.js';
import { confirmDialog } from './dialog.js';
import { printedBut } from './format.js';
import { currentPreset, printerFor } from './values.js';

/**
 * Prints the badge of attendee `a` ({id, displayName}) on the stock last chosen, to the printer
 * chosen for that stock on this computer (else to a PDF); `reason` for a reprint. What looks
 * wrong is asked about first — or, with `ask: false`, not printed ({printer, doubts}). Resolves to
 * {printer: null, path, …} for a PDF, {printer, job} for a printer job (job.printed only when
 * CUPS said so), or null when the operator chose not to print after the check. Failures reject.
 */
export async function printCheckedBadge(a, reason = null, { ask = true } = {}) {
  const preset = currentPreset();
  const check = await badgePreflight({ selection: { who: 'ids', ids: [a.id] }, preset, reason, note: null });
  const doubts = check.badges.flatMap((b) => [...b.warnings, ...b.problems]);
  // Printed by itself (at check-in, while the desk goes on): no dialog; a doubtful badge waits.
  if (doubts.length && !ask) return { printer: printerFor(preset), doubts };
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
  const printer = printerFor(preset);
  if (!printer) return { printer: null, ...(await printOneBadge(a.id, preset, reason)) };
  const job = await printToPrinter({ selection: { who: 'ids', ids: [a.id] }, preset, reason, note: null }, printer);
  return { printer, job, path: job.file };
}

/** What the desk says of a badge printed with printCheckedBadge: {tone, message, file}. */
export function badgeOutcome(a, out) {
  if (out.doubts) {
    return {
      tone: 'danger',
      message: `Badge of ${a.displayName} not printed: ${out.doubts[0]} — check it and print it from the card`,
      file: null,
    };
  }
  if (!out.printer) {
    return { tone: 'ok', message: `Badge of ${a.displayName} saved as PDF — print it from the file`, file: out.path };
  }
  const but = printedBut(out.job);
  if (but) {
    // Printed, but replaced meanwhile by one printed elsewhere: the card in hand does not scan.
    return { tone: 'danger', message: `Badge of ${a.displayName} printed on ${out.printer}, but ${but}`, file: null };
  }
  if (out.job.printed) return { tone: 'ok', message: `Badge of ${a.displayName} printed on ${out.printer}`, file: null };
  return {
    tone: 'danger',
    message: `Badge of ${a.displayName} NOT printed on ${out.printer}: ${out.job.words}. Retry it or send it to another printer in Badges (Alt+5); the PDF is kept`,
    file: out.job.file,
  };
}
