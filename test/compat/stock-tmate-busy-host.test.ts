// The stock tmate client (libssh) reads what the relay sent while it was itself writing into a
// buffer its event loop never looks at again until another packet comes: a viewer's command could
// wait for the 30 s keepalive, or forever while a pane kept printing (a CI run once saw `C-b z`
// undone for 10 s). The relay wakes such hosts (host-wake.ts). Here a pane prints every 2 ms, so
// the host is writing most of the time; without the wake-ups one of these rounds stalls within a
// few dozen on this machine; with them every command takes effect at once.
import { describe, it } from 'vitest';
import { startTestRelay } from '../helpers/relay-fixture.js';

const ROUNDS = 40;

describe('the stock tmate client while a pane keeps printing', () => {
  it('carries out every command a viewer sends (split, zoom, unzoom) without waiting for a keepalive', async () => {
    const f = await startTestRelay();
    const { rw } = await f.readyHost();
    const viewer = await f.viewer(rw, { cols: 100, rows: 30 });
    const status = (): string => viewer.line(viewer.rows - 1);
    await viewer.waitForScreen((s) => /^\$ ?$/m.test(s), 'the shell prompt');
    viewer.type(`perl -e '$|=1; for ($i = 0; ; $i++) { print "tick $i\\n"; select(undef, undef, undef, 0.002) }'\r`);
    await viewer.waitForText(/^tick 20$/m);
    for (let round = 0; round < ROUNDS; round++) {
      viewer.press('C-b', '%');
      await viewer.waitForScreen((s) => s.includes('│'), `round ${round}: the split`);
      viewer.press('C-b', 'z');
      await viewer.waitForScreen((s) => /0:\S+\*Z/.test(status()) && !s.includes('│'), `round ${round}: the zoomed pane alone`);
      viewer.press('C-b', 'z');
      await viewer.waitForScreen((s) => s.includes('│') && !/\*Z/.test(status()), `round ${round}: both panes again`);
      viewer.type('exit\r');
      await viewer.waitForScreen((s) => !s.includes('│'), `round ${round}: the printing pane alone`);
    }
  }, 120_000);
});
