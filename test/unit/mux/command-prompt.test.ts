/**
 * command-prompt as tmux 2.4 runs it for a client: the label, the starting text, emacs editing
 * keys, and the template the text is put into on Enter.
 */
import { describe, expect, it } from 'vitest';
import { CommandPrompt, MAX_PROMPT_TEXT, commandPromptArgs, fillTemplate } from '../../../src/core/mux/command-prompt.js';
import { keyFromName } from '../../../src/core/term/key-names.js';

function key(name: string): number {
  const code = keyFromName(name);
  if (code === null) throw new Error(`no key ${name}`);
  return code;
}

function type(prompt: CommandPrompt, text: string): void {
  for (const ch of text) expect(prompt.handleKey(ch.codePointAt(0)!)).toEqual({ kind: 'editing' });
}

describe('command-prompt', () => {
  it('reads -I, -p and the template as tmux binds them', () => {
    expect(commandPromptArgs(['command-prompt', '-I', '#W', "rename-window '%%'"])).toEqual({ input: '#W', prompt: null, template: "rename-window '%%'" });
    expect(commandPromptArgs(['command-prompt', '-I#S', "rename-session '%%'"])).toEqual({ input: '#S', prompt: null, template: "rename-session '%%'" });
    expect(commandPromptArgs(['command-prompt', '-p', 'index,other', "select-window -t ':%%'"])).toEqual({ input: '', prompt: 'index', template: "select-window -t ':%%'" });
    expect(commandPromptArgs(['command-prompt'])).toEqual({ input: '', prompt: null, template: null });
    expect(commandPromptArgs(['command-prompt', '-1', '-t', ':1', '--', '-x %%', 'extra'])).toEqual({ input: '', prompt: null, template: '-x %%' });
    expect(commandPromptArgs(['command-prompt', '-p'])).toEqual({ input: '', prompt: null, template: null });
  });

  it('labels the prompt with -p, else the template\'s command, else ":"', () => {
    expect(new CommandPrompt("rename-window '%%'", null, 'bash').display()).toEqual({ line: '(rename-window) bash', beforeCursor: '(rename-window) bash' });
    expect(new CommandPrompt("select-window -t ':%%'", 'index', '').display().line).toBe('index ');
    expect(new CommandPrompt('new-window,x', null, '').display().line).toBe('(new-window) ');
    expect(new CommandPrompt(null, null, '').display().line).toBe(':');
  });

  it('edits with the emacs keys of tmux\'s status prompt', () => {
    const prompt = new CommandPrompt(null, null, 'bash');
    prompt.handleKey(key('C-u'));
    type(prompt, 'one two three');
    prompt.handleKey(key('C-w'));
    expect(prompt.text).toBe('one two ');
    prompt.handleKey(key('C-a'));
    type(prompt, '>');
    prompt.handleKey(key('Right'));
    prompt.handleKey(key('DC'));
    expect(prompt.text).toBe('>oe two ');
    expect(prompt.display().beforeCursor).toBe(':>o');
    prompt.handleKey(key('C-k'));
    prompt.handleKey(key('BSpace'));
    prompt.handleKey(key('End'));
    expect(prompt.text).toBe('>');
    expect(prompt.handleKey(key('Enter'))).toEqual({ kind: 'submit', commandLine: '>' });
    expect(prompt.handleKey(key('Escape'))).toEqual({ kind: 'cancel' });
    expect(prompt.handleKey(key('C-c'))).toEqual({ kind: 'cancel' });
  });

  it('keeps only printable characters, at most MAX_PROMPT_TEXT of them, and ignores other keys', () => {
    const prompt = new CommandPrompt(null, null, 'a\u0007b\u001b[31m');
    expect(prompt.text).toBe('ab[31m');
    prompt.handleKey(key('C-u'));
    for (const k of [key('F1'), key('Up'), key('M-x'), -1, 2 ** 60, 0.5, Number.NaN]) expect(prompt.handleKey(k)).toEqual({ kind: 'editing' });
    expect(prompt.text).toBe('');
    type(prompt, 'é漢');
    expect(prompt.text).toBe('é漢');
    for (let i = 0; i < MAX_PROMPT_TEXT + 10; i++) prompt.handleKey(0x78);
    expect([...prompt.text]).toHaveLength(MAX_PROMPT_TEXT);
  });

  it('puts the text into the template as tmux 2.4 does', () => {
    expect(fillTemplate("rename-window '%%'", 'logs')).toBe("rename-window 'logs'");
    expect(fillTemplate('a %% b %%', 'x')).toBe('a x b %%');
    expect(fillTemplate('%1 and %1', 'x')).toBe('x and x');
    expect(fillTemplate('display "%%%"', 'say "hi"; $HOME')).toBe('display "say \\"hi\\"\\\\; \\$HOME"');
    expect(fillTemplate(null, 'new-window -n second')).toBe('new-window -n second');
    expect(fillTemplate('100%', 'x')).toBe('100%');
  });
});
