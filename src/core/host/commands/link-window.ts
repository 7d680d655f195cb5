/** link-window: refused by tmate 2.4 (it shares move-window's code and message). */
import { refusal } from './command-spec.js';

export const linkWindow = refusal('link-window', 'linkw', 'adks:t:', 'window-index', 'move window is not supported with tmate');
