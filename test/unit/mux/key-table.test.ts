import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyTables, PREFIX_TABLE, ROOT_TABLE, splitCommandList } from '../../../src/core/mux/key-table.js';
import { keyFromName } from '../../../src/core/term/key-names.js';

const traces = resolve(__dirname, '../../../../shared/tmate/traces');

function hostBindings(): string[][] {
  return readFileSync(resolve(traces, '01-connect-ready.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { dir?: string; msg?: unknown[] })
    .filter((e) => e.dir === 'c2s' && e.msg?.[0] === 12)
    .map((e) => (e.msg as unknown[]).slice(1) as string[]);
}

describe('key tables mirrored from the host', () => {
  it('learns the default tmux bindings the stock client replicates', () => {
    const tables = new KeyTables();
    for (const argv of hostBindings()) tables.apply(argv);
    const key = (name: string): number => keyFromName(name) ?? -1;
    expect(tables.lookup(PREFIX_TABLE, key('c'))?.commands).toEqual([['new-window']]);
    expect(tables.lookup(PREFIX_TABLE, key('0'))?.commands).toEqual([['select-window', '-t:=0']]);
    expect(tables.lookup(PREFIX_TABLE, key('['))?.commands).toEqual([['copy-mode']]);
    expect(tables.lookup(PREFIX_TABLE, key('d'))?.commands).toEqual([['detach-client']]);
    expect(tables.lookup(PREFIX_TABLE, key('Up'))?.repeat).toBe(true);
    expect(tables.lookup(ROOT_TABLE, key('c'))).toBeUndefined();
    expect(tables.isPrefix(2)).toBe(true);
  });

  it('follows unbind-key and a changed prefix', () => {
    const tables = new KeyTables();
    tables.apply(['bind-key', 'c', 'new-window']);
    tables.apply(['unbind-key', 'c']);
    expect(tables.lookup(PREFIX_TABLE, 99)).toBeUndefined();
    tables.apply(['set-option', '-g', 'prefix', 'C-a']);
    expect(tables.isPrefix(1)).toBe(true);
    expect(tables.isPrefix(2)).toBe(false);
  });

  it('ignores malformed bind-key messages instead of throwing', () => {
    const tables = new KeyTables();
    for (const argv of [['bind-key'], ['bind-key', '-T'], ['bind-key', 'NoSuchKey', 'x'], ['bind-key', 'c']]) {
      expect(tables.apply(argv)).toBe(false);
    }
  });

  it('splits command lists at a glued or lone semicolon', () => {
    expect(splitCommandList(['select-pane', '-t=;', 'send-keys', '-M'])).toEqual([['select-pane', '-t='], ['send-keys', '-M']]);
    expect(splitCommandList(['a', ';', 'b'])).toEqual([['a'], ['b']]);
    expect(splitCommandList(['send-keys', 'x\\;'])).toEqual([['send-keys', 'x;']]);
  });
});
