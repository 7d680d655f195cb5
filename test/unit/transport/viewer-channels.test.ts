// ViewerChannels: the cap on open channels, the hang-up once the last one closed, and a token
// refusal that stops further channels and is reported as the first only once.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { MAX_VIEWER_CHANNELS, ViewerChannels } from '../../../src/server/transport/ssh/viewer-channels.js';

function setup(): { channels: ViewerChannels; hangUps: () => number; open: () => EventEmitter } {
  let hangUps = 0;
  const channels = new ViewerChannels(() => hangUps++);
  const open = (): EventEmitter => {
    const session = new EventEmitter();
    channels.opened(session);
    return session;
  };
  return { channels, hangUps: () => hangUps, open };
}

describe('ViewerChannels', () => {
  it('lets up to MAX_VIEWER_CHANNELS be open at once, and more once some closed', () => {
    const { channels, open } = setup();
    const sessions = [];
    for (let i = 0; i < MAX_VIEWER_CHANNELS; i++) {
      expect(channels.mayOpen()).toBe(true);
      sessions.push(open());
    }
    expect(channels.mayOpen()).toBe(false);
    sessions[3]!.emit('close');
    expect(channels.mayOpen()).toBe(true);
  });

  it('hangs up once, when the last open channel closed, and opens none after', () => {
    const { channels, hangUps, open } = setup();
    const a = open();
    const b = open();
    a.emit('close');
    expect(hangUps()).toBe(0);
    b.emit('close');
    expect(hangUps()).toBe(1);
    b.emit('close'); // a second close of the same session counts nothing (once)
    expect(hangUps()).toBe(1);
    expect(channels.mayOpen()).toBe(false);
  });

  it('reports a token refusal as the first only once and opens no channel after it', () => {
    const { channels, open } = setup();
    open();
    open();
    expect(channels.refuseToken()).toBe(true);
    expect(channels.refuseToken()).toBe(false);
    expect(channels.mayOpen()).toBe(false);
  });
});
