/**
 * Everything on the web viewer page that is not the terminal: the title (tab and bar), the
 * read-only badge, the connection state and the notice that explains why the terminal stopped.
 *
 * Invariants: text only ever goes in through textContent (never HTML); `body[data-connection]`
 * is one of connecting, live, lost, ended, and `body[data-size]` is the terminal size as COLSxROWS.
 */

export type ConnectionState = 'connecting' | 'live' | 'lost' | 'ended';

export class PageView {
  private readonly titleEl = byId('title');
  private readonly readOnlyEl = byId('read-only');
  private readonly connectionEl = byId('connection');
  private readonly noticeEl = byId('notice');
  private readonly noticeTitleEl = byId('notice-title');
  private readonly noticeTextEl = byId('notice-text');

  setTitle(title: string): void {
    document.title = title;
    this.titleEl.textContent = title;
  }

  setReadOnly(readOnly: boolean): void {
    this.readOnlyEl.hidden = !readOnly;
    document.body.dataset['readOnly'] = String(readOnly);
  }

  setConnection(state: ConnectionState, text: string): void {
    document.body.dataset['connection'] = state;
    this.connectionEl.textContent = text;
  }

  setSize(cols: number, rows: number): void {
    document.body.dataset['size'] = `${cols}x${rows}`;
  }

  /** A notice over the terminal: `final` when nothing more will happen, else transient. */
  showNotice(title: string, text: string, kind: 'final' | 'transient'): void {
    this.noticeTitleEl.textContent = title;
    this.noticeTextEl.textContent = text;
    this.noticeEl.className = kind;
    this.noticeEl.hidden = false;
  }

  hideNotice(): void {
    this.noticeEl.hidden = true;
  }
}

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el;
}
