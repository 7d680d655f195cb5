/**
 * Run in a fresh Node process (`node --import tsx`): loads ssh2 the way the relay does (through
 * ssh-server.ts), makes one SSH connection to itself over loopback, exchanges a few packets, and
 * prints how many random requests were served from the padding pool and how many X25519 keys went
 * through the fast import. Zero means ssh2 captured Node's own functions, i.e. it loaded before
 * before-ssh2.ts.
 */
import '../../../../src/server/transport/ssh/ssh-server.js';
import { pooledRandomRequests } from '../../../../src/server/transport/ssh/padding-random.js';
import { fastX25519Calls } from '../../../../src/server/transport/ssh/fast-x25519.js';
import { generateUsableKeyPair } from '../../../../src/server/keys/host-keys.js';
import ssh2 from 'ssh2';
import type { AddressInfo } from 'node:net';

const hostKey = generateUsableKeyPair('ed25519').private;
const server = new ssh2.Server({ hostKeys: [hostKey] }, (client) => {
  client.on('authentication', (ctx) => ctx.accept());
  client.on('ready', () => {
    client.on('session', (accept) => {
      const session = accept();
      session.on('exec', (acceptExec) => {
        const channel = acceptExec();
        channel.end('pong\n');
        channel.exit(0);
      });
    });
  });
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  const before = pooledRandomRequests();
  const fastBefore = fastX25519Calls();
  const client = new ssh2.Client();
  client.on('ready', () => {
    client.exec('ping', (error, channel) => {
      if (error) throw error;
      let output = '';
      channel.on('data', (data: Buffer) => (output += data.toString()));
      channel.on('close', () => {
        client.end();
        server.close();
        const fast = fastX25519Calls();
        process.stdout.write(JSON.stringify({ output, served: pooledRandomRequests() - before, fastImports: fast.imports - fastBefore.imports }));
      });
    });
  });
  client.connect({ host: '127.0.0.1', port, username: 'test', password: 'x' });
});
