import { describe, expect, it } from 'vitest';
import { createEmulator, parseSync } from '../../../src/core/term/emulator.js';
import type { CopyModeState } from '../../../src/core/protocol/tmate/messages.js';
import { isCopyModePageUp, pagedUpEntry, pagedUpView, PendingPageUp, PAGE_UP_WINDOW_MS } from '../../../src/server/relay/tmate-page-up.js';

/** A 20×10 pane that printed lines 1..100 and sits at a `$ ` prompt on its last row. */
function paneWithHistory() {
  const term = createEmulator(20, 10, 2000);
  let out = '';
  for (let i = 1; i <= 100; i++) out += `${i}\r\n`;
  parseSync(term, `${out}$ `);
  return term;
}

function entry(overrides: Partial<CopyModeState> = {}): CopyModeState {
  return { backing: 1, oy: 0, cx: 2, cy: 9, selection: null, prompt: null, ...overrides };
}

describe('copy-mode -u as tmate 2.4.0 reports it', () => {
  it('recognises copy-mode -u on the active pane only', () => {
    expect(isCopyModePageUp(['copy-mode', '-u'])).toBe(true);
    expect(isCopyModePageUp(['copy-mode', '-eu'])).toBe(true);
    expect(isCopyModePageUp(['copy-mode'])).toBe(false);
    expect(isCopyModePageUp(['copy-mode', '-u', '-t', '%1'])).toBe(false);
    expect(isCopyModePageUp(['copy-mode', '-Mu'])).toBe(false);
    expect(isCopyModePageUp(['copy-mode', '-x'])).toBe(false);
    expect(isCopyModePageUp(['clock-mode', '-u'])).toBe(false);
  });

  it('pages an entry at the bottom up by the pane height less two lines, cursor row kept', () => {
    const term = paneWithHistory();
    expect(pagedUpEntry(entry(), term)).toMatchObject({ backing: 1, oy: 8, cy: 9, selection: null, prompt: null });
  });

  it('stops at the top of a short history', () => {
    const term = createEmulator(20, 10, 2000);
    parseSync(term, '1\r\n2\r\n3\r\n4\r\n5\r\n6\r\n7\r\n8\r\n9\r\n10\r\n11\r\n$ ');
    expect(pagedUpEntry(entry(), term)?.oy).toBe(2);
  });

  it('leaves alone what is not a plain entry at the bottom, or disagrees with the emulator', () => {
    const term = paneWithHistory();
    expect(pagedUpEntry(null, term)).toBeNull();
    expect(pagedUpEntry(entry({ oy: 8 }), term)).toBeNull(); // the host reported the page-up itself
    expect(pagedUpEntry(entry({ backing: 0 }), term)).toBeNull();
    expect(pagedUpEntry(entry({ selection: { x: 0, lineFromBottom: 0, rect: false } }), term)).toBeNull();
    expect(pagedUpEntry(entry({ cy: 3 }), term)).toBeNull();
    parseSync(term, '\x1b[?1049h');
    expect(pagedUpEntry(entry(), term)).toBeNull();
  });

  it('pages a view already in copy mode on from where it is, up to the top of the history', () => {
    const term = paneWithHistory(); // 91 lines of history
    expect(pagedUpView(entry({ oy: 8, cy: 4 }), term)).toMatchObject({ backing: 1, oy: 16, cy: 4, selection: null, prompt: null });
    expect(pagedUpView(entry({ oy: 88, cy: 4 }), term)?.oy).toBe(91);
    expect(pagedUpView(entry({ oy: 91, cy: 4 }), term)?.oy).toBe(91);
    expect(pagedUpView(entry({ oy: 8, selection: { x: 0, lineFromBottom: 3, rect: false } }), term)).toBeNull();
    expect(pagedUpView(entry({ oy: 8, prompt: { type: 3, prompt: 'Search Up', text: 'x' } }), term)).toBeNull();
    expect(pagedUpView(entry({ backing: 0 }), term)).toBeNull();
  });

  it('answers only the first report for that pane, within the window', () => {
    const pending = new PendingPageUp();
    expect(pending.answeredBy(1, 0)).toBe(false);
    pending.sent(1, 1000);
    expect(pending.answeredBy(2, 1001)).toBe(false);
    expect(pending.answeredBy(1, 1001)).toBe(true);
    expect(pending.answeredBy(1, 1002)).toBe(false);
    pending.sent(1, 1000);
    expect(pending.answeredBy(1, 1000 + PAGE_UP_WINDOW_MS + 1)).toBe(false);
  });
});
