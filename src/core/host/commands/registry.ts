/**
 * The host engine's command table: the only file that imports every command spec. Names resolve
 * the way tmux 2.4's cmd_parse does against its full command table (aliases first, then unique
 * prefixes), so "neww", "selectw" and "kill-w" work and "s" is ambiguous; a tmux command this
 * engine does not run answers `NAME is not available in this session (tmate-relay host)`, and
 * anything else `unknown command: NAME`.
 *
 * Invariant: `TMUX_COMMANDS` is tmux 2.4's table order (names and aliases only); every spec's
 * name appears in it.
 */
import type { CommandSpec } from './command-spec.js';
import { breakPane } from './break-pane.js';
import { copyMode } from './copy-mode.js';
import { detachClient } from './detach-client.js';
import { displayMessage } from './display-message.js';
import { joinPane } from './join-pane.js';
import { killPane } from './kill-pane.js';
import { killServer } from './kill-server.js';
import { killSession } from './kill-session.js';
import { killWindow } from './kill-window.js';
import { lastPane } from './last-pane.js';
import { lastWindow } from './last-window.js';
import { linkWindow } from './link-window.js';
import { movePane } from './move-pane.js';
import { moveWindow } from './move-window.js';
import { newSession } from './new-session.js';
import { newWindow } from './new-window.js';
import { nextWindow } from './next-window.js';
import { pasteBuffer } from './paste-buffer.js';
import { previousWindow } from './previous-window.js';
import { renameWindow } from './rename-window.js';
import { resizePane } from './resize-pane.js';
import { selectPane } from './select-pane.js';
import { selectWindow } from './select-window.js';
import { sendKeys } from './send-keys.js';
import { sendPrefix } from './send-prefix.js';
import { splitWindow } from './split-window.js';
import { swapPane } from './swap-pane.js';
import { swapWindow } from './swap-window.js';
import { nextLayout, previousLayout, selectLayout } from './select-layout.js';
import { rotateWindow } from './rotate-window.js';

export const COMMANDS: readonly CommandSpec[] = [
  breakPane, copyMode, detachClient, displayMessage, joinPane, killPane, killServer, killSession,
  killWindow, lastPane, lastWindow, linkWindow, movePane, moveWindow, newSession, newWindow,
  nextLayout, nextWindow, pasteBuffer, previousLayout, previousWindow, renameWindow, resizePane, rotateWindow,
  selectLayout, selectPane, selectWindow, sendKeys, sendPrefix, splitWindow, swapPane, swapWindow,
];

/** tmux 2.4's commands in table order, `name alias` or just `name`. */
const TMUX_COMMANDS: ReadonlyArray<readonly [string, string | null]> = (
  'attach-session attach,bind-key bind,break-pane breakp,capture-pane capturep,choose-buffer,' +
  'choose-client,choose-session,choose-tree,choose-window,clear-history clearhist,clock-mode,' +
  'command-prompt,confirm-before confirm,copy-mode,delete-buffer deleteb,detach-client detach,' +
  'display-message display,display-panes displayp,find-window findw,has-session has,if-shell if,' +
  'join-pane joinp,kill-pane killp,kill-server,kill-session,kill-window killw,last-pane lastp,' +
  'last-window last,link-window linkw,list-buffers lsb,list-clients lsc,list-commands lscm,' +
  'list-keys lsk,list-panes lsp,list-sessions ls,list-windows lsw,load-buffer loadb,' +
  'lock-client lockc,lock-server lock,lock-session locks,move-pane movep,move-window movew,' +
  'new-session new,new-window neww,next-layout nextl,next-window next,paste-buffer pasteb,' +
  'pipe-pane pipep,previous-layout prevl,previous-window prev,refresh-client refresh,' +
  'rename-session rename,rename-window renamew,resize-pane resizep,respawn-pane respawnp,' +
  'respawn-window respawnw,rotate-window rotatew,run-shell run,save-buffer saveb,' +
  'select-layout selectl,select-pane selectp,select-window selectw,send-keys send,send-prefix,' +
  'server-info info,set-buffer setb,set-environment setenv,set-hook,set-option set,' +
  'set-window-option setw,show-buffer showb,show-environment showenv,show-hooks,' +
  'show-messages showmsgs,show-options show,show-window-options showw,source-file source,' +
  'split-window splitw,start-server start,suspend-client suspendc,swap-pane swapp,' +
  'swap-window swapw,switch-client switchc,unbind-key unbind,unlink-window unlinkw,wait-for wait'
)
  .split(',')
  .map((entry) => {
    const [name, alias] = entry.split(' ');
    return [name as string, alias ?? null] as const;
  });

const SPECS: ReadonlyMap<string, CommandSpec> = new Map(COMMANDS.map((spec) => [spec.name, spec]));

export type Resolved = { ok: true; spec: CommandSpec } | { ok: false; error: string };

/**
 * The full name of the tmux 2.4 command `word` names, by tmux's rules (cmd_find): an alias, or a
 * prefix of one name only; an exact name after an earlier prefix match is ambiguous, as in tmux.
 * Null when it names none or several.
 */
export function tmuxCommandName(word: string): string | null {
  let found: string | null = null;
  let ambiguous = false;
  for (const [name, alias] of TMUX_COMMANDS) {
    if (alias === word) return name;
    if (!name.startsWith(word)) continue;
    if (found !== null) ambiguous = true;
    found = name;
    if (name === word) break;
  }
  return ambiguous ? null : found;
}

/** Finds the command `word` names, with tmux's alias / prefix / ambiguity rules. */
export function resolveCommand(word: string): Resolved {
  const found = tmuxCommandName(word);
  if (found === null) {
    const all = TMUX_COMMANDS.filter(([name]) => name.startsWith(word)).map(([name]) => name);
    return { ok: false, error: all.length > 1 ? `ambiguous command: ${word}, could be: ${all.join(', ')}` : `unknown command: ${word}` };
  }
  const spec = SPECS.get(found);
  // A tmux command (a default key binding may name it: C-b w, C-b ?) that this engine does not run.
  if (spec === undefined) return { ok: false, error: `${found} is not available in this session (tmate-relay host)` };
  return { ok: true, spec };
}
