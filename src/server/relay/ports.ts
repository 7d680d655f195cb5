/**
 * The ports between the relay and its transports: what a host connection and a viewer terminal
 * must offer, whatever carries them (SSH today; WebSocket and in-memory pipes later).
 *
 * Invariant: transports own sockets; the relay only calls these methods.
 */
import type { InMessage } from '../../core/protocol/tmate/messages.js';
import type { ColourDepth } from '../../core/render/colour-depth.js';

/** The relay's side of a connected host, after the protocol handshake. */
export interface HostPort {
  readonly kind: string;
  readonly remoteAddress: string;
  send(message: InMessage): void;
  /** Ends the host connection (after flushing what was sent). */
  close(): void;
  /** True while the host is not reading what was sent (its backlog is over the high-water mark). */
  readonly congested?: boolean;
  /** `callback` runs each time a congested host has caught up. */
  onDrain?(callback: () => void): void;
}

/** A viewer's terminal as a byte sink. */
export interface ViewerTerminal {
  readonly kind: string;
  readonly remoteAddress: string;
  /** The colours the terminal shows (from TERM and COLORTERM for SSH); 24-bit when absent (browsers). */
  readonly colourDepth?: ColourDepth;
  /** Returns false when the peer is not keeping up; `onDrain` fires when it is again. */
  write(data: string): boolean;
  onDrain(callback: () => void): void;
  /** Closes the viewer; `exitStatus` is reported to SSH clients. */
  close(exitStatus: number): void;
  /** Stop / restart reading the viewer's input (backpressure for big pastes); optional for fakes. */
  pauseInput?(): void;
  resumeInput?(): void;
}

/** A host-side byte stream (an SSH subsystem channel, a WebSocket, a memory pipe). */
export interface ByteChannel {
  readonly kind: string;
  readonly remoteAddress: string;
  /** Returns false when the peer is not keeping up (nothing is lost; `onDrain` tells when it has caught up). */
  write(data: Uint8Array): boolean | void;
  onDrain?(callback: () => void): void;
  /** `protocolError`: the host broke the protocol; transports that can say so (a WebSocket close code) do. */
  close(protocolError?: string): void;
}
