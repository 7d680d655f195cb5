import { describe, expect, it } from 'vitest';
import { loadServeConfig } from '../../../src/server/config/load-config.js';

describe('serve configuration', () => {
  it('has working defaults: loopback, port 2222, keys/, keys required', () => {
    const result = loadServeConfig([], {});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({
      listen: '127.0.0.1',
      sshPort: 2222,
      hostname: '127.0.0.1',
      advertisedPort: null,
      keysDir: 'keys',
      allowKeyless: false,
      scrollback: 2000,
      reconnectGraceMs: 60_000,
    });
  });

  it('reads TMATE_RELAY_* variables, and flags win over them', () => {
    const result = loadServeConfig(['--ssh-port', '2300'], {
      TMATE_RELAY_SSH_PORT: '2400',
      TMATE_RELAY_HOSTNAME: 'relay.example.com',
      TMATE_RELAY_ALLOW_KEYLESS: 'true',
    });
    expect(result.ok && result.config).toMatchObject({ sshPort: 2300, hostname: 'relay.example.com', allowKeyless: true });
  });

  it('lists every problem at once', () => {
    const result = loadServeConfig(['--ssh-port', '70000', '--listen', 'not-an-ip', '--reconnect-grace', 'soon'], {
      TMATE_RELAY_LOG_LEVEL: 'loud',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(4);
    expect(result.problems.join('\n')).toMatch(/--ssh-port.*70000/);
    expect(result.problems.join('\n')).toMatch(/--listen.*not-an-ip/);
    expect(result.problems.join('\n')).toMatch(/--reconnect-grace.*soon/);
    expect(result.problems.join('\n')).toMatch(/--log-level.*loud/);
  });

  it('rejects unknown flags with a clear message', () => {
    const result = loadServeConfig(['--sssh-port', '1'], {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatch(/sssh-port/);
  });
});
