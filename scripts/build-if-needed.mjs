// Builds dist/ when it is missing or older than any file under src/, so `npm start` works on a fresh clone;
// likewise the web viewer bundle (dist/web/, scripts/build-web.mjs) when src/web or src/core changed.
import { statSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execSync } from 'node:child_process';

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const entry = 'dist/main.js';
if (!existsSync(entry) || statSync(entry).mtimeMs < newestMtime('src')) {
  execSync('npx tsc -p .', { stdio: 'inherit' });
}
const webEntry = 'dist/web/viewer.js';
if (!existsSync(webEntry) || statSync(webEntry).mtimeMs < Math.max(newestMtime('src/web'), newestMtime('src/core'))) {
  execSync('node scripts/build-web.mjs', { stdio: 'inherit' });
}
