/**
 * Façade over @xterm/headless: one emulator per pane, configured the way the relay needs it
 * (proposed API on for buffer access, Unicode 11 widths so emoji match real terminals, a
 * scrollback limit). The rest of the code creates emulators only through here.
 *
 * Invariants: the default import is used on purpose; the package's named ESM exports are broken
 * under plain Node (shared/notes/stack-spike.md §1.2). xterm's own logging is off: it would print
 * a multi-line "Parsing error" dump to the relay's stderr (the JSON log stream) for odd bytes a
 * host sends, so any host could flood and corrupt the relay's logs.
 */
import xterm from '@xterm/headless';
import type { Terminal } from '@xterm/headless';
import { Unicode11Addon } from '@xterm/addon-unicode11';

export type Emulator = Terminal;

export function createEmulator(cols: number, rows: number, scrollback: number): Emulator {
  const term = new xterm.Terminal({
    cols: Math.max(1, cols),
    rows: Math.max(1, rows),
    scrollback,
    allowProposedApi: true,
    convertEol: false,
    logLevel: 'off',
  });
  term.loadAddon(new Unicode11Addon());
  term.unicode.activeVersion = '11';
  return term;
}

/** The internal write queue of xterm's core; only its synchronous entry point is used. */
interface SyncWritable {
  _core?: { _writeBuffer?: { writeSync?: (data: string | Uint8Array) => void } };
}

/**
 * Feeds bytes to the emulator and parses them before returning. The public `write()` parses on a
 * later timer tick; parsing synchronously keeps pane state, resizes and renders in message order
 * and saves a timer hop per output chunk. We register no async parser hooks, which is what makes
 * xterm call the synchronous path "unreliable".
 */
export function feedEmulator(term: Emulator, data: string | Uint8Array): void {
  const writeSync = (term as unknown as SyncWritable)._core?._writeBuffer?.writeSync;
  if (writeSync) writeSync.call((term as unknown as SyncWritable)._core?._writeBuffer, data);
  else term.write(data);
}
