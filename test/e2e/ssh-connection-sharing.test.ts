// Viewers whose OpenSSH shares connections (`ControlMaster auto` with `ControlPersist`, a common
// ~/.ssh/config setting): every `ssh TOKEN@relay` after the first is a session channel on the
// master's connection. The relay must take each as a viewer of its own (a second view from
// another terminal), and a join after all views were left must work although the master lingers.
//
// Invariants checked with the real OpenSSH client and a stock tmate host: two views over one
// connection both attach (without ssh's "session request failed" and fallback to a connection of
// its own), see each other's typing and are counted as two viewers; leaving one leaves the other
// working; leaving the last makes the relay hang up, so the master exits (its control socket goes
// away); joining again then works over a new connection.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onCleanup, startTestRelay } from '../helpers/relay-fixture.js';
import { runProcess, waitFor } from '../helpers/wait.js';

describe('OpenSSH connection sharing (ControlMaster)', () => {
  it('takes each shared ssh as its own viewer, and a join after leaving gets a fresh connection', async () => {
    const f = await startTestRelay();
    const { rw } = await f.readyHost();
    const controlPath = join(f.dir.path, 'cm.sock');
    const sharing = { extraArgs: ['-o', 'ControlMaster=auto', '-o', `ControlPath=${controlPath}`, '-o', 'ControlPersist=60'] };
    onCleanup(async () => void (await runProcess('ssh', ['-o', `ControlPath=${controlPath}`, '-O', 'exit', 'relay'], { timeoutMs: 5000 }).catch(() => undefined)));
    const viewers = (): number => f.running.relay.registry.lookup(rw)?.session.viewerCount ?? 0;

    const first = await f.viewer(rw, sharing);
    await first.waitForText(/^\$/m);
    await waitFor(() => existsSync(controlPath), { describe: () => 'the master connection\'s control socket' });
    const second = await f.viewer(rw, sharing);
    await second.waitForText(/^\$/m);
    await waitFor(() => viewers() === 2, { describe: () => `two viewers, got ${viewers()}` });
    // Over the master's connection: refused there, ssh says so and falls back to a connection of its own.
    expect(second.rawOutput()).not.toContain('session request failed');

    second.type('echo shared$((6*7))\r');
    await first.waitForText(/shared42/);

    await second.close();
    await waitFor(() => viewers() === 1, { describe: () => `one viewer left, got ${viewers()}` });
    first.type('echo still$((6*7))\r');
    await first.waitForText(/still42/);

    await first.close();
    await waitFor(() => viewers() === 0, { describe: () => `no viewer, got ${viewers()}` });
    await waitFor(() => !existsSync(controlPath), { describe: () => 'the master to exit once the relay hung up' });

    const again = await f.viewer(rw, sharing);
    await again.waitForText(/still42/);
    await waitFor(() => viewers() === 1, { describe: () => `the new viewer, got ${viewers()}` });
  });
});
