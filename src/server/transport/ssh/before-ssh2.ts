/**
 * What must be evaluated before ssh2's modules load, because ssh2 takes these `crypto` functions
 * once, at load time: the pooled packet padding (padding-random.ts) and the X25519 key exchange
 * without OpenSSL's DER codec (fast-x25519.ts). Every module of ours that imports ssh2 imports this
 * one first (ESM evaluates imports in order); a test checks that ssh2 loaded that way uses both.
 */
import './padding-random.js';
import './fast-x25519.js';
