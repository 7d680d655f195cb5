/** join-pane: refused by tmate 2.4. */
import { refusal } from './command-spec.js';

export const joinPane = refusal('join-pane', 'joinp', 'bdhvp:l:s:t:', 'pane', 'join pane is not supported with tmate');
