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
