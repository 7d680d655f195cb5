/**
 * The messages a client was shown in its status line, for `show-messages` (tmux's `C-b ~`): a
 * viewer's join notices, warnings and command errors stay readable after they left the status
 * line. Each line is printed as tmux prints it, `ctime` then the message
 * (`Thu Dec  3 14:18:42 2026 A mate has joined …`), in the relay's local time.
 *
 * Invariants: at most MESSAGE_LIMIT entries (tmux's message-limit default), oldest dropped first,
 * each at most MESSAGE_MAX_LENGTH UTF-16 units (a host's error text may be long).
 */

export const MESSAGE_LIMIT = 100;
/** Longest message kept whole (a status line never shows more); longer ones are cut. */
export const MESSAGE_MAX_LENGTH = 1024;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export class MessageLog {
  private readonly entries: { at: number; text: string }[] = [];

  /** `at`: wall-clock milliseconds (the relay's clock). */
  add(at: number, text: string): void {
    this.entries.push({ at, text: text.length > MESSAGE_MAX_LENGTH ? text.slice(0, MESSAGE_MAX_LENGTH) : text });
    if (this.entries.length > MESSAGE_LIMIT) this.entries.shift();
  }

  lines(): string[] {
    return this.entries.map((entry) => `${ctime(entry.at)} ${entry.text}`);
  }
}

/** C's ctime(3) without its newline: `Thu Dec  3 14:18:42 2026`. */
export function ctime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, '0');
  const time = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2)} ${time} ${d.getFullYear()}`;
}
