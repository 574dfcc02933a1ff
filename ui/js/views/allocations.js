// The seat allocations of the Event settings view: seats held for a delegation inside the
// capacity, what happens when a delegation's allocation is full, and the seats left to the rest.

import { allocationPolicySet, allocationRemove, allocationSet, allocationsGet } from '../api.js';
import { confirmDialog } from '../dialog.js';
import { h, setChildren } from '../dom.js';
import { FieldErrors, fieldBlock } from '../fields.js';
import { plural } from '../format.js';

const POLICIES = [['waitlist', 'Waitlist'], ['refuse', 'Refuse']];
const POLICY_SAVED = {
  waitlist: 'When a delegation’s allocation is full, its next person is now waitlisted.',
  refuse: 'When a delegation’s allocation is full, its next person is now refused.',
};

/** Builds the section `#allocations`; returns {element, refresh()}. */
export function createAllocations(ctx) {
  const errors = new FieldErrors();

  const tbody = h('tbody');
  const table = h('table', { id: 'allocation-table', class: 'plain-table' },
    h('caption', { class: 'visually-hidden' }, 'Seat allocations per delegation'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Delegation'),
      h('th', { scope: 'col', class: 'num' }, 'Seats'),
      h('th', { scope: 'col', class: 'num' }, 'Registered'),
      h('th', { scope: 'col', class: 'actions' }, h('span', { class: 'visually-hidden' }, 'Remove')))),
    tbody);
  const tableWrap = h('div', { class: 'table-wrap allocation-wrap', hidden: true }, table);
  const empty = h('p', { id: 'allocation-empty', class: 'hint', hidden: true },
    'No delegation has seats of its own: every delegation shares the capacity.');
  const unallocated = h('p', { id: 'allocation-unallocated', class: 'allocation-unallocated' });

  const delegation = h('input', {
    name: 'delegation', type: 'text', list: 'delegation-options', autocomplete: 'off', spellcheck: 'false',
  });
  const seats = h('input', { name: 'seats', type: 'text', inputmode: 'numeric', autocomplete: 'off', spellcheck: 'false' });
  const delegationField = fieldBlock({ id: 'allocation-delegation', label: 'Delegation', control: delegation });
  const seatsField = fieldBlock({ id: 'allocation-seats', label: 'Seats', control: seats });
  errors.add('delegation', delegationField.error, () => [delegation]);
  errors.add('seats', seatsField.error, () => [seats]);
  const save = h('button', { id: 'allocation-save', type: 'submit', class: 'primary' }, 'Set allocation');
  const form = h('form', { id: 'allocation-form', class: 'allocation-form', novalidate: true, 'aria-label': 'Set the seats of a delegation' },
    delegationField.block,
    seatsField.block,
    h('div', { class: 'allocation-save' }, save));

  const policy = h('select', { name: 'policy' }, POLICIES.map(([value, label]) => h('option', { value }, label)));
  const policyField = fieldBlock({
    id: 'allocation-policy', label: 'When a delegation’s allocation is full', control: policy, className: 'allocation-policy',
    hint: h('p', {}, 'Waitlist: the next person of that delegation goes on the waitlist. Refuse: the registration is refused.'),
  });
  errors.add('policy', policyField.error, () => [policy]);

  const element = h('section', { id: 'allocations', class: 'panel allocations', 'aria-labelledby': 'allocations-heading' },
    h('h3', { id: 'allocations-heading' }, 'Seat allocations per delegation'),
    h('p', { class: 'hint' },
      'A delegation with an allocation holds at most that many seats; the delegations without one share the seats not allocated.'),
    tableWrap,
    empty,
    unallocated,
    form,
    h('p', { class: 'hint' }, 'Setting a delegation again changes its seats.'),
    policyField.block);

  let seq = 0;
  let busy = false;
  let shown = null;

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    setAllocation();
  });
  policy.addEventListener('change', setPolicy);
  tbody.addEventListener('click', (e) => {
    const button = e.target.closest('button.allocation-remove');
    if (button) removeAllocation(button.dataset.delegation);
  });

  /** Reads the allocations again and shows them. */
  async function load() {
    const mine = ++seq;
    try {
      const data = await allocationsGet();
      if (mine === seq) render(data);
    } catch (err) {
      if (mine === seq) ctx.fail(err);
    }
  }

  function render(data) {
    const focused = document.activeElement?.closest?.('#allocation-table button.allocation-remove');
    const focusName = focused?.dataset.delegation ?? null;
    shown = data;
    policy.value = data.policy;
    setChildren(tbody, data.allocations.map((a) => {
      const full = a.registered >= a.seats;
      return h('tr', { class: full ? 'is-full' : null },
        h('td', { class: 'name' }, a.delegation),
        h('td', { class: 'num' }, String(a.seats)),
        h('td', { class: 'num' }, String(a.registered), full ? h('span', { class: 'tag-full' }, 'full') : null),
        h('td', { class: 'actions' },
          h('button', {
            type: 'button', class: 'allocation-remove', 'data-delegation': a.delegation,
            'aria-label': `Remove the allocation of ${a.delegation}`,
          }, 'Remove')));
    }));
    tableWrap.hidden = data.allocations.length === 0;
    empty.hidden = data.allocations.length > 0;
    unallocated.textContent = `Seats not allocated to a delegation: ${data.unallocatedRegistered} of `
      + `${data.unallocatedSeats} taken`;
    if (focusName !== null) removeButton(focusName)?.focus();
  }

  const removeButtons = () => [...tbody.querySelectorAll('button.allocation-remove')];
  const removeButton = (name) => removeButtons().find((b) => b.dataset.delegation === name) ?? null;

  /** Shows `data` (what a change returned) at once, then reads everything again. */
  function changed(data) {
    seq += 1;
    render(data);
    return Promise.all([ctx.changed(), load()]);
  }

  async function setAllocation() {
    if (busy) return;
    ctx.clearMessage();
    errors.clear();
    busy = true;
    try {
      const data = await allocationSet(delegation.value, seats.value);
      delegation.value = '';
      seats.value = '';
      delegation.focus();
      await changed(data);
    } catch (err) {
      ctx.fail(err, (e) => errors.show(e));
    } finally {
      busy = false;
    }
  }

  async function removeAllocation(name) {
    if (busy) return;
    ctx.clearMessage();
    errors.clear();
    const row = removeButtons().findIndex((b) => b.dataset.delegation === name);
    const allocation = shown?.allocations.find((a) => a.delegation === name);
    const ok = await confirmDialog({
      title: 'Remove the allocation',
      message: `Remove the allocation of ${name}${allocation ? ` (${plural(allocation.seats, 'seat')})` : ''}? `
        + 'Its people then share the seats not allocated to a delegation.',
      okLabel: 'Remove',
      cancelLabel: 'Keep it',
      danger: true,
    });
    if (!ok || busy) return;
    busy = true;
    try {
      const data = await allocationRemove(name);
      const reread = changed(data);
      const buttons = removeButtons();
      (buttons[Math.min(row, buttons.length - 1)] ?? delegation).focus();
      await reread;
    } catch (err) {
      ctx.fail(err);
      await load();
    } finally {
      busy = false;
    }
  }

  async function setPolicy() {
    ctx.clearMessage();
    errors.clear();
    const wanted = policy.value;
    try {
      const data = await allocationPolicySet(wanted);
      ctx.info(POLICY_SAVED[data.policy] ?? POLICY_SAVED[wanted]);
      await changed(data);
    } catch (err) {
      ctx.fail(err, (e) => errors.show(e));
      await load();
    }
  }

  return { element, refresh: load };
}
