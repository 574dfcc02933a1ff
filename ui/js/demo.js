// Demo data: *Try with demo data* in the footer makes a separate demo database (the real one
// is never touched) and shows it; while it shows, a banner on every screen and the window
// title say so, with *Leave the demo*. The window title names the event.

import * as api from './api.js';
import { confirmDialog } from './dialog.js';

const $ = (id) => document.getElementById(id);
const NOTICE = 'delegate-desk-demo-notice';

let shownTitle = '';

/** Shows the event in the title bar and the demo banner (or hides it). */
export async function showDemoState(event) {
  $('demo-banner').hidden = !event.demo;
  $('demo-try').hidden = event.demo;
  document.body.classList.toggle('demo', event.demo);
  const wanted = `${event.name}|${event.demo}`;
  if (wanted === shownTitle) return;
  shownTitle = wanted;
  // The core names the window (DEMO DATA first on a demo); the page's title follows it.
  document.title = await api.windowTitle();
}

/** A message carried over the reload that follows a switch (see `initDemo`). */
export function takeNotice() {
  const text = sessionStorage.getItem(NOTICE);
  sessionStorage.removeItem(NOTICE);
  return text;
}

/** Wires *Try with demo data* and *Leave the demo*; `report` is {fail}. */
export function initDemo(report) {
  $('demo-try').addEventListener('click', async () => {
    const go = await confirmDialog({
      title: 'Try with demo data?',
      message: 'The window switches to a separate demo database of 120 invented people — some registered, waitlisted, checked in, with badges printed. Your real database is not touched; Leave the demo brings it back.',
      okLabel: 'Show the demo',
    });
    if (!go) return;
    try {
      const made = await api.demoStart();
      sessionStorage.setItem(NOTICE, made.message);
      // Every view reads the demo afresh.
      window.location.reload();
    } catch (err) {
      report.fail(err);
    }
  });
  $('demo-leave').addEventListener('click', async () => {
    try {
      await api.demoLeave();
      sessionStorage.setItem(NOTICE, 'Demo closed — showing your real database again');
      window.location.reload();
    } catch (err) {
      report.fail(err);
    }
  });
}
