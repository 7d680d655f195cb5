/**
 * The systems compared in one run, behind one interface:
 * - `relay+<driver>`: our relay (own process) with a host from host-drivers.ts (stock tmate, our
 *   host engine over SSH, a relay-local session);
 * - `sshd+tmux`: the baseline (sshd-baseline.ts).
 *
 * A target owns its server for the duration of one figure (fresh state per figure), creates
 * sessions, says how a viewer joins one, and which processes are "the server" for CPU and memory.
 */
import { HOST_DRIVERS, type HostDriver, type HostSession } from './host-drivers.js';
import { RelayProcess } from './relay-process.js';
import { SshdBaseline } from './sshd-baseline.js';
import type { JoinSpec } from './ssh-terminal.js';

export interface Size {
  cols: number;
  rows: number;
}

export interface BenchSession {
  readonly join: JoinSpec;
  readonly setupMs: number;
  /** Host-side processes (tmate server, our engine; for the baseline: none beyond the server). */
  hostPids(): number[];
  close(): Promise<void>;
}

/** Where the load generator connects: simulated tmate hosts + viewers (relay), or viewers only (sshd). */
export type LoadEndpoint = { kind: 'relay'; port: number } | { kind: 'sshd'; base: SshdBaseline };

export interface RunningTarget {
  readonly spec: TargetSpec;
  readonly load: LoadEndpoint;
  /** Processes whose CPU and memory are "the server" in the report. */
  serverPids(): number[];
  newSession(size: Size): Promise<BenchSession>;
  /** Stops the server; returns a CPU profile path when the relay was profiled. */
  stop(): Promise<string | null>;
}

export interface TargetSpec {
  readonly id: string;
  readonly label: string;
  readonly baseline: boolean;
  /** Why this target cannot run here (skipped with this note), or null. */
  unavailable(): Promise<string | null>;
  start(opts: { cpuProfDir?: string }): Promise<RunningTarget>;
}

export interface TargetContext {
  relayEntry: string;
  /** Extra node/V8 flags for the relay process (experiments). */
  relayNodeOptions?: string[];
  clientPublicKey: string;
  /** A second relay build, measured as extra targets `relay+…@B` beside the first (experiments). */
  compareEntry?: string;
  /** Node/V8 flags for the `…@B` targets (default: relayNodeOptions); B may be the same build. */
  compareNodeOptions?: string[];
}

/** `variant` names a second build (ctx.relayEntry is then that build): `B` gives `relay+tmate@B`. */
export function relayTarget(driver: HostDriver, ctx: TargetContext, variant?: string): TargetSpec {
  const spec: TargetSpec = {
    id: `relay+${driver.id}${variant ? `@${variant}` : ''}`,
    label: `relay + ${driver.label}${variant ? ` (build ${variant}: ${ctx.relayEntry}${nodeFlags(ctx.relayNodeOptions)})` : ''}`,
    baseline: false,
    unavailable: () => driver.unavailable(ctx.relayEntry),
    async start(opts) {
      const relay = await RelayProcess.start({ entry: ctx.relayEntry, nodeOptions: ctx.relayNodeOptions, cpuProfDir: opts.cpuProfDir });
      return {
        spec,
        load: { kind: 'relay', port: relay.port },
        serverPids: () => (relay.isRunning ? [relay.pid] : []),
        async newSession(size) {
          if (!relay.isRunning) throw new Error(`the relay died: ${relay.stderr}`);
          const host: HostSession = await driver.start(
            { port: relay.port, ed25519Fingerprint: relay.ed25519Fingerprint, rsaFingerprint: relay.rsaFingerprint, entry: ctx.relayEntry, api: relay.api },
            size,
          );
          return {
            join: { port: relay.port, user: host.token, command: [] },
            setupMs: host.setupMs,
            hostPids: () => host.pids(),
            close: () => host.close(),
          };
        },
        stop: () => relay.stop(),
      };
    },
  };
  return spec;
}

function nodeFlags(options: string[] | undefined): string {
  return options && options.length > 0 ? `, node ${options.join(' ')}` : '';
}

export function baselineTarget(ctx: TargetContext): TargetSpec {
  const spec: TargetSpec = {
    id: 'sshd+tmux',
    label: 'baseline: OpenSSH sshd + tmux',
    baseline: true,
    unavailable: async () => (await import('./sshd-baseline.js')).baselineUnavailable(),
    async start() {
      const base = await SshdBaseline.start(ctx.clientPublicKey);
      return {
        spec,
        load: { kind: 'sshd', base },
        serverPids: () => base.serverPids(),
        async newSession(size) {
          const s = await base.newSession(size);
          return {
            join: { port: base.port, user: base.user, command: base.attachCommand(s.name) },
            setupMs: s.setupMs,
            hostPids: () => [],
            close: () => base.killSession(s.name),
          };
        },
        async stop() {
          await base.stop();
          return null;
        },
      };
    },
  };
  return spec;
}

export function allTargets(ctx: TargetContext): TargetSpec[] {
  const compareEntry = ctx.compareEntry ?? (ctx.compareNodeOptions ? ctx.relayEntry : undefined);
  const relayNodeOptions = ctx.compareNodeOptions ?? ctx.relayNodeOptions;
  const compared = compareEntry ? HOST_DRIVERS.map((d) => relayTarget(d, { ...ctx, relayEntry: compareEntry, relayNodeOptions }, 'B')) : [];
  return [...HOST_DRIVERS.map((d) => relayTarget(d, ctx)), ...compared, baselineTarget(ctx)];
}
