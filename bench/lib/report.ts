/**
 * Results model and docs/benchmarks.md writer.
 *
 * The file is partly generated: the run header, the summary of targets and one block per figure
 * sit between `<!-- bench:… -->` markers and are replaced on every run; everything outside the
 * markers (the hand-written analysis) is kept. A run of only some figures replaces only their
 * blocks; each block carries its own date and mode, and its target checks as JSON in a comment,
 * so the summary is rebuilt from every block in the file.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { MachineInfo } from './proc.js';
import { fmt, fmtRatio } from './stats.js';

export interface Column {
  key: string;
  label: string;
  digits?: number;
  /** Also show this column as a ratio to the baseline row with the same group. */
  ratio?: boolean;
}

export interface Row {
  target: string;
  label: string;
  baseline: boolean;
  /** Rows with the same group are compared with the baseline row of that group (e.g. "10 viewers"). */
  group?: string;
  values: Record<string, number | null>;
  note?: string;
}

export interface Check {
  figure: string;
  target: string;
  goal: string;
  measured: string;
  /** null: could not be decided (missing baseline or data). */
  pass: boolean | null;
}

export interface FigureResult {
  id: string;
  title: string;
  method: string;
  columns: Column[];
  rows: Row[];
  checks: Check[];
  notes: string[];
  /** Extra markdown (profile summaries, …). */
  extra: string[];
  /** Set when the figure could not run at all. */
  error?: string;
}

export interface RunInfo {
  date: string;
  mode: string;
  machine: MachineInfo;
  /** The machine's own costs, measured before the figures (bench/lib/calibration.ts). */
  calibration: string;
  versions: Record<string, string>;
  /** The relay build measured. */
  relay: string;
  loadBefore: string;
  loadAfter: string;
  durationS: number;
  command: string;
}

const FIGURE_ORDER = ['echo', 'join', 'setup', 'throughput', 'memory', 'fanout', 'scale'];

function ratioText(row: Row, col: Column, rows: Row[]): string {
  if (row.baseline) return '1.00×';
  const base = rows.find((r) => r.baseline && r.group === row.group);
  const a = row.values[col.key];
  const b = base?.values[col.key];
  if (a === null || a === undefined || b === null || b === undefined || b === 0) return 'n/a';
  return fmtRatio(a / b);
}

export function figureTable(result: FigureResult): string[] {
  const grouped = result.rows.some((r) => r.group !== undefined);
  const header = ['target', ...(grouped ? [''] : []), ...result.columns.map((c) => c.label)];
  const ratioCols = result.columns.filter((c) => c.ratio);
  header.push(...ratioCols.map((c) => `${c.label.replace(/ \(.*\)$/, '')} × baseline`));
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const row of result.rows) {
    const cells = [
      row.baseline ? `*${row.label}*` : row.label,
      ...(grouped ? [row.group ?? ''] : []),
      ...result.columns.map((c) => fmt(row.values[c.key], c.digits ?? 2)),
      ...ratioCols.map((c) => ratioText(row, c, result.rows)),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines;
}

function checkMark(pass: boolean | null): string {
  return pass === null ? '— (not measured)' : pass ? '**met**' : '**missed**';
}

function figureBlock(result: FigureResult, info: RunInfo): string {
  const lines = [
    `<!-- bench:figure ${result.id} -->`,
    `### ${result.title}`,
    '',
    `_Measured ${info.date}, ${info.mode} mode, relay ${info.relay}._ ${result.method}`,
    '',
  ];
  if (result.error) {
    lines.push(`**Could not run:** ${result.error}`, '');
  }
  if (result.rows.length > 0) lines.push(...figureTable(result), '');
  for (const row of result.rows) if (row.note) lines.push(`- ${row.label}${row.group ? ` (${row.group})` : ''}: ${row.note}`);
  if (result.rows.some((r) => r.note)) lines.push('');
  for (const check of result.checks) lines.push(`- Target (${check.target}): ${check.goal} → measured ${check.measured}: ${checkMark(check.pass)}`);
  if (result.checks.length > 0) lines.push('');
  for (const note of result.notes) lines.push(`- ${note}`);
  if (result.notes.length > 0) lines.push('');
  if (result.extra.length > 0) lines.push(...result.extra, '');
  lines.push(`<!-- bench:checks ${JSON.stringify(result.checks)} -->`, `<!-- /bench:figure ${result.id} -->`);
  return lines.join('\n');
}

function runBlock(info: RunInfo): string {
  const m = info.machine;
  const versions = Object.entries(info.versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return [
    '<!-- bench:run -->',
    '## Last run',
    '',
    '| | |',
    '|---|---|',
    `| date | ${info.date} |`,
    `| command | \`${info.command}\` (${info.mode} mode, ${Math.round(info.durationS)} s) |`,
    `| machine | ${m.nproc} cores, ${m.cpuModel}, ${m.memoryGiB} GiB RAM, Linux ${m.kernel} |`,
    `| machine calibration | ${info.calibration} |`,
    `| relay measured | ${info.relay} |`,
    `| software | Node.js ${m.node}, ${versions} |`,
    `| load average (1/5/15 min) | before ${info.loadBefore}; after ${info.loadAfter} |`,
    '',
    '<!-- /bench:run -->',
  ].join('\n');
}

function summaryBlock(checks: Check[]): string {
  const lines = ['<!-- bench:summary -->', '## Targets', '', '| figure | target | goal | measured | result |', '|---|---|---|---|---|'];
  for (const c of checks) lines.push(`| ${c.figure} | ${c.target} | ${c.goal} | ${c.measured} | ${checkMark(c.pass)} |`);
  if (checks.length === 0) lines.push('| — | — | — | — | — |');
  lines.push('', '<!-- /bench:summary -->');
  return lines.join('\n');
}

const PREAMBLE = `# Benchmarks

Measured by \`npm run bench\`; the method is in [bench/README.md](../bench/README.md). Every figure is
measured in the same run for our relay and for the baseline (OpenSSH \`sshd\` + a shared \`tmux\`
session on the same machine), and reported as median/p95 (p99 where it matters) and as a ratio to
the baseline. The machines are noisy; compare ratios, not absolute numbers, across runs. The
blocks between \`bench:\` markers are rewritten by each run; the analysis at the end is kept.
`;

const ANALYSIS = `## Analysis

(Hand-written; kept across runs.)
`;

function replaceBlock(doc: string, startMarker: string, endMarker: string, block: string, insertBefore: string | null): string {
  const start = doc.indexOf(startMarker);
  const end = doc.indexOf(endMarker);
  if (start >= 0 && end > start) return doc.slice(0, start) + block + doc.slice(end + endMarker.length);
  if (insertBefore !== null) {
    const at = doc.indexOf(insertBefore);
    if (at >= 0) return `${doc.slice(0, at)}${block}\n\n${doc.slice(at)}`;
  }
  return `${doc.trimEnd()}\n\n${block}\n`;
}

/** Rewrites the generated blocks of `path` with this run's results; keeps everything else. */
export async function writeReport(path: string, info: RunInfo, results: FigureResult[]): Promise<void> {
  let doc = existsSync(path) ? await readFile(path, 'utf8') : `${PREAMBLE}\n${ANALYSIS}`;
  if (!doc.includes('<!-- bench:run -->')) {
    const at = doc.indexOf('## Analysis');
    const head = '<!-- bench:run -->\n<!-- /bench:run -->\n\n<!-- bench:summary -->\n<!-- /bench:summary -->\n\n<!-- bench:figures -->\n<!-- /bench:figures -->\n\n';
    doc = at >= 0 ? doc.slice(0, at) + head + doc.slice(at) : `${doc.trimEnd()}\n\n${head}`;
  }
  doc = replaceBlock(doc, '<!-- bench:run -->', '<!-- /bench:run -->', runBlock(info), null);
  for (const id of FIGURE_ORDER) {
    const result = results.find((r) => r.id === id);
    if (!result) continue;
    const start = `<!-- bench:figure ${id} -->`;
    const end = `<!-- /bench:figure ${id} -->`;
    if (doc.includes(start)) {
      doc = replaceBlock(doc, start, end, figureBlock(result, info), null);
    } else {
      // Insert before the next figure that exists, else at the end of the figures section.
      const later = FIGURE_ORDER.slice(FIGURE_ORDER.indexOf(id) + 1).find((f) => doc.includes(`<!-- bench:figure ${f} -->`));
      doc = replaceBlock(doc, start, end, figureBlock(result, info), later ? `<!-- bench:figure ${later} -->` : '<!-- /bench:figures -->');
    }
  }
  const checks: Check[] = [];
  for (const id of FIGURE_ORDER) {
    const block = new RegExp(`<!-- bench:figure ${id} -->[\\s\\S]*?<!-- bench:checks (.*?) -->`).exec(doc);
    if (!block) continue;
    try {
      checks.push(...(JSON.parse(block[1]!) as Check[]));
    } catch {
      // a hand-edited block: leave it out of the summary
    }
  }
  doc = replaceBlock(doc, '<!-- bench:summary -->', '<!-- /bench:summary -->', summaryBlock(checks), null);
  await writeFile(path, doc);
}
