// The README is what users read first: every option of `serve` and `host` must be in its tables,
// with the environment variable spelled as the parser reads it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVE_OPTIONS, envName } from '../../../src/server/config/options.js';
import { HOST_OPTIONS } from '../../../src/cli/host-config.js';

const readme = readFileSync(resolve(import.meta.dirname, '../../../README.md'), 'utf8');

describe('README option tables', () => {
  for (const [command, table] of [
    ['serve', SERVE_OPTIONS],
    ['host', HOST_OPTIONS],
  ] as const) {
    it(`lists every ${command} option with its environment variable`, () => {
      for (const option of table) {
        expect(readme, `--${option.flag}`).toMatch(new RegExp(`\\| \`--${option.flag}\` \\| \`${envName(option.flag)}\` \\|`));
      }
    });
  }

  it('shows the two commands a newcomer runs', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
  });
});
