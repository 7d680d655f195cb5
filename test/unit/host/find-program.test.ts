// The program lookup that refuses a command before a session is made for it (find-program.ts):
// it must agree with execvp(3), which later starts the window: a name with a slash is a path
// (relative to the working directory), any other name is searched in PATH in order (an empty
// entry is the working directory), and a file that exists but cannot be run is told apart from
// one that does not exist.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProgram } from '../../../src/server/host/find-program.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { onCleanup } from '../../helpers/relay-fixture.js';

describe('findProgram', () => {
  it('finds programs as execvp does and says why one cannot start', async () => {
    const dir = await makeTempDir('find-program-');
    onCleanup(() => dir.cleanup());
    const first = join(dir.path, 'first');
    const second = join(dir.path, 'second');
    await mkdir(first);
    await mkdir(second);
    await writeFile(join(first, 'tool'), '#!/bin/sh\n', { mode: 0o644 });
    await writeFile(join(second, 'tool'), '#!/bin/sh\n', { mode: 0o755 });
    await writeFile(join(second, 'plain'), 'data\n', { mode: 0o644 });
    await mkdir(join(second, 'folder'));
    const path = [first, second].join(':');

    // The first executable match wins, skipping a same-named file that cannot run.
    expect(findProgram('tool', path)).toEqual({ ok: true, path: join(second, 'tool') });
    expect(findProgram('plain', path)).toMatchObject({ ok: false, reason: 'not-executable', message: 'command not executable: "plain"' });
    expect(findProgram('folder', path)).toMatchObject({ ok: false, reason: 'not-executable' });
    expect(findProgram('absent', path)).toMatchObject({ ok: false, reason: 'not-found', message: 'command not found: "absent"' });
    expect(findProgram('', path)).toMatchObject({ ok: false, reason: 'not-found' });
    // A slash makes it a path, relative to the working directory; PATH is not searched.
    expect(findProgram('./tool', path, second)).toEqual({ ok: true, path: join(second, 'tool') });
    expect(findProgram('./tool', path, first)).toMatchObject({ ok: false, reason: 'not-executable' });
    expect(findProgram('second/absent', path, dir.path)).toMatchObject({ ok: false, reason: 'not-found' });
    // An empty PATH entry is the working directory; without PATH, the system directories.
    expect(findProgram('tool', `:${first}`, second)).toEqual({ ok: true, path: join(second, 'tool') });
    expect(findProgram('sh', undefined)).toMatchObject({ ok: true });
    await chmod(join(first, 'tool'), 0o755);
    expect(findProgram('tool', path)).toEqual({ ok: true, path: join(first, 'tool') });
  });
});
