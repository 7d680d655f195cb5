/**
 * The engine's paste buffers: text copied in copy mode, newest first, as tmux keeps them for
 * `paste-buffer` (`C-b ]`).
 *
 * Invariant: bounded — at most MAX_BUFFERS buffers of at most MAX_BUFFER_CHARS characters each;
 * the oldest buffer goes first.
 */

const MAX_BUFFERS = 50;
const MAX_BUFFER_CHARS = 1 << 20;

export class PasteBuffers {
  private readonly stack: string[] = [];

  add(text: string): void {
    if (text.length === 0) return;
    this.stack.unshift(text.slice(0, MAX_BUFFER_CHARS));
    if (this.stack.length > MAX_BUFFERS) this.stack.pop();
  }

  /** The newest buffer, or null when there is none. */
  top(): string | null {
    return this.stack[0] ?? null;
  }

  deleteTop(): void {
    this.stack.shift();
  }

  get size(): number {
    return this.stack.length;
  }
}
