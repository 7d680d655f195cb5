/** new-session: tmate allows one session; the second one fails to be created. */
import { refusal } from './command-spec.js';

export const newSession = {
  ...refusal('new-session', 'new', 'Ac:dDEF:n:Ps:t:x:y:', 'none', 'create session failed: multi sessions is not supported with tmate'),
  maxArgs: -1,
  argsUsage: '[command]',
};
