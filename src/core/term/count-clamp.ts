/**
 * Caps the repeat counts of the control sequences that xterm carries out one step per count, so
 * that a few bytes of pane output cannot hold the relay for seconds: `CSI 3000000 S` scrolled
 * three million times (~10 s), `a CSI 2147483647 b` repeated a character two billion times (over
 * a minute, gigabytes), and any program, file or viewer typing into a shared shell can print them.
 *
 * The caps are where more steps change nothing a person could see, as tmux caps them: lines
 * inserted, deleted or scrolled at most the screen's rows, characters inserted and tab stops moved
 * at most its columns, a character repeated at most a screenful.
 *
 * Invariants: a count within its cap is untouched; a larger one acts as the cap. The cap is
 * applied to the parameters xterm's own handler then reads (a handler registered on its core runs
 * before the built-in one and returns false to pass on). Without that core entry point (an xterm
 * change) an oversized sequence is dropped through the public API instead: never carried out.
 */
import type { Terminal } from '@xterm/headless';

type Cap = (term: Terminal) => number;

const ROWS: Cap = (term) => term.rows;
const COLS: Cap = (term) => term.cols;

/** Final byte of a CSI sequence without prefix or intermediates → its cap. */
const CAPPED: Readonly<Record<string, Cap>> = {
  '@': COLS, // ICH insert characters
  I: COLS, // CHT forward tab stops
  Z: COLS, // CBT backward tab stops
  L: ROWS, // IL insert lines
  M: ROWS, // DL delete lines
  S: ROWS, // SU scroll up
  T: ROWS, // SD scroll down
  b: (term) => term.cols * term.rows, // REP repeat the preceding character
};

/** xterm's parameter list as its core hands it to handlers (@xterm/headless 6.0.0). */
interface RawParams {
  length: number;
  params: Int32Array;
}

interface CoreWithCsiHandlers {
  registerCsiHandler?(id: { final: string }, callback: (params: RawParams) => boolean): unknown;
}

export function clampRepeatCounts(term: Terminal): void {
  const core = (term as unknown as { _core?: CoreWithCsiHandlers })._core;
  for (const [final, cap] of Object.entries(CAPPED)) {
    if (typeof core?.registerCsiHandler === 'function') {
      core.registerCsiHandler({ final }, (params) => {
        const limit = cap(term);
        if (params.length > 0 && params.params[0]! > limit) params.params[0] = limit;
        return false;
      });
    } else {
      term.parser.registerCsiHandler({ final }, (params) => typeof params[0] === 'number' && params[0] > cap(term));
    }
  }
}
