/**
 * Fuzz target `session-replica`: the relay's copy of a host session (SessionReplica.apply), fed
 * what a host may send after the handshake.
 *
 * Inputs: sequences of OUT messages — generated valid-ish ones over a small id space (layouts with
 * 0–8 windows of 0–4 panes, sizes around and far beyond the limits, duplicate and unknown pane
 * ids; PTY_DATA from the traces and random bytes; copy-mode states; output-mode lines; SNAPSHOTs
 * with odd cells and alternate grids; replicated bind-key/set-option argv; STATUS, FAILED_CMD,
 * HEADER, FIN, READY, UNAME, unknown types) and real trace messages mutated at the value level
 * and parsed (so only what the codec lets through), interleaved.
 *
 * Property: apply never throws and answers a known event kind; at every step the replica holds
 * at most `maxPanes` panes, at most `maxPanes` windows, every pane's emulator is within
 * `maxCols` × `maxRows`, and output-mode lines stay within `maxOutputLines` (limits lowered here
 * so they are hit often).
 */
import fc from 'fast-check';
import type { CopyModeState, OutMessage, SnapshotGrid } from '../../../src/core/protocol/tmate/messages.js';
import { parseOutMessage } from '../../../src/core/protocol/tmate/out-messages.js';
import { SessionReplica, type ReplicaLimits } from '../../../src/core/mux/session-replica.js';
import { check, checkSync, type FuzzTarget } from '../fuzz-target.js';
import { decodedOutSeeds, mutateValue, traceSeeds, valueMutation } from '../seeds.js';

const LIMITS: ReplicaLimits = { scrollback: 20, maxPanes: 6, maxCols: 120, maxRows: 60, maxOutputLines: 8 };
const IDS = { min: -2, max: 9 };
const EVENT_KINDS = new Set(['screen', 'layout', 'status', 'failed-cmd', 'ignored']);

const paneId = fc.integer(IDS);
const size = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constantFrom(0, 1, 119, 120, 121, 59, 60, 61, 1000, 2 ** 31));
const offset = fc.oneof(fc.integer({ min: 0, max: 130 }), fc.constantFrom(2 ** 31));
const smallInt = fc.oneof(fc.integer({ min: -3, max: 200 }), fc.constantFrom(-(2 ** 53 - 1), 2 ** 53 - 1, 2 ** 31));
const text = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('bash', '[tmux]', 'é中😀', '#[fg=red]x'));

const layoutWindow = fc.record({
  index: fc.integer({ min: -1, max: 9 }),
  name: text,
  panes: fc.array(fc.record({ id: paneId, cols: size, rows: size, xoff: offset, yoff: offset }), { maxLength: 4 }),
  activePaneId: paneId,
});

const copyState: fc.Arbitrary<CopyModeState | null> = fc.option(
  fc.record({
    backing: fc.oneof(fc.constantFrom(0, 1), smallInt),
    oy: smallInt,
    cx: smallInt,
    cy: smallInt,
    selection: fc.option(fc.record({ x: smallInt, lineFromBottom: smallInt, rect: fc.boolean() })),
    prompt: fc.option(fc.record({ type: fc.integer({ min: -1, max: 12 }), prompt: text, text })),
  }),
);

const cellWord = fc.oneof(fc.constantFrom(2056, 0x01000000 | 2056, 0x04000000, 0x02ff00ff, 0x10ffffff), fc.integer({ min: 0, max: 0x7fffffff }), smallInt);
const grid: fc.Arbitrary<SnapshotGrid> = fc.record({
  cx: smallInt,
  cy: smallInt,
  lines: fc.array(fc.record({ text: fc.uint8Array({ maxLength: 40 }), cells: fc.array(cellWord, { maxLength: 40 }) }), { maxLength: 12 }),
});

function ptyData(): fc.Arbitrary<Uint8Array> {
  const recorded = traceSeeds()
    .out.filter((m) => m[0] === 2 && typeof m[2] === 'string')
    .map((m) => new TextEncoder().encode(m[2] as string));
  return fc.oneof(
    fc.constantFrom(...recorded),
    fc.uint8Array({ maxLength: 200 }),
    fc.constantFrom('\x1b[?1049h', '\x1b[?1049l', '\x1b[999;999H', '\x1b[2J\x1b[3J', '\x1b]0;title\x07', '\x1bc', '\r\n'.repeat(80)).map((s) => new TextEncoder().encode(s)),
  );
}

const argv: fc.Arbitrary<string[]> = fc.oneof(
  fc.constantFrom<string[]>(
    ['bind-key', 'c', 'new-window'],
    ['bind-key', '-n', 'M-x', 'kill-pane', ';', 'new-window'],
    ['unbind-key', '-a'],
    ['set-option', '-g', 'prefix', 'C-a'],
    ['set-option', 'tmate-session-name', 'name'],
    ['set-option', 'tmate-set', 'authorized_keys=ssh-ed25519 AAAA x'],
    ['set-option', 'tmate-relay-ttl', '1h'],
    ['set-window-option', '-g', 'mode-keys', 'vi'],
    ['bogus'],
  ),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 5 }),
);

function generated(): fc.Arbitrary<OutMessage> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ type: fc.constant('sync-layout' as const), cols: size, rows: size, windows: fc.array(layoutWindow, { maxLength: 8 }), activeWindowIndex: fc.integer({ min: -1, max: 9 }) }) },
    { weight: 4, arbitrary: fc.record({ type: fc.constant('pty-data' as const), paneId, data: ptyData() }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('sync-copy-mode' as const), paneId, state: copyState }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('write-copy-mode' as const), paneId, line: text }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('snapshot' as const), panes: fc.array(fc.record({ id: paneId, mode: smallInt, grid, saved: fc.option(grid) }), { maxLength: 3 }) }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('exec-cmd' as const), argv }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('status' as const), left: text, right: text }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('failed-cmd' as const), clientId: smallInt, cause: text }) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.record({ type: fc.constant('header' as const), protocol: smallInt, clientVersion: text }),
        fc.constantFrom<OutMessage>({ type: 'fin' }, { type: 'ready' }, { type: 'unknown', id: 42 }, { type: 'exec-cmd-str', command: 'x' }),
        fc.record({ type: fc.constant('reconnect' as const), data: text }),
      ),
    },
  );
}

function parsedMutations(): fc.Arbitrary<OutMessage | null> {
  return fc.tuple(fc.constantFrom(...decodedOutSeeds()), fc.array(valueMutation, { maxLength: 3 })).map(([seed, m]) => {
    const parsed = parseOutMessage(mutateValue(seed, m));
    return parsed.ok ? parsed.value : null;
  });
}

function property(messages: readonly (OutMessage | null)[]): void {
  const replica = new SessionReplica(LIMITS);
  try {
    for (const message of messages) {
      if (message === null) continue;
      const event = replica.apply(message);
      check(EVENT_KINDS.has(event.kind), `event ${String(event.kind)}`);
      let panes = 0;
      for (let id = IDS.min; id <= IDS.max; id++) {
        const pane = replica.pane(id);
        if (!pane) continue;
        panes++;
        const { cols, rows } = pane.terminal;
        check(cols >= 1 && cols <= LIMITS.maxCols && rows >= 1 && rows <= LIMITS.maxRows, () => `pane ${id} is ${cols}x${rows}`);
        check(pane.outputLines.length <= LIMITS.maxOutputLines, `pane ${id} keeps ${pane.outputLines.length} output lines`);
      }
      check(panes <= LIMITS.maxPanes, `${panes} panes`);
      check(replica.windows.length <= LIMITS.maxPanes, `${replica.windows.length} windows`);
    }
  } finally {
    replica.dispose();
  }
}

function cases(): fc.Arbitrary<(OutMessage | null)[]> {
  return fc.array(fc.oneof({ weight: 4, arbitrary: generated() }, { weight: 1, arbitrary: parsedMutations() }), { minLength: 1, maxLength: 12 });
}

export const sessionReplica: FuzzTarget = {
  name: 'session-replica',
  checks: 'SessionReplica.apply never throws; panes, windows, pane sizes and output lines stay within the limits',
  quickRuns: 250,
  async run(params) {
    return checkSync(this.name, fc.property(cases(), property), params);
  },
};
