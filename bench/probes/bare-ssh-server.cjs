/**
 * A bare SSH server for the join figure's floor: ssh2 (the SSH library the relay is built on)
 * accepting any public key, writing one line as soon as the shell is asked for, nothing else: what
 * a join costs with this OpenSSH client against a Node SSH server that does no work of its own.
 * TCP_NODELAY on accept, as the relay sets it. Prints its port on stdout and serves until killed.
 *   node bench/probes/bare-ssh-server.cjs
 * Plain CommonJS, so that it runs without the bench's TypeScript loader.
 */
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Server } = require('ssh2');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bare-ssh-'));
const keyPath = path.join(dir, 'host_ed25519');
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyPath]);
const hostKey = fs.readFileSync(keyPath);
fs.rmSync(dir, { recursive: true, force: true });

const server = new Server({ hostKeys: [hostKey] }, (client) => {
  client.on('error', () => {});
  client.on('authentication', (ctx) => (ctx.method === 'publickey' ? ctx.accept() : ctx.reject(['publickey'])));
  client.on('ready', () => {
    client.on('session', (accept) => {
      const session = accept();
      session.on('pty', (ok) => ok && ok());
      session.on('env', (ok) => ok && ok());
      session.on('shell', (ok) => {
        const channel = ok();
        channel.on('error', () => {});
        channel.write('bare ssh server\r\n$ ');
      });
    });
  });
});
server._srv.on('connection', (socket) => socket.setNoDelay(true));
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
