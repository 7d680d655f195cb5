/** break-pane: refused by tmate 2.4 (one layout per window is all the protocol can show). */
import { refusal } from './command-spec.js';

export const breakPane = refusal('break-pane', 'breakp', 'dPF:s:t:', 'window-index', 'break pane is not supported with tmate');
