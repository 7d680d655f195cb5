/**
 * Mirrors a session's output into a build log: plain text lines, no cursor control. Escape
 * sequences (CSI, OSC, DCS, two-byte ESC) are removed, CR LF becomes LF, other control characters
 * are dropped. Streaming: a sequence split across chunks is still removed.
 *
 * Invariant: pending state is bounded (an unterminated sequence longer than MAX_SEQUENCE is
 * abandoned), so hostile output cannot grow memory.
 */

const MAX_SEQUENCE = 4096;

type State = 'text' | 'esc' | 'csi' | 'string' | 'string-esc' | 'cr';

export class LogMirror {
  private state: State = 'text';
  private sequenceLength = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  /** Returns the printable text of this chunk. */
  push(chunk: Uint8Array): string {
    const text = this.decoder.decode(chunk, { stream: true });
    let out = '';
    for (const ch of text) out += this.step(ch);
    return out;
  }

  private step(ch: string): string {
    const code = ch.codePointAt(0) ?? 0;
    if (this.state !== 'text' && this.state !== 'cr' && ++this.sequenceLength > MAX_SEQUENCE) this.state = 'text';
    switch (this.state) {
      case 'esc':
        return this.afterEscape(ch);
      case 'csi':
        if (code >= 0x40 && code <= 0x7e) this.state = 'text';
        return '';
      case 'string':
        if (code === 0x07) this.state = 'text';
        else if (code === 0x1b) this.state = 'string-esc';
        return '';
      case 'string-esc':
        this.state = ch === '\\' ? 'text' : 'string';
        return '';
      case 'cr':
        this.state = 'text';
        if (ch === '\n') return '\n';
        return this.text(ch, code);
      default:
        return this.text(ch, code);
    }
  }

  private text(ch: string, code: number): string {
    if (code === 0x1b) {
      this.state = 'esc';
      this.sequenceLength = 0;
      return '';
    }
    if (code === 0x0d) {
      this.state = 'cr';
      return '';
    }
    if (ch === '\n' || ch === '\t') return ch;
    if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) return '';
    return ch;
  }

  private afterEscape(ch: string): string {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x20 && code <= 0x2f) return ''; // intermediate bytes, e.g. ESC ( B
    if (ch === '[') this.state = 'csi';
    else if (ch === ']' || ch === 'P' || ch === '_' || ch === '^' || ch === 'X') this.state = 'string';
    else this.state = 'text';
    return '';
  }
}

/** One LogMirror per pane: turns `(paneId, bytes)` output into plain text for `write`. */
export function perPaneLogMirror(write: (text: string) => void): (paneId: number, data: Uint8Array) => void {
  const mirrors = new Map<number, LogMirror>();
  return (paneId, data) => {
    let mirror = mirrors.get(paneId);
    if (!mirror) mirrors.set(paneId, (mirror = new LogMirror()));
    const text = mirror.push(data);
    if (text.length > 0) write(text);
  };
}
