/**
 * Run in a fresh Node process (`node --import tsx x25519-exchanges.ts N`): N X25519 key exchanges
 * the way ssh2 makes them with the relay's crypto installed (generate a pair, export the public
 * key as SPKI DER, import the peer's SPKI DER key, derive the secret), with garbage allocated
 * alongside so that collections run in between; prints how many ran and how many imports took
 * the fast path. A deadlock hangs it (the test's deadline then fails).
 */
import crypto from 'node:crypto';
import { fastX25519Calls } from '../../../../src/server/transport/ssh/fast-x25519.js';

const count = Number(process.argv[2] ?? 1000);
const peer = crypto.generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'der' });
let garbage: number[][] = [];
for (let i = 0; i < count; i++) {
  const ours = crypto.generateKeyPairSync('x25519');
  ours.publicKey.export({ type: 'spki', format: 'der' });
  const theirs = crypto.createPublicKey({ key: peer, type: 'spki', format: 'der' });
  crypto.diffieHellman({ privateKey: ours.privateKey, publicKey: theirs });
  garbage.push(new Array<number>(50).fill(i));
  if (garbage.length > 1000) garbage = [];
}
process.stdout.write(JSON.stringify({ exchanges: count, fastImports: fastX25519Calls().imports }));
