/**
 * The relay under test, in its own process: `node [--cpu-prof] ENTRY serve --ssh-port 0 …` with
 * fresh keys in a temp dir, silent logs, no local session, keyless viewers allowed, per-address
 * abuse limits off (everything connects from 127.0.0.1). The bound
 * port and the ed25519 fingerprint are read from what `serve` prints.
 *
 * Invariant: stop() ends the process (SIGTERM, then SIGKILL) and, when profiling, waits until
 * the .cpuprofile has been written (Node writes it on a normal exit). A profiled relay also
 * loads the loop-stall probe (bench/probes/loop-stalls.cjs), which writes beside the profile.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir, onCleanup, run, type TempDir } from './sys.js';

/** The event-loop stall probe every profiled relay loads. */
const STALL_PROBE = fileURLToPath(new URL('../probes/loop-stalls.cjs', import.meta.url));

/**
 * Abuse limits that would refuse a load generator connecting from one loopback address (hundreds
 * of sessions and connections per minute); switched off when the build has them.
 */
const LIMITS_OFF: readonly (readonly [string, string])[] = [
  ['--max-sessions-per-ip', '0'],
  ['--max-viewers-per-session', '0'],
  ['--connection-rate-limit', '0'],
  ['--auth-failure-limit', '0'],
  ['--max-unauthenticated-per-ip', '0'],
];

const helpCache = new Map<string, Promise<string>>();

/** Flags that switch the build's per-address limits off (only those `serve --help` lists). */
function limitFlags(entry: string): Promise<string[]> {
  let help = helpCache.get(entry);
  if (!help) {
    help = run(process.execPath, [entry, 'serve', '--help'], { timeoutMs: 15_000 }).then((r) => r.stdout, () => '');
    helpCache.set(entry, help);
  }
  return help.then((text) => LIMITS_OFF.filter(([flag]) => text.includes(`${flag} `)).flat());
}

export interface RelayProcessOptions {
  /** The relay's entry point, e.g. dist/main.js. */
  entry: string;
  /** Extra node/V8 flags (e.g. GC settings to experiment with). */
  nodeOptions?: string[];
  /** Write a V8 CPU profile into this directory (node --cpu-prof). */
  cpuProfDir?: string;
  extraArgs?: string[];
}

/** Where the relay's HTTP API answers, and the token it wants. */
export interface RelayApi {
  port: number;
  token: string;
}

export class RelayProcess {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: TempDir,
    readonly port: number,
    readonly ed25519Fingerprint: string,
    readonly rsaFingerprint: string,
    private readonly cpuProfDir: string | undefined,
    private readonly stderrTail: () => string,
    private readonly stdoutText: () => string,
  ) {}

  /**
   * The HTTP API's port and token, from what `serve` printed at start (the token is generated into
   * the fresh keys dir, so it is printed); null if this build printed neither.
   */
  get api(): RelayApi | null {
    const out = this.stdoutText();
    const port = /HTTP API[^\n]* on http:\/\/[^\s]+:(\d+)/.exec(out);
    const token = /API token \(generated[^)]*\): (\S+)/.exec(out);
    return port && token ? { port: Number(port[1]), token: token[1]! } : null;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  static async start(opts: RelayProcessOptions): Promise<RelayProcess> {
    const dir = await makeTempDir('bench-relay-');
    // A profiled relay also records its event-loop stalls next to the profile (lib/loop-stalls.ts).
    const profiling = opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`, '--require', STALL_PROBE] : [];
    const nodeArgs = [...(opts.nodeOptions ?? []), ...profiling];
    const args = [
      ...nodeArgs,
      opts.entry,
      'serve',
      '--listen', '127.0.0.1',
      '--ssh-port', '0',
      '--http-port', '0',
      '--keys-dir', join(dir.path, 'keys'),
      '--log-level', 'silent',
      '--local-session', 'off',
      '--allow-keyless',
      ...(await limitFlags(opts.entry)),
      ...(opts.extraArgs ?? []),
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '', ...(opts.cpuProfDir ? { LOOP_STALLS_DIR: opts.cpuProfDir } : {}) } });
    let stdout = '';
    let stderr = '';
    // For experiments: BENCH_RELAY_LOG=FILE keeps the relay's stdout (e.g. V8's --trace-gc-nvp lines).
    const logFile = process.env.BENCH_RELAY_LOG;
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (logFile) appendFileSync(logFile, d);
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
    const unregister = onCleanup(
      () => killAndWait(child),
      () => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, 'SIGKILL'),
    );
    try {
      const parsed = await new Promise<{ port: number; ed: string; rsa: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`relay did not start within 20 s\nstdout: ${stdout}\nstderr: ${stderr}`)), 20_000);
        const check = (): void => {
          const port = /listening for SSH on [^\s]+:(\d+)/.exec(stdout);
          const ed = /ed25519\s+(SHA256:\S+)/.exec(stdout);
          const rsa = /rsa\s+(SHA256:\S+)/.exec(stdout);
          // The API's lines follow the keys in a second write; relay-local sessions need them.
          const api = /API token[^\n]*\n/.test(stdout);
          if (port && ed && rsa && api) {
            clearTimeout(timer);
            resolve({ port: Number(port[1]), ed: ed[1]!, rsa: rsa[1]! });
          }
        };
        child.stdout!.on('data', check);
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`relay exited (code ${code}) before listening\nstdout: ${stdout}\nstderr: ${stderr}`));
        });
      });
      const relay = new RelayProcess(child, dir, parsed.port, parsed.ed, parsed.rsa, opts.cpuProfDir, () => stderr, () => stdout);
      child.removeAllListeners('exit');
      relay.unregister = unregister;
      return relay;
    } catch (error) {
      unregister();
      await killAndWait(child);
      await dir.cleanup();
      throw error;
    }
  }

  private unregister: () => void = () => undefined;

  get isRunning(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines the relay wrote to stderr (crash diagnostics). */
  get stderr(): string {
    return this.stderrTail();
  }

  /** Exit code or signal if the relay already ended on its own (a crash), else null. */
  get exitStatus(): string | null {
    if (this.child.exitCode !== null) return `exit code ${this.child.exitCode}`;
    if (this.child.signalCode !== null) return `signal ${this.child.signalCode}`;
    return null;
  }

  /**
   * Stops the relay; returns the path of the CPU profile when profiling. Throws if the relay had
   * already died (with its exit status and the tail of its stderr): a crash must not pass silently.
   */
  async stop(): Promise<string | null> {
    this.unregister();
    const died = this.exitStatus;
    await killAndWait(this.child, 30_000);
    await this.dir.cleanup();
    if (died) throw new Error(`the relay died during the measurement (${died}); stderr: ${this.stderr.slice(-1500)}`);
    if (!this.cpuProfDir) return null;
    const files = await readdir(this.cpuProfDir).catch(() => []);
    const mine = files.find((f) => f.endsWith('.cpuprofile') && f.includes(`.${this.pid}.`));
    return mine ? join(this.cpuProfDir, mine) : null;
  }
}

async function killAndWait(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
