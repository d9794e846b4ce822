// The three decisions that end an agent's part in a conversation, each a modal <dialog>
// that resolves to the agent's choice (or null when cancelled).
import { h } from '../shared/dom.ts';
import { formatDuration } from '../shared/format.ts';
import { DISPOSITIONS, type Disposition, type QueueCount } from './wire.ts';

const DISPOSITION_TEXT: Record<Disposition, [string, string]> = {
  resolved: ['Resolved', 'The customer’s question is answered.'],
  follow_up: ['Needs follow-up', 'Someone has to come back to it.'],
  no_answer: ['No answer', 'The customer stopped responding.'],
  transferred_out: ['Sent elsewhere', 'Handled outside this desk (branch, phone).'],
  spam: ['Spam / abuse', 'Not a genuine request.'],
};

function modal<T>(build: (close: (value: T | null) => void) => HTMLFormElement, testid: string): Promise<T | null> {
  return new Promise((resolve) => {
    let settled = false;
    const dialog = h('dialog', { 'data-testid': testid });
    const close = (value: T | null) => {
      if (settled) return;
      settled = true;
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    dialog.append(build(close));
    dialog.addEventListener('cancel', () => close(null));
    document.body.append(dialog);
    dialog.showModal();
  });
}

export interface Resolution {
  disposition: Disposition;
  notes: string;
  createTicket: boolean;
}

export function askResolution(customer: string): Promise<Resolution | null> {
  return modal<Resolution>((close) => {
    const notes = h('textarea', { id: 'resolve-notes', rows: 4, maxlength: 4000, 'data-testid': 'resolve-notes', placeholder: 'What was done, what is still open…' });
    const ticket = h('input', { type: 'checkbox', id: 'resolve-ticket', 'data-testid': 'resolve-ticket' });
    const radios = DISPOSITIONS.map((d, i) =>
      h(
        'label',
        { class: 'choice' },
        h('input', { type: 'radio', name: 'disposition', value: d, checked: i === 0, 'data-testid': `disposition-${d}` }),
        h('span', null, h('strong', null, DISPOSITION_TEXT[d][0]), h('span', { class: 'muted small' }, ` — ${DISPOSITION_TEXT[d][1]}`)),
      ),
    );
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', null, `Resolve conversation with ${customer}`),
      h('fieldset', null, h('legend', null, 'Outcome'), ...radios),
      h('label', { for: 'resolve-notes', class: 'field-label' }, 'Notes'),
      notes,
      h('label', { class: 'check' }, ticket, ' Create a follow-up ticket with these notes'),
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, 'Cancel'),
        h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'resolve-confirm' }, 'Resolve'),
      ),
    );
    // Choosing "needs follow-up" suggests a ticket; the agent can still untick it.
    form.addEventListener('change', (e) => {
      if (e.target instanceof HTMLInputElement && e.target.name === 'disposition') ticket.checked = e.target.value === 'follow_up';
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const chosen = form.querySelector<HTMLInputElement>('input[name="disposition"]:checked');
      const disposition = DISPOSITIONS.find((d) => d === chosen?.value) ?? 'resolved';
      close({ disposition, notes: notes.value.trim(), createTicket: ticket.checked });
    });
    return form;
  }, 'resolve-dialog');
}

export interface TransferChoice {
  queueId: string;
  note: string;
}

export function askTransfer(queues: readonly QueueCount[], currentQueueId: string): Promise<TransferChoice | null> {
  return modal<TransferChoice>((close) => {
    const others = queues.filter((q) => q.id !== currentQueueId);
    const select = h(
      'select',
      { id: 'transfer-queue', 'data-testid': 'transfer-queue', required: true },
      ...others.map((q) => h('option', { value: q.id }, `${q.name} — ${q.waiting} waiting${q.waiting > 0 ? `, longest ${formatDuration(q.longestWaitSeconds)}` : ''}`)),
    );
    const note = h('textarea', { id: 'transfer-note', rows: 3, maxlength: 1000, 'data-testid': 'transfer-note', placeholder: 'For the next agent (optional)' });
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', null, 'Transfer to another queue'),
      others.length === 0 ? h('p', { class: 'muted' }, 'There is no other queue to transfer to.') : null,
      h('label', { for: 'transfer-queue', class: 'field-label' }, 'Queue'),
      select,
      h('label', { for: 'transfer-note', class: 'field-label' }, 'Note'),
      note,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, 'Cancel'),
        h('button', { type: 'submit', class: 'btn btn-primary', disabled: others.length === 0, 'data-testid': 'transfer-confirm' }, 'Transfer'),
      ),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (select.value) close({ queueId: select.value, note: note.value.trim() });
    });
    return form;
  }, 'transfer-dialog');
}

export function confirmHandBack(customer: string): Promise<true | null> {
  return modal<true>(
    (close) => {
      const form = h(
        'form',
        { method: 'dialog' },
        h('h2', null, 'Hand back to the bot?'),
        h('p', null, `The assistant takes over the conversation with ${customer} again. The customer keeps the whole transcript.`),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, 'Cancel'),
          h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'hand-back-confirm' }, 'Hand back'),
        ),
      );
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        close(true);
      });
      return form;
    },
    'hand-back-dialog',
  );
}
