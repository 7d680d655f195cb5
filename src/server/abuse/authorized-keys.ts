/**
 * The server-wide viewer allow list (`--authorized-keys FILE`, OpenSSH authorized_keys format):
 * when set, only viewers whose public key is listed may join any session, on top of a session's
 * own `-a` list (both must admit the key), and keyless viewers never may.
 *
 * Invariants: loaded once at start; a missing or unreadable file is a start-up error, never an
 * open door; a file with no usable key admits nobody; only a regular file of at most
 * MAX_FILE_BYTES is read (`/dev/zero` or a log file given by mistake is refused, not read).
 */
import { open } from 'node:fs/promises';
import { parseAuthorizedKeyLine, type AuthorizedKey } from '../../core/mux/host-options.js';

/** Largest file read: ~1,400 RSA 16384-bit keys, far more than anyone lists. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** The file's text, or an Error saying why it was not read. */
async function readKeysFile(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const info = await file.stat();
    if (!info.isFile()) throw new Error('not a regular file');
    if (info.size > MAX_FILE_BYTES) throw new Error(`too large (${info.size} bytes; at most ${MAX_FILE_BYTES})`);
    return await file.readFile('utf8');
  } finally {
    await file.close();
  }
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ?? (error instanceof Error ? error.message : String(error));
}

export class KeyAllowList {
  private readonly keys = new Set<string>();

  constructor(keys: readonly AuthorizedKey[]) {
    for (const key of keys) this.keys.add(`${key.type} ${key.base64}`);
  }

  get size(): number {
    return this.keys.size;
  }

  allows(type: string, base64: string): boolean {
    return this.keys.has(`${type} ${base64}`);
  }

  /** Parses authorized_keys text: `#` comments and blank lines skipped, options before the key allowed. */
  static parse(text: string): KeyAllowList {
    const keys: AuthorizedKey[] = [];
    for (const line of text.split(/\r?\n/)) {
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      const key = parseAuthorizedKeyLine(trimmed);
      if (key) keys.push(key);
    }
    return new KeyAllowList(keys);
  }

  /**
   * Why `path` cannot serve as `--authorized-keys`, or null: unreadable, or listing no key (then
   * nobody could join, which is never what was meant). Checked before the relay starts.
   */
  static async problemWith(path: string): Promise<string | null> {
    try {
      const keys = KeyAllowList.parse(await readKeysFile(path));
      return keys.size > 0 ? null : `--authorized-keys ${path} lists no keys, so nobody could join`;
    } catch (error) {
      return `--authorized-keys ${path}: cannot read it (${reason(error)})`;
    }
  }

  static async load(path: string): Promise<KeyAllowList> {
    let text: string;
    try {
      text = await readKeysFile(path);
    } catch (error) {
      throw new Error(`--authorized-keys ${path}: ${reason(error)}`);
    }
    return KeyAllowList.parse(text);
  }
}
