/**
 * The web viewer page's script (bundled with @xterm/xterm into dist/web/viewer.js): a full
 * terminal connected to the relay over a WebSocket. It shows exactly the frames an SSH viewer of
 * its size would get and sends keys as an SSH viewer's terminal would; the relay does the rest
 * (size rule, key bindings, read-only). Protocol: src/core/protocol/web-viewer-protocol.ts.
 *
 * Invariants:
 * - The token comes from location.pathname (`/t/TOKEN`); the page never puts it anywhere else.
 * - The server renders `body[data-state]`: only `live` pages connect; `unknown` and `refused`
 *   pages already carry their notice.
 * - The terminal always has the size last sent to the relay (the relay draws for that size).
 * - Copy: select with the mouse, then Ctrl+Shift+C, Ctrl+Insert or the context menu. Paste:
 *   Ctrl+Shift+V, Shift+Insert or the context menu; xterm.js wraps it in ESC[200~ … ESC[201~ when
 *   the pane asked for bracketed paste (the relay mirrors that mode to this terminal).
 */
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import './viewer.css';
import {
  KEY_RESTRICTED_TEXT,
  UNKNOWN_TOKEN_TEXT,
  WEB_CLOSE,
  WEB_TOKEN_SOURCE,
  pageTitle,
  type RelayMessage,
} from '../core/protocol/web-viewer-protocol.js';
import { PageView } from './page-view.js';
import { fitSize, type TermSize } from './terminal-fit.js';
import { ViewerConnection } from './viewer-connection.js';

const TOKEN_PATH = new RegExp(`/t/(${WEB_TOKEN_SOURCE})$`);

function main(): void {
  const view = new PageView();
  if (document.body.dataset['state'] !== 'live') {
    view.setConnection('ended', '');
    return;
  }
  if (!TOKEN_PATH.test(location.pathname)) {
    view.showNotice('Session not found', UNKNOWN_TOKEN_TEXT, 'final');
    return;
  }
  const container = document.getElementById('terminal');
  if (!container) return;

  const term = new Terminal({
    scrollback: 0,
    cursorBlink: true,
    fontFamily: '"DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace',
    fontSize: 14,
    macOptionIsMeta: true,
    rightClickSelectsWord: false,
  });
  term.open(container);
  let size: TermSize = fitSize(term, container) ?? { cols: term.cols, rows: term.rows };
  term.resize(size.cols, size.rows);
  view.setSize(size.cols, size.rows);

  const encoder = new TextEncoder();
  const connection = new ViewerConnection(
    (s) => `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${location.pathname}/ws?cols=${s.cols}&rows=${s.rows}`,
    () => size,
    {
      open: (reconnected) => {
        if (reconnected) term.reset();
        view.hideNotice();
        view.setConnection('live', reconnected ? 'reconnected' : 'connected');
        term.focus();
      },
      output: (bytes) => term.write(bytes),
      control: (message) => onControl(message),
      lost: (retryInMs) => {
        const seconds = Math.max(1, Math.round(retryInMs / 1000));
        view.setConnection('lost', 'connection lost');
        view.showNotice('Connection lost', `Reconnecting in ${seconds} s…`, 'transient');
      },
      final: (code, reason, wasLive) => onFinal(code, reason, wasLive),
    },
  );

  let endReason: string | null = null;
  const onControl = (message: RelayMessage): void => {
    switch (message.type) {
      case 'hello':
        view.setReadOnly(message.readOnly);
        view.setTitle(pageTitle(message.session, message.window));
        return;
      case 'title':
        view.setTitle(pageTitle(message.session, message.window));
        return;
      case 'end':
        endReason = message.reason;
        return;
    }
  };

  const onFinal = (code: number, reason: string, wasLive: boolean): void => {
    view.setConnection('ended', 'disconnected');
    term.options.cursorBlink = false;
    const text = endReason ?? reason;
    if (code === WEB_CLOSE.ended) {
      view.showNotice(text.startsWith('detached') ? 'Detached' : 'Session ended', text, 'final');
    } else if (code === WEB_CLOSE.refused) {
      view.showNotice('Web access refused', reason === '' || KEY_RESTRICTED_TEXT.startsWith(reason) ? KEY_RESTRICTED_TEXT : reason, 'final');
    } else if (code === WEB_CLOSE.unknownToken) {
      view.showNotice(
        wasLive ? 'Session ended' : 'Session not found',
        wasLive ? 'The session ended or expired while the connection was down.' : UNKNOWN_TOKEN_TEXT,
        'final',
      );
    } else {
      view.showNotice('Disconnected', reason || `The relay closed the connection (${code}).`, 'final');
    }
  };

  term.onData((data) => connection.sendInput(encoder.encode(data)));
  term.onBinary((data) => connection.sendInput(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff)));
  term.attachCustomKeyEventHandler((event) => clipboardKeys(term, event));

  let refitQueued = false;
  const refit = (): void => {
    refitQueued = false;
    const next = fitSize(term, container);
    if (!next || (next.cols === size.cols && next.rows === size.rows)) return;
    size = next;
    term.resize(size.cols, size.rows);
    view.setSize(size.cols, size.rows);
    connection.sendResize(size);
  };
  const queueRefit = (): void => {
    if (refitQueued) return;
    refitQueued = true;
    requestAnimationFrame(refit);
  };
  new ResizeObserver(queueRefit).observe(container);
  void document.fonts.ready.then(queueRefit); // a web font that arrives late changes the cell size
  window.addEventListener('online', () => connection.retryNow());

  view.setConnection('connecting', 'connecting…');
  connection.start();
}

/** Copy shortcuts that do not collide with terminal keys; returns false when handled here. */
function clipboardKeys(term: Terminal, event: KeyboardEvent): boolean {
  if (event.type !== 'keydown') return true;
  const copy = (event.ctrlKey && event.shiftKey && event.code === 'KeyC') || (event.ctrlKey && event.key === 'Insert');
  if (copy) {
    if (term.hasSelection()) void navigator.clipboard?.writeText(term.getSelection()).catch(() => undefined);
    event.preventDefault();
    return false;
  }
  // Ctrl+Shift+V: let the browser paste (xterm.js receives the paste event and sends the text).
  if (event.ctrlKey && event.shiftKey && event.code === 'KeyV') return false;
  return true;
}

main();
