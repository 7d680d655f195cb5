/**
 * The soak's load generator, in its own Node process (forked by soak/run-soak.ts with
 * `node --import tsx soak/loadgen.ts --max-seconds N`, driven over the fork IPC channel, see
 * protocol.ts). `start` ramps up to `sessions` simulated tmate hosts with 1–3 simulated SSH
 * viewers each (the bench's: bench/loadgen/sim-host.ts, sim-viewer.ts), then keeps that level
 * while mixing, at the rates of SoakParams: viewers typing short commands (echoed by their host
 * like a shell), host output bursts, viewers leaving and new ones joining, sessions ending (FIN,
 * or the host dropping without FIN) and new ones replacing them, viewer resizes and relay-local
 * UI keys (C-b i, C-b W).
 * `stop` ends everything cleanly (hosts send FIN, viewers leave) and waits for every connection
 * to close.
 *
 * Bounds (it always stops by itself):
 * - loopback only: every connection goes to 127.0.0.1;
 * - at most MAX_CONNECTIONS open connections, at most `setupConcurrency` being set up at once;
 * - it exits after --max-seconds, when the runner disconnects (IPC), or after `stop`.
 */
import type { RampResult, SoakCommand, SoakParams, SoakReply, SoakStats } from './protocol.js';
import { SimHost, type HostTokens } from '../bench/loadgen/sim-host.js';
import { SimViewer } from '../bench/loadgen/sim-viewer.js';
import { errorText } from '../bench/lib/sys.js';
import { generateUsableKeyPair } from '../src/server/keys/host-keys.js';

const MAX_CONNECTIONS = 3000;
const TICK_MS = 100;
const RAMP_TIMEOUT_MS = 240_000;
const STOP_TIMEOUT_MS = 30_000;

const maxSecondsArg = process.argv.indexOf('--max-seconds');
const maxSeconds = maxSecondsArg >= 0 ? Number(process.argv[maxSecondsArg + 1]) : 1200;

// ---- state ----

interface Session {
  host: SimHost;
  tokens: HostTokens;
  viewers: Set<SimViewer>;
  /** Viewer connections being set up for this session. */
  joining: number;
  /** How many viewers this session wants now. */
  target: number;
  /** Removed from `live`: finishing, dropped or lost; its viewers' closes are expected. */
  ending: boolean;
}

let params: SoakParams | null = null;
let port = 0;
let privateKey = '';
/** Sessions kept at the target level (not ending). */
const live = new Set<Session>();
/** Viewers of dropped sessions, waiting for the relay to end them after --reconnect-grace. */
const orphans = new Set<SimViewer>();
const openHosts = new Set<SimHost>();
const openViewers = new Set<SimViewer>();
let creatingSessions = 0;
let setupsInFlight = 0;
let phase: 'idle' | 'running' | 'stopping' = 'idle';
let ticker: NodeJS.Timeout | null = null;
let typistsRunning = 0;

const stats: SoakStats = {
  liveSessions: 0,
  liveViewers: 0,
  orphanViewers: 0,
  sessionsCreated: 0,
  sessionsFinished: 0,
  sessionsDropped: 0,
  hostSetupFailures: 0,
  hostsClosedUnexpectedly: 0,
  viewersJoined: 0,
  viewerJoinFailures: 0,
  viewersLeft: 0,
  viewersEndedWithSession: 0,
  viewersClosedUnexpectedly: 0,
  keysTyped: 0,
  commands: 0,
  bursts: 0,
  resizes: 0,
  relayUiActions: 0,
  hostBytes: 0,
  viewerBytes: 0,
  errors: [],
};
/** Bytes of connections already closed (live ones are summed at stats time). */
let closedHostBytes = 0;
let closedViewerBytes = 0;

function noteError(message: string): void {
  if (stats.errors.length < 8 && !stats.errors.includes(message)) stats.errors.push(message);
}

// ---- randomness ----

const randomInt = (min: number, max: number): number => min + Math.floor(Math.random() * (max - min + 1));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function pick<T>(items: Iterable<T>): T | undefined {
  const list = [...items];
  return list.length === 0 ? undefined : list[Math.floor(Math.random() * list.length)];
}

/** Events of a Poisson process with `perSecond` rate during one tick. */
function eventsThisTick(perSecond: number): number {
  const lambda = (perSecond * TICK_MS) / 1000;
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = Math.random();
  while (p > limit) {
    k++;
    p *= Math.random();
  }
  return k;
}

function canConnect(): boolean {
  const p = params!;
  return setupsInFlight < p.setupConcurrency && openHosts.size + openViewers.size < MAX_CONNECTIONS;
}

// ---- sessions and viewers ----

async function createSession(): Promise<void> {
  const p = params!;
  creatingSessions++;
  setupsInFlight++;
  const host = new SimHost(p.cols, p.rows, p.historyLines);
  openHosts.add(host);
  let session: Session | null = null;
  host.onClose = () => {
    openHosts.delete(host);
    closedHostBytes += host.bytesSent;
    if (session && !session.ending) {
      // Lost without being asked to: the relay keeps the session for its reconnect grace.
      stats.hostsClosedUnexpectedly++;
      noteError('a simulated host connection closed by itself');
      endSession(session, 'lost');
    }
  };
  try {
    const tokens = await host.connect(port);
    stats.sessionsCreated++;
    session = { host, tokens, viewers: new Set(), joining: 0, target: randomInt(p.viewersMin, p.viewersMax), ending: false };
    if (phase === 'stopping') {
      session.ending = true;
      host.finish();
    } else live.add(session);
  } catch (error) {
    stats.hostSetupFailures++;
    noteError(`host setup: ${errorText(error)}`);
  } finally {
    creatingSessions--;
    setupsInFlight--;
  }
}

async function addViewer(session: Session): Promise<void> {
  const p = params!;
  session.joining++;
  setupsInFlight++;
  const viewer = new SimViewer(Math.random() < p.readOnlyFraction, p.cols, p.rows);
  openViewers.add(viewer);
  let joined = false;
  viewer.onClose = () => {
    openViewers.delete(viewer);
    session.viewers.delete(viewer);
    orphans.delete(viewer);
    closedViewerBytes += viewer.bytes;
    if (!joined || !viewer.closedUnexpectedly) return;
    if (session.ending) stats.viewersEndedWithSession++;
    else {
      stats.viewersClosedUnexpectedly++;
      noteError('a viewer was disconnected by the relay while its session was alive');
    }
  };
  try {
    await viewer.connect(port, viewer.readOnly ? session.tokens.ro : session.tokens.rw, privateKey);
    joined = true;
    stats.viewersJoined++;
    if (session.ending || phase === 'stopping') viewer.leave();
    else session.viewers.add(viewer);
  } catch (error) {
    // A join racing with its session's end is expected; anything else is a failure.
    if (!session.ending && phase !== 'stopping') {
      stats.viewerJoinFailures++;
      noteError(`viewer join: ${errorText(error)}`);
    }
  } finally {
    session.joining--;
    setupsInFlight--;
  }
}

function endSession(session: Session, how: 'finish' | 'drop' | 'lost'): void {
  if (session.ending) return;
  session.ending = true;
  live.delete(session);
  if (how === 'finish') {
    stats.sessionsFinished++;
    session.host.finish();
  } else {
    if (how === 'drop') stats.sessionsDropped++;
    session.host.drop();
    for (const v of session.viewers) orphans.add(v);
  }
}

/** Tops sessions and viewers up to their targets, within the setup concurrency. */
function reconcile(): void {
  const p = params!;
  while (live.size + creatingSessions < p.sessions && canConnect()) void createSession();
  for (const session of live) {
    while (session.viewers.size + session.joining < session.target && canConnect()) void addViewer(session);
    if (!canConnect()) break;
  }
}

function atTarget(): boolean {
  if (live.size < params!.sessions || setupsInFlight > 0) return false;
  for (const s of live) if (s.viewers.size < s.target) return false;
  return true;
}

// ---- the mix ----

function liveViewers(filter: (v: SimViewer) => boolean = () => true): SimViewer[] {
  const out: SimViewer[] = [];
  for (const s of live) for (const v of s.viewers) if (v.canWrite && filter(v)) out.push(v);
  return out;
}

const typing = new Set<SimViewer>();
const COMMANDS = ['ls -la', 'git status', 'cat README.md', 'npm test', 'make -j2', 'tail -n 20 app.log', 'echo hello', 'ps aux', 'df -h', 'cd src'];

/** One typist: picks a read-write viewer, types a command with Enter, pauses, again. */
async function typist(): Promise<void> {
  const p = params!;
  typistsRunning++;
  try {
    while (phase === 'running') {
      const viewer = pick(liveViewers((v) => !v.readOnly && !typing.has(v)));
      if (!viewer) {
        await sleep(500);
        continue;
      }
      typing.add(viewer);
      const command = COMMANDS[randomInt(0, COMMANDS.length - 1)]!;
      // Now and then a typo fixed with BSpace (DEL, 0x7f, as terminals send it).
      const keys = Math.random() < 0.2 ? [...command.slice(0, 3), 'x', '\x7f', ...command.slice(3), '\r'] : [...command, '\r'];
      for (const key of keys) {
        if (phase !== 'running' || !viewer.canWrite) break;
        viewer.write(key);
        stats.keysTyped++;
        if (key === '\r') stats.commands++;
        await sleep(randomInt(p.keyDelayMs[0], p.keyDelayMs[1]));
      }
      typing.delete(viewer);
      await sleep(randomInt(1000, 4000));
    }
  } finally {
    typistsRunning--;
  }
}

function tick(): void {
  const p = params!;
  if (phase !== 'running') return;
  reconcile();
  for (let n = eventsThisTick(p.burstsPerSecond); n > 0; n--) {
    const session = pick(live);
    if (session?.host.burst(randomInt(1024, 16_384))) stats.bursts++;
  }
  for (let n = eventsThisTick(p.viewerLeavesPerSecond); n > 0; n--) {
    const session = pick([...live].filter((s) => s.viewers.size > 0));
    const viewer = session && pick(session.viewers);
    if (!session || !viewer) continue;
    session.viewers.delete(viewer);
    viewer.leave();
    stats.viewersLeft++;
    session.target = randomInt(p.viewersMin, p.viewersMax);
  }
  for (let n = eventsThisTick(p.sessionEndsPerMinute / 60); n > 0; n--) {
    const session = pick(live);
    if (session) endSession(session, Math.random() < p.hostDropFraction ? 'drop' : 'finish');
  }
  for (let n = eventsThisTick(p.resizesPerSecond); n > 0; n--) {
    const viewer = pick(liveViewers());
    if (!viewer) continue;
    viewer.resize(randomInt(60, 160), randomInt(20, 50));
    stats.resizes++;
  }
  for (let n = eventsThisTick(p.relayUiPerSecond); n > 0; n--) {
    const viewer = pick(liveViewers((v) => !typing.has(v)));
    if (!viewer) continue;
    stats.relayUiActions++;
    if (Math.random() < 0.5) viewer.write('\x02i'); // display-message: a flash on the status line
    else {
      viewer.write('\x02W'); // the relay's client list; any key leaves it
      setTimeout(() => viewer.write('q'), 1000);
    }
  }
}

// ---- commands ----

async function start(command: Extract<SoakCommand, { type: 'start' }>): Promise<RampResult> {
  if (phase !== 'idle') throw new Error('already started');
  params = command.params;
  port = command.port;
  privateKey = generateUsableKeyPair('ed25519').private;
  phase = 'running';
  const started = Date.now();
  // Ramp: only reconcile, no churn, until every session has its viewers.
  const deadline = started + RAMP_TIMEOUT_MS;
  while (!atTarget() && Date.now() < deadline) {
    reconcile();
    await sleep(TICK_MS);
  }
  const ramp: RampResult = { ms: Date.now() - started, sessions: live.size, viewers: liveViewers(() => true).length };
  ticker = setInterval(tick, TICK_MS);
  for (let i = 0; i < params.typists; i++) void typist();
  return ramp;
}

function snapshot(): SoakStats {
  let viewers = 0;
  for (const s of live) viewers += s.viewers.size;
  let hostBytes = closedHostBytes;
  for (const h of openHosts) hostBytes += h.bytesSent;
  let viewerBytes = closedViewerBytes;
  for (const v of openViewers) viewerBytes += v.bytes;
  return { ...stats, liveSessions: live.size, liveViewers: viewers, orphanViewers: orphans.size, hostBytes, viewerBytes, errors: [...stats.errors] };
}

async function stop(): Promise<SoakStats> {
  phase = 'stopping';
  if (ticker) clearInterval(ticker);
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while ((setupsInFlight > 0 || typistsRunning > 0) && Date.now() < deadline) await sleep(50);
  const final = snapshot();
  for (const session of [...live]) endSession(session, 'finish');
  for (const v of [...openViewers]) v.leave();
  while (openHosts.size + openViewers.size > 0 && Date.now() < deadline) await sleep(50);
  if (openHosts.size + openViewers.size > 0) noteError(`${openHosts.size} hosts and ${openViewers.size} viewers still open ${STOP_TIMEOUT_MS / 1000} s after stop`);
  return { ...final, errors: [...stats.errors] };
}

function exitSoon(code: number): void {
  phase = 'stopping';
  if (ticker) clearInterval(ticker);
  for (const h of openHosts) h.finish();
  for (const v of openViewers) v.leave();
  setTimeout(() => process.exit(code), 500).unref();
}

const deadlineTimer = setTimeout(() => {
  process.stderr.write(`soak loadgen: --max-seconds ${maxSeconds} reached, stopping\n`);
  exitSoon(3);
}, Math.max(1, maxSeconds) * 1000);
deadlineTimer.unref();

process.on('disconnect', () => exitSoon(0));

async function handle(command: SoakCommand): Promise<RampResult | SoakStats | null> {
  switch (command.type) {
    case 'start':
      return start(command);
    case 'stats':
      return snapshot();
    case 'stop':
      return stop();
  }
}

process.on('message', (raw: unknown) => {
  const command = raw as SoakCommand; // the runner is the only sender (fork IPC)
  handle(command).then(
    (result) => process.send?.({ type: 'done', id: command.id, ok: true, result } satisfies SoakReply),
    (error: unknown) =>
      process.send?.({ type: 'done', id: command.id, ok: false, error: errorText(error) } satisfies SoakReply),
  );
});
