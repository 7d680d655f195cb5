/** swap-window: refused by tmate 2.4. */
import { refusal } from './command-spec.js';

export const swapWindow = refusal('swap-window', 'swapw', 'ds:t:', 'window', 'swap window is not supported with tmate');
