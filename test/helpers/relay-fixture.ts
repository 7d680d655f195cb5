// A relay under test: started in this process on a random loopback port with fresh keys in a temp
// dir and its log kept for the test's failure report (failure-log.ts); plus the client keys and tmate hosts a test needs, all cleaned up together.
import { afterEach } from 'vitest';
import { startRelay, type RunningRelay, type StartOptions } from '../../src/app.js';
import { configWith, type RelayConfig } from '../../src/server/config/load-config.js';
import { generateClientKey, type ClientKey } from './client-keys.js';
import { makeTempDir, type TempDir } from './temp-dir.js';
import { SshViewer, type SshViewerOptions } from './ssh-viewer.js';
import { TmateHost, type TmateHostOptions } from './tmate-host.js';
import { failureLog } from './failure-log.js';

export interface RelayFixture {
  running: RunningRelay;
  port: number;
  dir: TempDir;
  key: ClientKey;
  otherKey: ClientKey;
  host(options?: Partial<TmateHostOptions>): Promise<TmateHost>;
  /** A tmate host that is ready, with its tips dismissed and its prompt drawn. */
  readyHost(options?: Partial<TmateHostOptions>): Promise<{ host: TmateHost; rw: string; ro: string }>;
  viewer(user: string, options?: Partial<SshViewerOptions>): Promise<SshViewer>;
}

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  while (cleanups.length > 0) {
    const cleanup = cleanups.pop();
    await cleanup?.().catch(() => undefined);
  }
});

export function onCleanup(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

export async function startTestRelay(overrides: Partial<RelayConfig> = {}, startOptions: StartOptions = {}): Promise<RelayFixture> {
  const dir = await makeTempDir('trl-');
  onCleanup(() => dir.cleanup());
  const config = configWith({ sshPort: 0, httpPort: 0, localSession: false, keysDir: `${dir.path}/keys`, logLevel: 'silent', ...overrides });
  const running = await startRelay(config, { log: failureLog('test relay'), ...startOptions });
  onCleanup(() => running.close());
  const key = await generateClientKey(dir.path, 'viewer_a');
  const otherKey = await generateClientKey(dir.path, 'viewer_b');
  const fixture: RelayFixture = {
    running,
    port: running.sshPort,
    dir,
    key,
    otherKey,
    async host(options = {}) {
      const host = await TmateHost.start({ port: running.sshPort, ed25519Fingerprint: running.keys.ed25519.fingerprint, cols: 100, rows: 30, ...options });
      onCleanup(() => host.close());
      return host;
    },
    async readyHost(options = {}) {
      const host = await fixture.host(options);
      await host.waitReady();
      await host.dismissTips();
      const tokens = await host.tokens();
      return { host, ...tokens };
    },
    async viewer(user, options = {}) {
      const viewer = await SshViewer.connect({ port: running.sshPort, user, identityFile: key.privatePath, ...options });
      onCleanup(() => viewer.close());
      return viewer;
    },
  };
  return fixture;
}
