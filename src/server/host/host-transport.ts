/**
 * How a host engine reaches the relay: a transport opens a byte stream to the relay's tmate
 * endpoint (SSH subsystem `tmate`, a WebSocket, or an in-memory pipe for relay-local sessions).
 *
 * Invariant: `onClose` fires exactly once per stream, after which the stream writes nothing.
 */

export interface HostStream {
  write(data: Uint8Array): void;
  onData(listener: (data: Uint8Array) => void): void;
  onClose(listener: (reason: string) => void): void;
  close(): void;
}

export type ConnectFailure = 'unreachable' | 'fingerprint' | 'refused';

export class HostConnectError extends Error {
  constructor(
    readonly failure: ConnectFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface HostTransport {
  /** A label for messages, e.g. `127.0.0.1:2222` or `wss://relay.example.com`. */
  readonly describe: string;
  /** Opens a stream; rejects with HostConnectError. */
  connect(): Promise<HostStream>;
}
