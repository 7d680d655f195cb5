/** move-pane: refused by tmate 2.4 (it shares join-pane's code and message). */
import { refusal } from './command-spec.js';

export const movePane = refusal('move-pane', 'movep', 'bdhvp:l:s:t:', 'pane', 'join pane is not supported with tmate');
