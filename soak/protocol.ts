/**
 * Messages between the soak runner (soak/run-soak.ts) and its load generator process
 * (soak/loadgen.ts, started with child_process.fork), plus the scenario parameters both share.
 *
 * Invariants: every command carries an id and gets exactly one `done` reply with that id; the
 * load generator sends nothing else on the channel. Everything here is plain JSON (IPC).
 */

import type { DoneReply } from '../bench/loadgen/forked-load.js';

/** The soak scenario. Rates are totals across the whole load, not per session. */
export interface SoakParams {
  /** Sessions kept alive at all times (ended ones are replaced). */
  sessions: number;
  /** Each session wants between viewersMin and viewersMax viewers (drawn again on every change). */
  viewersMin: number;
  viewersMax: number;
  /** Fraction of viewers that join read-only (ro- token). */
  readOnlyFraction: number;
  /** Viewers typing at the same time (each types a short command, Enter, pauses, picks again). */
  typists: number;
  /** Delay between two typed keys, ms (uniform in [min, max]). */
  keyDelayMs: [number, number];
  /** Host output bursts per second (a random live host prints 1–16 KB of log lines). */
  burstsPerSecond: number;
  /** Viewers leaving per second; the sessions they leave get new viewers to stay at their target. */
  viewerLeavesPerSecond: number;
  /** Sessions ended per minute and replaced by new ones. */
  sessionEndsPerMinute: number;
  /** Of the ended sessions, this fraction drops the host connection without FIN (host lost). */
  hostDropFraction: number;
  /** Viewer terminal resizes per second (SSH window-change). */
  resizesPerSecond: number;
  /** Relay-local UI actions per second (C-b i flash message, C-b W client list then a key). */
  relayUiPerSecond: number;
  /**
   * Lines each new session prints right after connecting (a long-running shell's history), so its
   * panes' scrollback (the relay keeps --scrollback 2000 lines) is full from the start and memory
   * does not grow for the first minutes just because scrollback fills up.
   */
  historyLines: number;
  /** Connections being set up at the same time (SSH handshakes are CPU-heavy). */
  setupConcurrency: number;
  /** Initial viewer terminal size (the host starts at this size too). */
  cols: number;
  rows: number;
}

export const DEFAULT_PARAMS: SoakParams = {
  sessions: 200,
  viewersMin: 1,
  viewersMax: 3,
  readOnlyFraction: 0.25,
  typists: 20,
  keyDelayMs: [60, 160],
  burstsPerSecond: 4,
  viewerLeavesPerSecond: 2,
  sessionEndsPerMinute: 6,
  hostDropFraction: 0.2,
  resizesPerSecond: 0.5,
  relayUiPerSecond: 0.3,
  historyLines: 2100,
  setupConcurrency: 16,
  cols: 100,
  rows: 30,
};

/** Cumulative counters of the load generator, plus what is live now. */
export interface SoakStats {
  liveSessions: number;
  liveViewers: number;
  /** Viewers of sessions whose host was dropped, still attached (the relay ends them after --reconnect-grace). */
  orphanViewers: number;
  sessionsCreated: number;
  sessionsFinished: number;
  sessionsDropped: number;
  hostSetupFailures: number;
  /** Hosts whose connection closed without being asked to. */
  hostsClosedUnexpectedly: number;
  viewersJoined: number;
  viewerJoinFailures: number;
  viewersLeft: number;
  /** Viewers disconnected by the relay because their session ended (FIN, host lost). */
  viewersEndedWithSession: number;
  /** Viewers disconnected by the relay while their session was alive (should stay 0). */
  viewersClosedUnexpectedly: number;
  keysTyped: number;
  commands: number;
  bursts: number;
  resizes: number;
  relayUiActions: number;
  /** PTY_DATA payload bytes sent by all hosts. */
  hostBytes: number;
  /** Bytes received by all viewers. */
  viewerBytes: number;
  /** First distinct error messages (at most 8). */
  errors: string[];
}

export interface RampResult {
  ms: number;
  sessions: number;
  viewers: number;
}

export type SoakCommand =
  | { type: 'start'; id: number; port: number; params: SoakParams }
  | { type: 'stats'; id: number }
  | { type: 'stop'; id: number };

export type SoakReply = DoneReply<RampResult | SoakStats | null>;
