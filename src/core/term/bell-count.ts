/**
 * Counts the bells an emulator rang: BEL executed by its parser, not the BEL that ends an OSC
 * string (a shell prompt setting the window title ends with one every time). The relay rings its
 * viewers' terminals and flags windows with `!` from these counts, as tmux does for its clients.
 *
 * Invariant: the count of an emulator only grows, by one per BEL parsed; an emulator this module
 * never tracked counts 0.
 */
import type { Terminal } from '@xterm/headless';

const rung = new WeakMap<Terminal, { count: number }>();

/** Starts counting `term`'s bells (once per emulator). */
export function countBells(term: Terminal): void {
  if (rung.has(term)) return;
  const counter = { count: 0 };
  rung.set(term, counter);
  term.onBell(() => counter.count++);
}

/** How many bells `term` rang since countBells. */
export function bellsRung(term: Terminal): number {
  return rung.get(term)?.count ?? 0;
}
