/** tmux 2.4 command-line syntax for EXEC_CMD_STR (cmd-string.c / cmd-list.c behaviour). */
import { describe, expect, it } from 'vitest';
import { parseCommandLine, splitCommands } from '../../../src/core/host/command-line.js';

const env = (name: string): string | undefined => ({ HOME: '/home/ci', USER: 'ci' })[name];
const ok = (line: string): string[][] => {
  const result = parseCommandLine(line, env);
  if (!result.ok) throw new Error(result.error);
  return result.commands;
};

describe('parseCommandLine', () => {
  it('splits words, commands at ;, keeps quoted spaces', () => {
    expect(ok('new-window -n "a b" ; select-window -t :0')).toEqual([
      ['new-window', '-n', 'a b'],
      ['select-window', '-t', ':0'],
    ]);
    expect(ok('select-window -t 1; split-window -v')).toEqual([['select-window', '-t', '1'], ['split-window', '-v']]);
    expect(ok("  send-keys\t'it''s'  ")).toEqual([['send-keys', 'its']]);
  });

  it('handles escapes in double quotes only, variables, ~ and comments', () => {
    expect(ok('send-keys "a\\tb\\e\\n\\q" \'c\\t\'')).toEqual([['send-keys', 'a\tb\x1b\nq', 'c\\t']]);
    expect(ok('x $USER "${HOME}/bin" $NOPE- $1 \\$USER')).toEqual([['x', 'ci', '/home/ci/bin', '-', '$1', '\\ci']]);
    expect(ok('x ~/src ~ a~b ~')).toEqual([['x', '/home/ci/src', '/home/ci', 'a~b', '/home/ci']]);
    expect(ok('x y # comment ; z')).toEqual([['x', 'y']]);
    expect(ok('x a#b')).toEqual([['x', 'a']]);
    expect(ok('x ""')).toEqual([['x', '']]);
  });

  it('drops leading NAME=value words and keeps \\; literal', () => {
    expect(ok('FOO=bar X=1 new-window')).toEqual([['new-window']]);
    expect(ok('bind x send-keys a\\; b')).toEqual([['bind', 'x', 'send-keys', 'a;', 'b']]);
    expect(ok('')).toEqual([]);
    expect(ok('   ')).toEqual([]);
    expect(ok('; a')).toEqual([[], ['a']]);
  });

  it('fails with tmate\'s cause quoting the whole line', () => {
    for (const line of ['new-window "unterminated', "a 'b", 'a "b\\', 'a ${HOME', 'a ${1}', 'a $', 'a ~root/x']) {
      expect(parseCommandLine(line, env)).toEqual({ ok: false, error: `invalid or unknown command: ${line}` });
    }
  });

  it('never throws on arbitrary input', () => {
    const chars = ['a', ' ', '"', "'", '\\', '$', '{', '}', ';', '#', '~', '=', '\t', 'é'];
    let seed = 7;
    for (let n = 0; n < 500; n++) {
      let line = '';
      for (let k = 0; k < 12; k++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        line += chars[seed % chars.length];
      }
      expect(() => parseCommandLine(line, env)).not.toThrow();
    }
  });
});

describe('splitCommands', () => {
  it('splits EXEC argv lists the way cmd_list_parse does', () => {
    expect(splitCommands(['select-pane', '-t=;', 'send-keys', '-M'])).toEqual([['select-pane', '-t='], ['send-keys', '-M']]);
    expect(splitCommands(['a', ';'])).toEqual([['a']]);
  });
});
