// The work budget of expensive control sequences: a flood of them is cut short (a hostile host's
// 15 KB of DECALN held the relay for 13 s), what programs print is never touched.
import { describe, expect, it } from 'vitest';
import type { Terminal } from '@xterm/headless';
import { createEmulator, feedEmulator } from '../../../src/core/term/emulator.js';
import { CAPACITY, EARN_PER_BYTE, REFILL_PER_SECOND, earnWork, limitAmplifiedWork, skippedOperations } from '../../../src/core/term/work-budget.js';
import { clampRepeatCounts } from '../../../src/core/term/count-clamp.js';
import { cells, untouchedTerminal, type InternalTerminal } from './xterm-reference.js';

const encoder = new TextEncoder();

/** An untouched terminal with the repeat caps and the budget, on a clock the test moves. */
function budgeted(cols: number, rows: number): { term: Terminal; feed(text: string): void; clock: { now: number } } {
  const term = untouchedTerminal(cols, rows, 100);
  clampRepeatCounts(term);
  const clock = { now: 0 };
  limitAmplifiedWork(term, () => clock.now);
  const feed = (text: string): void => {
    const bytes = encoder.encode(text);
    earnWork(term, bytes.length);
    (term as unknown as InternalTerminal)._core._writeBuffer.writeSync(bytes);
  };
  return { term, feed, clock };
}

const row = (term: Terminal, y: number): string => term.buffer.active.getLine(y)?.translateToString(true) ?? '';

describe('work budget', () => {
  it('pays for a screenful of DECALN per million units and skips the rest of a flood, whole', () => {
    const { term, feed } = budgeted(1000, 1000);
    const flood = '\x1b#8'.repeat(5000);
    feed(flood);
    const affordable = Math.floor(Math.min(CAPACITY, CAPACITY + flood.length * EARN_PER_BYTE) / 1_000_000);
    expect(skippedOperations(term)).toBe(5000 - affordable);
    expect(row(term, 999)).toBe('E'.repeat(1000));
  });

  it('skips an unaffordable operation without touching the screen, and pays again once time refilled the bucket', () => {
    const { term, feed, clock } = budgeted(1000, 1000);
    feed('\x1b#8'.repeat(50));
    feed('\x1b[2J'); // skipped: the screen stays filled
    expect(row(term, 500)).toBe('E'.repeat(1000));
    const skipped = skippedOperations(term);
    clock.now += (2_000_000 / REFILL_PER_SECOND) * 1000;
    feed('\x1b[H\x1b[2J'); // two million units: the clear (a screenful) and the scrolls pushing it into the history
    expect(skippedOperations(term)).toBe(skipped);
    expect(row(term, 500)).toBe('');
  });

  it('charges scrolls of a partial scroll region, line feeds and reverse index alike', () => {
    const { term, feed } = budgeted(1000, 1000);
    feed('\x1b[2;1000r\x1b[1000;1H' + '\n'.repeat(15_000));
    expect(skippedOperations(term)).toBeGreaterThan(14_000);
    const lf = skippedOperations(term);
    feed('\x1b[2;1H' + '\x1bM'.repeat(7000));
    expect(skippedOperations(term) - lf).toBeGreaterThan(6900);
  });

  it('caps inserted and deleted lines, alternate-screen switches, resets and repeats', () => {
    const floods = ['\x1b[L\x1b[M'.repeat(3000), '\x1b[?1049h\x1b[?1049l'.repeat(1000), '\x1bc'.repeat(5000), 'a\x1b[999999999b'.repeat(1000), '\x1b[1;1000r' + '\x1b[1000S'.repeat(100)];
    for (const flood of floods) {
      const { term, feed } = budgeted(1000, 1000);
      feed(flood);
      expect(skippedOperations(term), JSON.stringify(flood.slice(0, 12))).toBeGreaterThan(0);
    }
  });

  it('leaves what programs print exactly as xterm parses it: full-screen redraws, scroll regions, logs, clears', () => {
    const pane = createEmulator(200, 60, 1000);
    const reference = untouchedTerminal(200, 60, 1000);
    const vimLike = '\x1b[?1049h\x1b[1;59r' + Array.from({ length: 300 }, (_, i) => `\x1b[59;1H\n\x1b[59;1H\x1b[34mline ${i}\x1b[0m\x1b[K`).join('') + '\x1b[r\x1b[?1049l';
    const log = Array.from({ length: 3000 }, (_, i) => `\x1b[32mINFO\x1b[0m step ${i} of the build\x1b[K\r\n`).join('');
    const redraws = Array.from({ length: 60 }, (_, i) => `\x1b[H\x1b[2J${`frame ${i} `.repeat(20)}\x1b[L\x1b[M\x1b[5@\x1b[3P\x1b[4X`).join('');
    for (const output of [vimLike, log, redraws, '\x1bc', `${'x'.repeat(150)}\x1b[999b`]) {
      const bytes = encoder.encode(output);
      feedEmulator(pane, bytes);
      (reference as unknown as InternalTerminal)._core._writeBuffer.writeSync(bytes);
    }
    expect(skippedOperations(pane)).toBe(0);
    expect(cells(pane)).toEqual(cells(reference));
  });
});
