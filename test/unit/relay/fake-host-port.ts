/**
 * A host for relay unit tests: records every message the relay sends it, and whether it was
 * closed. Helpers read back notifications, commands and the latest value of an environment name.
 */
import type { InMessage } from '../../../src/core/protocol/tmate/messages.js';
import type { HostPort } from '../../../src/server/relay/ports.js';

export class FakeHostPort implements HostPort {
  readonly kind = 'ssh';
  readonly sent: InMessage[] = [];
  closed = false;

  constructor(readonly remoteAddress = '192.0.2.10') {}

  send(message: InMessage): void {
    this.sent.push(message);
  }

  close(): void {
    this.closed = true;
  }

  notices(): string[] {
    return this.sent.flatMap((m) => (m.type === 'notify' ? [m.message] : []));
  }

  commands(): string[][] {
    return this.sent.flatMap((m) => (m.type === 'exec-cmd' ? [m.argv] : []));
  }

  /** The last value sent for `name` with SET_ENV, if any. */
  env(name: string): string | undefined {
    return this.sent.flatMap((m) => (m.type === 'set-env' && m.name === name ? [m.value] : [])).at(-1);
  }
}
