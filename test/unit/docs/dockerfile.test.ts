// The README's `docker build` must work: the Dockerfile's build stage runs `npm run build`, so
// every file that script names (tsconfig files for `tsc -p`, scripts for `node`) must be among
// what the stage copies. (Docker itself does not run on the test machines; this reads both files.)
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const dockerfile = readFileSync(resolve(root, 'Dockerfile'), 'utf8');
const buildScript = (JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['build'] ?? '';

/** Sources of the COPY lines of the first stage (up to the second FROM), without --from copies. */
function buildStageCopies(text: string): string[] {
  const stage = text.split(/^FROM /m)[1] ?? '';
  return stage
    .split('\n')
    .filter((line) => line.startsWith('COPY ') && !line.includes('--from'))
    .flatMap((line) => line.slice('COPY '.length).trim().split(/\s+/).slice(0, -1))
    .map((source) => source.replace(/^\.\//, '').replace(/\/$/, ''));
}

/** Files the build script reads by name: `tsc -p FILE_OR_DIR` and `node FILE`. */
function filesTheBuildNames(script: string): string[] {
  const named = [...script.matchAll(/tsc -p (\S+)|node (\S+)/g)].map((m) => (m[1] ?? m[2])!);
  return named.map((path) => (path === '.' ? 'tsconfig.json' : path)).map((path) => path.replace(/^\.\//, ''));
}

function isCopied(path: string, copies: readonly string[]): boolean {
  return copies.some((source) => path === source || path.startsWith(`${source}/`));
}

describe('Dockerfile', () => {
  it('copies every file `npm run build` names into the build stage', () => {
    const copies = buildStageCopies(dockerfile);
    const named = filesTheBuildNames(buildScript);
    expect(named).toContain('tsconfig.core.json');
    expect(named.filter((path) => !isCopied(path, copies))).toEqual([]);
  });
});
