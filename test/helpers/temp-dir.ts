// Private temporary directories for tests (keys, tmate configs and sockets, relay state).
// Directories are created under os.tmpdir() with mkdtemp; cleanup() is idempotent, and any directory not
// cleaned up by the test is removed synchronously when the worker process exits (best effort).
import { mkdtemp, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  /** Absolute path of the directory. */
  path: string;
  /** Removes the directory recursively. Idempotent. */
  cleanup(): Promise<void>;
}

const live = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const dir of live) {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // best effort at exit
      }
    }
  });
}

/** Creates `<os.tmpdir()>/<prefix>XXXXXX`. Keep the prefix short if you put unix sockets inside. */
export async function makeTempDir(prefix: string, parent: string = tmpdir()): Promise<TempDir> {
  installExitHook();
  const path = await mkdtemp(join(parent, prefix));
  live.add(path);
  let done: Promise<void> | undefined;
  return {
    path,
    cleanup(): Promise<void> {
      done ??= rm(path, { recursive: true, force: true, maxRetries: 3 }).finally(() => live.delete(path));
      return done;
    },
  };
}
