/**
 * Subcommand dispatch for the `tmate-relay` binary. Returns the exit code, or null when the
 * command keeps running (serve) and will exit on its own.
 *
 * Each subcommand's modules are imported when it runs: `tmate-relay host` on a CI machine does not
 * load the relay (fastify, prom-client, the renderer …): the bench's engine session setup went from
 * 0.62–0.69 s to 0.50–0.51 s.
 */
import { readFile } from 'node:fs/promises';
import { KeyAllowList } from '../server/abuse/authorized-keys.js';
import { loadServeConfig, type RelayConfig } from '../server/config/load-config.js';
import { loadOrCreateHostKeys, tmateConfSnippet, type HostKeys } from '../server/keys/host-keys.js';
import type { ApiToken } from '../server/transport/http/api-token.js';
import { MAIN_HELP, VERSION_HELP, hostHelp, serveHelp } from './help-text.js';

const HELP_TOPICS = new Set(['serve', 'keys', 'host', 'help', 'version']);

/** The version in this checkout's package.json (dist/cli/ and src/cli/ are both two levels down). */
async function packageVersion(): Promise<string> {
  const text = await readFile(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

function helpFor(topic: string | undefined): string {
  if (topic === 'serve' || topic === 'keys') return serveHelp(topic);
  if (topic === 'host') return hostHelp();
  if (topic === 'version') return VERSION_HELP;
  return MAIN_HELP;
}

export async function runCli(argv: string[], env: NodeJS.ProcessEnv): Promise<number | null> {
  const [command, ...rest] = argv;
  if (command === 'help' && rest[0] !== undefined && !HELP_TOPICS.has(rest[0])) {
    process.stderr.write(`tmate-relay: no help for "${rest[0]}": not a command\n\n${MAIN_HELP}`);
    return 2;
  }
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    const topic = rest[0];
    process.stdout.write(helpFor(topic));
    return 0;
  }
  if (command === 'version' && (rest.includes('--help') || rest.includes('-h'))) {
    process.stdout.write(VERSION_HELP);
    return 0;
  }
  if (command === 'version' || command === '--version' || command === '-V') {
    process.stdout.write(`tmate-relay ${await packageVersion()}\n`);
    return 0;
  }
  if (command === 'host') {
    const flags = rest.indexOf('--') >= 0 ? rest.slice(0, rest.indexOf('--')) : rest;
    if (flags.includes('--help') || flags.includes('-h')) {
      process.stdout.write(hostHelp());
      return 0;
    }
    const { runHost } = await import('./host-command.js');
    return runHost(rest, env);
  }
  if (command !== 'serve' && command !== 'keys') {
    process.stderr.write(`tmate-relay: unknown command "${command}"\n\n${MAIN_HELP}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(serveHelp(command));
    return 0;
  }
  const loaded = loadServeConfig(rest, env);
  const keysFile = command !== 'serve' ? null : loaded.ok ? loaded.config.authorizedKeys : loaded.authorizedKeys;
  const keysProblem = keysFile === null ? null : await KeyAllowList.problemWith(keysFile);
  if (!loaded.ok || keysProblem !== null) {
    const problems = [...(loaded.ok ? [] : loaded.problems), ...(keysProblem === null ? [] : [keysProblem])];
    process.stderr.write(`tmate-relay ${command}: invalid options:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return 2;
  }
  if (command === 'keys') {
    const keys = await loadOrCreateHostKeys(loaded.config.keysDir);
    process.stdout.write(describeKeys(keys, loaded.config, loaded.config.advertisedPort ?? loaded.config.sshPort));
    return 0;
  }
  await serve(loaded.config);
  return null;
}

function describeKeys(keys: HostKeys, config: RelayConfig, port: number): string {
  return [
    'Host key fingerprints:',
    `  ed25519  ${keys.ed25519.fingerprint}`,
    `  rsa      ${keys.rsa.fingerprint}`,
    '',
    'Point tmate at this relay with these lines in ~/.tmate.conf:',
    '',
    tmateConfSnippet(keys, config.hostname, port),
    '',
  ].join('\n');
}

async function serve(config: RelayConfig): Promise<void> {
  const { startRelay } = await import('../app.js');
  const running = await startRelay(config);
  // 0.0.0.0 / :: in connection strings and the tmate snippet reaches nobody.
  if ((config.listen === '0.0.0.0' || config.listen === '::') && config.hostname === config.listen) {
    process.stderr.write(`tmate-relay: warning: listening on every address, but the printed ssh lines and tmate snippet say ${config.listen}; set --hostname to the name people reach this machine by\n`);
  }
  process.stdout.write(
    `tmate-relay listening for SSH on ${config.listen}:${running.sshPort}\n\n` +
      describeKeys(running.keys, config, running.relay.advertisedPort) +
      `\nThen run tmate; viewers join with the printed ssh command.\n`,
  );
  process.stdout.write(describeApi(running.apiToken, config.listen, running.httpPort));
  if (config.localSession) {
    const local = await running.startLocalSession({ command: null, ttlMs: null });
    process.stdout.write(
      `\nA shared shell on this machine is ready (--local-session); join it with:\n` +
        `  ${running.relay.sshCommand(local.session.tokens.rw)}\n` +
        `  read-only: ${running.relay.sshCommand(local.session.tokens.ro)}\n`,
    );
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`tmate-relay: ${signal}, closing every session\n`);
    const deadline = setTimeout(() => process.exit(1), config.shutdownTimeoutMs);
    deadline.unref();
    void running.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** Where the HTTP API listens and how to authenticate; the token itself only when just generated. */
function describeApi(token: ApiToken, listen: string, port: number): string {
  const where = `\nHTTP API, /metrics and /healthz on http://${listen.includes(':') ? `[${listen}]` : listen}:${port}\n`;
  if (token.generated) return `${where}API token (generated, stored in ${token.path}): ${token.value}\n`;
  return `${where}API token: ${token.source === 'option' ? 'from --api-token' : `in ${token.path}`}\n`;
}
