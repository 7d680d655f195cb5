/**
 * Flood and echo: how much a flooding session slows down everyone else on the same relay.
 *
 * One relay (its own process, `dist/main.js serve`, via lib/relay-process.ts), one quiet session
 * (stock tmate 2.4.0 host, headless) with a real OpenSSH viewer on a pty owned by the bench that
 * measures keystroke echo exactly as the `echo` figure does (lib/echo.ts), while other sessions on
 * the same relay flood. Scenarios, each measured in turn with the same echo session:
 *   idle          nothing else happens
 *   yes           one other session runs `yes`, watched by one reading viewer
 *   base64        one other session runs `cat /dev/urandom | base64` (every frame redraws the
 *                 whole screen), watched by one reading viewer
 *   both+stuck    both floods at once, plus a second viewer on the base64 session that stopped
 *                 reading (its ssh is SIGSTOPped: the relay's writes to it back up)
 * Reported per scenario: echo p50/p95/p99/max (ms), samples lost, the relay's CPU (% of a core)
 * and how much output the flood viewers received meanwhile (so a "fast echo" cannot come from a
 * flood that stalled).
 *
 * Run (after `npm run build`; needs tmate and openssh-client):
 *   node --import tsx bench/flood-echo.ts                # 300 samples per scenario, prints the table
 *   node --import tsx bench/flood-echo.ts --samples 1000 --write   # also rewrites its block of docs/benchmarks.md
 * A benchmark, never a test: it exits non-zero only when it could not run.
 *
 * Invariant: it writes docs/benchmarks.md only between its own markers (FLOOD_BEGIN/FLOOD_END),
 * creating that block (at the end) if missing; the rest of the file belongs to `npm run bench`.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { prepareShell, sampleEcho } from './lib/echo.js';
import { tmateDriver, type HostSession, type RelayEndpoint } from './lib/host-drivers.js';
import { CpuMeter, loadAverage, machineInfo } from './lib/proc.js';
import { RelayProcess } from './lib/relay-process.js';
import { SshTerminal } from './lib/ssh-terminal.js';
import { fmt, summarize, type Summary } from './lib/stats.js';
import { generateKey, log, makeTempDir, runCleanups, sleep, type ClientKey } from './lib/sys.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DOC = join(ROOT, 'docs', 'benchmarks.md');
const FLOOD_BEGIN = '<!-- flood-echo:begin (written by bench/flood-echo.ts --write) -->';
const FLOOD_END = '<!-- flood-echo:end -->';
const SIZE = { cols: 100, rows: 30 };

interface Flood {
  label: string;
  command: string;
}

const YES: Flood = { label: 'yes', command: 'yes' };
const BASE64: Flood = { label: 'base64', command: 'cat /dev/urandom | base64' };

interface Scenario {
  id: string;
  floods: Flood[];
  /** A second, stopped viewer on the last flood's session. */
  stuckViewer: boolean;
}

const SCENARIOS: readonly Scenario[] = [
  { id: 'idle', floods: [], stuckViewer: false },
  { id: 'yes', floods: [YES], stuckViewer: false },
  { id: 'base64', floods: [BASE64], stuckViewer: false },
  { id: 'both+stuck', floods: [YES, BASE64], stuckViewer: true },
];

interface Result {
  scenario: Scenario;
  summary: Summary;
  lost: number;
  relayCpuPercent: number;
  /** Bytes per second the flood viewers received during the sampling, in all. */
  floodBytesPerSecond: number;
}

interface RunningFlood {
  session: HostSession;
  viewer: SshTerminal;
  stuck: SshTerminal | null;
}

async function startFlood(endpoint: RelayEndpoint, key: ClientKey, flood: Flood, withStuck: boolean): Promise<RunningFlood> {
  const session = await tmateDriver.start(endpoint, SIZE);
  const join = { port: endpoint.port, user: session.token, command: [] };
  const viewer = new SshTerminal({ join, identityFile: key.privatePath, ...SIZE });
  await prepareShell(viewer, Date.now());
  let stuck: SshTerminal | null = null;
  if (withStuck) {
    stuck = new SshTerminal({ join, identityFile: key.privatePath, ...SIZE });
    await stuck.expectAnyData(20_000);
  }
  viewer.write(`${flood.command}\r`);
  // The flood flows once the viewer has received a good amount more than the prompt.
  const start = viewer.bytes;
  for (let i = 0; i < 500 && viewer.bytes < start + 200_000; i++) await sleep(20);
  if (stuck) process.kill(stuck.pid, 'SIGSTOP');
  return { session, viewer, stuck };
}

async function stopFlood(flood: RunningFlood): Promise<void> {
  if (flood.stuck) {
    process.kill(flood.stuck.pid, 'SIGCONT');
    await flood.stuck.close();
  }
  await flood.viewer.close();
  await flood.session.close();
}

async function measure(relay: RelayProcess, endpoint: RelayEndpoint, key: ClientKey, typist: SshTerminal, scenario: Scenario, samples: number): Promise<Result> {
  const floods: RunningFlood[] = [];
  try {
    for (const [i, flood] of scenario.floods.entries()) {
      floods.push(await startFlood(endpoint, key, flood, scenario.stuckViewer && i === scenario.floods.length - 1));
    }
    await typist.settle(200);
    const cpu = new CpuMeter(() => [relay.pid]);
    const floodBytes = (): number => floods.reduce((n, f) => n + f.viewer.bytes, 0);
    const bytesBefore = floodBytes();
    const startedAt = Date.now();
    const echo = await sampleEcho(typist, samples);
    const seconds = (Date.now() - startedAt) / 1000;
    return {
      scenario,
      summary: summarize(echo.samples),
      lost: echo.lost,
      relayCpuPercent: cpu.read().percent,
      floodBytesPerSecond: (floodBytes() - bytesBefore) / seconds,
    };
  } finally {
    for (const flood of floods.reverse()) await stopFlood(flood);
  }
}

function describeScenario(s: Scenario, inTable = false): string {
  if (s.floods.length === 0) return 'no other activity';
  // A `|` inside a Markdown table cell must be escaped, even in code.
  const floods = s.floods.map((f) => `\`${inTable ? f.command.replace(/\|/g, '\\|') : f.command}\``).join(' and ');
  return `${floods} in ${s.floods.length === 1 ? 'another session' : 'two other sessions'}${s.stuckViewer ? ', plus a stopped (SIGSTOP) viewer on the base64 session' : ''}`;
}

function table(results: readonly Result[], samples: number): string {
  const info = machineInfo();
  const lines = [
    `_Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${info.nproc} cores (${info.cpuModel}), Node ${info.node}, load average ${loadAverage()}; ${samples} samples per scenario after 20 warm-up ones._`,
    '',
    '| scenario | echo p50 (ms) | p95 | p99 | max | lost | relay CPU (% of a core) | flood output to its viewers |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const flood = r.scenario.floods.length === 0 ? '—' : `${fmt(r.floodBytesPerSecond / 1e6, 1)} MB/s`;
    lines.push(
      `| ${r.scenario.id}: ${describeScenario(r.scenario, true)} | ${fmt(r.summary.p50)} | ${fmt(r.summary.p95)} | ${fmt(r.summary.p99)} | ${fmt(r.summary.max)} | ${r.lost} | ${fmt(r.relayCpuPercent, 0)} | ${flood} |`,
    );
  }
  return lines.join('\n');
}

const SECTION_INTRO = `## Echo latency under a flood (bench/flood-echo.ts)

How much a flooding session slows down everyone else on the same relay. One relay (its own
process), one quiet session (stock tmate 2.4.0 host) whose OpenSSH viewer measures keystroke echo
exactly as the echo figure above does, while other sessions on the same relay flood; see the
header of \`bench/flood-echo.ts\` for the scenarios. Run it with \`npm run build\`, then
\`node --import tsx bench/flood-echo.ts [--samples N] [--write]\` (\`--write\` rewrites the block
below). What the relay does about floods: \`docs/reliability.md\`, "Slow and stuck viewers".
`;

/** Replaces this bench's block; the first time, adds the section before the hand-written analysis. */
async function writeDoc(block: string): Promise<void> {
  let doc = existsSync(DOC) ? await readFile(DOC, 'utf8') : '# Benchmarks\n';
  const content = `${FLOOD_BEGIN}\n${block}\n${FLOOD_END}`;
  const start = doc.indexOf(FLOOD_BEGIN);
  const end = doc.indexOf(FLOOD_END);
  if (start >= 0 && end > start) {
    doc = doc.slice(0, start) + content + doc.slice(end + FLOOD_END.length);
  } else {
    const section = `${SECTION_INTRO}\n${content}\n`;
    const analysis = doc.indexOf('\n## Analysis');
    doc = analysis >= 0 ? `${doc.slice(0, analysis + 1)}${section}\n${doc.slice(analysis + 1)}` : `${doc.trimEnd()}\n\n${section}`;
  }
  await writeFile(DOC, doc);
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { samples: { type: 'string', default: '300' }, write: { type: 'boolean', default: false } } });
  const samples = Number(values.samples);
  if (!Number.isInteger(samples) || samples < 10) {
    process.stderr.write('flood-echo: --samples must be a whole number ≥ 10\n');
    return 2;
  }
  const entry = join(ROOT, 'dist', 'main.js');
  if (!existsSync(entry)) {
    process.stderr.write('flood-echo: dist/main.js is missing; run `npm run build` first\n');
    return 1;
  }
  const unavailable = await tmateDriver.unavailable(entry);
  if (unavailable) {
    process.stderr.write(`flood-echo: ${unavailable}\n`);
    return 1;
  }
  const dir = await makeTempDir('flood-echo-');
  const key = await generateKey(dir.path, 'viewer');
  const relay = await RelayProcess.start({ entry });
  const endpoint: RelayEndpoint = { port: relay.port, ed25519Fingerprint: relay.ed25519Fingerprint, rsaFingerprint: relay.rsaFingerprint, entry, api: relay.api };
  const quiet = await tmateDriver.start(endpoint, SIZE);
  const typist = new SshTerminal({ join: { port: relay.port, user: quiet.token, command: [] }, identityFile: key.privatePath, ...SIZE });
  await prepareShell(typist, Date.now());
  const results: Result[] = [];
  try {
    for (const scenario of SCENARIOS) {
      log(`scenario ${scenario.id}: ${describeScenario(scenario)}`);
      results.push(await measure(relay, endpoint, key, typist, scenario, samples));
      if (!relay.isRunning) throw new Error(`the relay died (${relay.exitStatus}): ${relay.stderr.slice(-1500)}`);
    }
  } finally {
    await typist.close();
    await quiet.close();
    await relay.stop();
  }
  const block = table(results, samples);
  process.stdout.write(`${block}\n`);
  if (values.write) {
    await writeDoc(block);
    log(`wrote ${DOC}`);
  }
  return 0;
}

main().then(
  async (code) => {
    await runCleanups();
    process.exit(code);
  },
  async (error: unknown) => {
    process.stderr.write(`flood-echo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await runCleanups();
    process.exit(1);
  },
);
