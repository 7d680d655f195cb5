/**
 * Every fuzz target, in the order the runners use (cheap, pure ones first; the HTTP one, which
 * starts a relay, last). Adding a target means adding its file here and nothing else.
 */
import type { FuzzTarget } from '../fuzz-target.js';
import { codecIn } from './codec-in.js';
import { codecOut } from './codec-out.js';
import { commandLine } from './command-line.js';
import { httpApi } from './http-api.js';
import { inputParser } from './input-parser.js';
import { keyTable } from './key-table.js';
import { sessionReplica } from './session-replica.js';
import { streamDecoder } from './stream-decoder.js';
import { webJson } from './web-json.js';

export const TARGETS: readonly FuzzTarget[] = [
  codecOut,
  codecIn,
  streamDecoder,
  inputParser,
  keyTable,
  commandLine,
  webJson,
  sessionReplica,
  httpApi,
];
