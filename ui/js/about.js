// The About box (footer button *About*): version, the licences (the app's and the badge
// font's), where the database and the output folder are, and whether this is demo data.

import * as api from './api.js';
import { h, setChildren } from './dom.js';

let dialog = null;

function build() {
  const body = h('div', { id: 'about-body' });
  const close = h('button', { id: 'about-close', type: 'button', class: 'primary' }, 'Close');
  dialog = h('dialog', { id: 'about-dialog', class: 'about-dialog', 'aria-labelledby': 'about-title' },
    h('h2', { id: 'about-title' }, 'About Delegate Desk'), body, h('div', { class: 'dialog-actions' }, close));
  close.addEventListener('click', () => dialog.close());
  document.body.append(dialog);
  return body;
}

function row(label, value, id) {
  return [h('dt', {}, label), h('dd', { id }, value)];
}

/** Wires the footer's *About* button; `report` is {fail}. */
export function initAbout(report) {
  const button = document.getElementById('about-open');
  button.addEventListener('click', async () => {
    try {
      const about = await api.about();
      const body = dialog ? document.getElementById('about-body') : build();
      const db = about.database;
      setChildren(body,
        h('dl', { class: 'about-facts' },
          ...row('Version', about.version, 'about-version'),
          ...row('Database', db.engine === 'postgres' ? `${db.path} (database server)` : db.path, 'about-db'),
          ...row('Schema', String(db.schemaVersion), 'about-schema'),
          ...row('Badges and rosters go to', db.outputDir ?? '(set DELEGATE_DESK_OUTPUT_DIR)', 'about-output'),
          ...row('Data', about.demo ? 'Demo data: invented people, not your event' : 'Your event', 'about-data')),
        h('details', { id: 'about-license' },
          h('summary', {}, `Delegate Desk licence: ${about.license}`),
          h('pre', {}, about.licenseText)),
        h('details', { id: 'about-font-license' },
          h('summary', {}, `Badge font: ${about.font} — Bitstream Vera / DejaVu licence (free to embed and share)`),
          h('pre', {}, about.fontLicenseText)));
      dialog.showModal();
      document.getElementById('about-close').focus();
    } catch (err) {
      report.fail(err);
    }
  });
}
