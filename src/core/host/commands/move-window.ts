/** move-window: refused by tmate 2.4. */
import { refusal } from './command-spec.js';

export const moveWindow = refusal('move-window', 'movew', 'adkrs:t:', 'none', 'move window is not supported with tmate');
