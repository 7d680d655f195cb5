// Builds the web viewer into dist/web/: src/web/viewer-page.ts bundled with @xterm/xterm (and its
// CSS) by esbuild into viewer.js + viewer.css, plus the static page template viewer.html. The relay
// serves these files itself (src/server/transport/http/web-page-routes.ts); nothing comes from a CDN.
// Paths are relative to the checkout, so this runs from any working directory. Each file is written
// to a temporary name and renamed, so a running relay never serves a half-written file.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/web`;

const result = await build({
  absWorkingDir: root,
  entryPoints: { viewer: 'src/web/viewer-page.ts' },
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  minify: true,
  legalComments: 'eof',
  outdir,
  entryNames: '[name]',
  write: false,
  logLevel: 'warning',
});

const files = result.outputFiles.map((f) => [basename(f.path), f.contents]);
files.push(['viewer.html', await readFile(`${root}src/web/viewer.html`)]);
await mkdir(outdir, { recursive: true });
for (const [name, contents] of files) {
  const temp = `${outdir}/.${name}.${process.pid}.tmp`;
  await writeFile(temp, contents);
  await rename(temp, `${outdir}/${name}`);
}
