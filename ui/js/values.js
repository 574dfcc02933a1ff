// Values several views share: kept here once.

/** Where the Badges view remembers the stock last chosen on this computer. */
export const PRESET_KEY = 'delegate-desk.badge-preset';
/** The stock a single badge prints on when none was ever chosen. */
export const DEFAULT_PRESET = 'insert-4x3';
/** The reasons of a reprint: [wire value, label]. */
export const REPRINT_REASONS = [['lost', 'Lost'], ['damaged', 'Damaged'], ['correction', 'Correction'], ['other', 'Other']];

/** The stock for a one-off badge (walk-in, lost badge): the one last chosen, else the default. */
export function currentPreset() {
  try {
    return localStorage.getItem(PRESET_KEY) || DEFAULT_PRESET;
  } catch {
    return DEFAULT_PRESET;
  }
}

/** Where this computer remembers the printer of a stock ('' or absent: PDF only). */
const PRINTER_KEY = 'delegate-desk.printer.';
/** Where this computer remembers "print the badge at check-in when none has been printed". */
export const AUTO_PRINT_KEY = 'delegate-desk.print-at-check-in';

/** The printer chosen on this computer for stock `preset`, or '' (PDF only). */
export function printerFor(preset) {
  try {
    return localStorage.getItem(PRINTER_KEY + preset) || '';
  } catch {
    return '';
  }
}

/** Remembers `printer` ('' for PDF only) for stock `preset` on this computer. */
export function setPrinterFor(preset, printer) {
  try {
    if (printer) localStorage.setItem(PRINTER_KEY + preset, printer);
    else localStorage.removeItem(PRINTER_KEY + preset);
  } catch {
    // Not remembered; the choice still applies to this print.
  }
}

/** Whether this computer prints a person's first badge when they check in. */
export function printAtCheckIn() {
  try {
    return localStorage.getItem(AUTO_PRINT_KEY) === 'yes';
  } catch {
    return false;
  }
}
