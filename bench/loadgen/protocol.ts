/**
 * Messages between the bench and its load generator (a child process started with
 * child_process.fork; see loadgen-client.ts and main.ts). Every command carries an id and gets
 * exactly one `done` reply with that id; closing the channel stops the load generator.
 */

import type { DoneReply } from './forked-load.js';

export interface StreamSpec {
  /** One PTY_DATA burst every intervalMs … */
  intervalMs: number;
  /** … of about this many bytes (whole 80-column log lines with a little colour). */
  bytes: number;
}

export type LoadCommand =
  | {
      type: 'hosts';
      id: number;
      port: number;
      count: number;
      /** The first `streaming` of these hosts will stream output (see StreamSpec) after a `stream` command. */
      streaming: number;
      stream: StreamSpec;
      cols: number;
      rows: number;
    }
  | {
      type: 'viewers';
      id: number;
      port: number;
      keyPath: string;
      /** One viewer per entry: SSH user, and the remote command (null: a shell, as for the relay). */
      targets: { user: string; command: string | null }[];
      cols: number;
      rows: number;
    }
  /** on: every host marked as streaming starts; off: every host stops. */
  | { type: 'stream'; id: number; on: boolean }
  | { type: 'stats'; id: number };

export interface LoadStats {
  hosts: number;
  hostsStreaming: number;
  viewers: number;
  /** Bytes received by all simulated viewers so far. */
  viewerBytes: number;
  /** Bytes of PTY_DATA sent by all simulated hosts so far. */
  hostBytes: number;
  /** Connections that closed without being asked to. */
  dropped: number;
}

export interface SetupResult {
  ok: number;
  failed: number;
  ms: number;
  /** For hosts: the viewer token of each session, in order (empty string for a failed one). */
  tokens: string[];
  firstError: string | null;
}

export type LoadReply = DoneReply<SetupResult | LoadStats | null>;
