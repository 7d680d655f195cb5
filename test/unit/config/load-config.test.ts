import { describe, expect, it } from 'vitest';
import { loadServeConfig } from '../../../src/server/config/load-config.js';
import { loadHostConfig } from '../../../src/cli/host-config.js';

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

  it('lists an unknown flag, a flag without a value and a stray argument with the other problems', () => {
    const result = loadServeConfig(['--bogus', '--ssh-port', 'abc', '--scrollback', '-1', '--http-port', '--listen', '::1', 'extra'], {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      '--http-port: needs a value (--http-port VALUE or --http-port=VALUE)',
      "unknown option '--bogus'",
      "unexpected argument 'extra'",
      '--ssh-port (TMATE_RELAY_SSH_PORT): expected a port number (0 picks a free one) from 0 to 65535, got "abc"',
      '--scrollback (TMATE_RELAY_SCROLLBACK): expected a whole number from 0 to 100000, got "-1"',
    ]);
  });

  it('turns off with --no-FLAG or --FLAG=false what the environment turned on; an empty variable is unset', () => {
    for (const flag of ['--no-allow-keyless', '--allow-keyless=false']) {
      const result = loadServeConfig([flag], { TMATE_RELAY_ALLOW_KEYLESS: '1', TMATE_RELAY_SSH_PORT: '' });
      expect(result.ok && result.config).toMatchObject({ allowKeyless: false, sshPort: 2222 });
    }
    expect(loadServeConfig(['--no-scrollback'], {}).ok).toBe(false);
  });

  it('says what range a value must be in, and which values clash', () => {
    const result = loadServeConfig(['--session-ttl', '0', '--advertised-port', '0', '--api-keys', 'ci=aaaaaaaaaaaaaaaa,dev=aaaaaaaaaaaaaaaa'], {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toContain('--session-ttl (TMATE_RELAY_SESSION_TTL): expected a duration from 1s to 30d, got "0"');
    expect(result.problems).toContain('--advertised-port (TMATE_RELAY_ADVERTISED_PORT): expected a port number from 1 to 65535, got 0');
    expect(result.problems).toContain('--api-keys (TMATE_RELAY_API_KEYS): prefixes "ci" and "dev" have the same key');
    const ttl = loadServeConfig(['--max-session-ttl', '10m'], {});
    expect(!ttl.ok && ttl.problems).toEqual(['--session-ttl (TMATE_RELAY_SESSION_TTL): 30m must not exceed --max-session-ttl (10m)']);
  });

  it('reads --trust-proxy as a list of addresses and ranges, refusing what is neither', () => {
    const ok = loadServeConfig(['--trust-proxy', '10.0.0.0/8, loopback,2001:db8::1'], {});
    expect(ok.ok && ok.config.trustProxy).toEqual(['10.0.0.0/8', 'loopback', '2001:db8::1']);
    const bad = loadServeConfig(['--trust-proxy', '10.0.0.0/99,,proxy.example.com'], {});
    expect(!bad.ok && bad.problems[0]).toMatch(/^--trust-proxy \(TMATE_RELAY_TRUST_PROXY\): /);
    // Every bad entry, not only the first.
    expect(!bad.ok && bad.problems.filter((p) => p.startsWith('--trust-proxy'))).toHaveLength(3);
  });

  it('lists every bad --api-keys pair at once, without echoing keys', () => {
    const result = loadServeConfig(['--api-keys', 'ci=short,bad,=abcdefghijklmnopq,ok=0123456789abcdefgh'], {});
    expect(!result.ok && result.problems).toEqual([
      '--api-keys (TMATE_RELAY_API_KEYS): the key for prefix "ci" must be at least 16 printable characters without spaces or commas',
      '--api-keys (TMATE_RELAY_API_KEYS): expected PREFIX=KEY pairs separated by commas (one item has no "=")',
      '--api-keys (TMATE_RELAY_API_KEYS): "" is not a valid prefix (letters, digits and single dashes, at most 50, not starting with ro-)',
    ]);
  });

  it('takes a host name or an IP address as --hostname, nothing that would break the printed lines', () => {
    for (const good of ['relay.example.com', 'relay', 'build_host.internal', '192.0.2.7', '2001:db8::1', 'relay.example.com.']) {
      const result = loadServeConfig(['--hostname', good], {});
      expect(result.ok && result.config.hostname, good).toBe(good);
    }
    for (const bad of ['relay example.com', 'relay;rm', '-oProxyCommand=x', 'a..b', 'x'.repeat(254)]) {
      const result = loadServeConfig(['--hostname', bad], {});
      expect(!result.ok && result.problems[0], bad).toMatch(/^--hostname \(TMATE_RELAY_HOSTNAME\): expected a host name or an IP address/);
    }
  });
});

describe('host configuration', () => {
  it('reports an unknown flag alone, not also the --server it was given', () => {
    const result = loadHostConfig(['--server', 'relay.example.com:2222', '--bogus'], {});
    expect(!result.ok && result.problems).toEqual(["unknown option '--bogus'"]);
    const empty = loadHostConfig(['--server', ''], {});
    expect(!empty.ok && empty.problems).toEqual(['--server (TMATE_RELAY_SERVER): must not be empty']);
  });
});
