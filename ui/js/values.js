// Values several views share: kept here once. The desk's settings (the badge stock, the
// printer of each stock, printing at check-in) are read from the window's storage, which the
// start fills from the file the desk keeps them in (remembered on disk when chosen: the
// window's storage reaches the disk later, and a window closed right after a choice started
// next time with the one before).

import { deskSettingSet } from './api.js';

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

/**
 * Remembers setting `key` as `value` on this computer: in the window's storage at once, and
 * in the desk's file. Resolves once it is on disk; rejects (an AppError) when it could not be
 * remembered there, the choice still applying in this window.
 */
export function rememberSetting(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // The window's storage is full or off: the desk's file still remembers it.
  }
  // One after another, in the order chosen: the last choice is the one on disk.
  const written = remembering.then(() => deskSettingSet(key, value));
  remembering = written.catch(() => {});
  return written;
}

/** The choices being written to the desk's file, in turn. */
let remembering = Promise.resolve();

/** Puts the settings the desk remembered (`{name: value}`) in the window's storage: they win. */
export function takeRememberedSettings(settings) {
  for (const [key, value] of Object.entries(settings ?? {})) {
    try {
      localStorage.setItem(key, value);
    } catch {
      // Read again from the file at the next start.
    }
  }
}

/** Remembers `printer` ('' for PDF only) for stock `preset` on this computer (see rememberSetting). */
export function setPrinterFor(preset, printer) {
  return rememberSetting(PRINTER_KEY + preset, printer);
}

/** Whether this computer prints a person's first badge when they check in. */
export function printAtCheckIn() {
  try {
    return localStorage.getItem(AUTO_PRINT_KEY) === 'yes';
  } catch {
    return false;
  }
}
