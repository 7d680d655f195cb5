// tmux's format language as the relay expands it. Each expected value is what tmate 2.4.0
// (`display-message -p`) printed for the same template and variables.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_FORMAT_LENGTH, expandFormat } from '../../../src/core/mux/format.js';
import { ctime } from '../../../src/core/mux/message-log.js';

const variables: Record<string, string> = {
  session_name: '0',
  window_name: 'second',
  window_index: '1',
  window_active: '1',
  window_flags: '*',
  pane_dead: '0',
  pane_index: '0',
  pane_id: '%2',
  pane_current_path: '/tmp/s23/th',
  session_created: '1796314974',
};
const lookup = (name: string): string | undefined => variables[name];
const expand = (template: string): string => expandFormat(template, lookup);

describe('expandFormat', () => {
  it('expands variables, conditionals, short names and ## as tmux 2.4 does', () => {
    expect(expand('#{?window_active,a,b}')).toBe('a');
    expect(expand('#{?pane_dead,dead,alive}')).toBe('alive');
    expect(expand('#{?no_such_variable,a,b}')).toBe('b');
    expect(expand('#{?,a,b}')).toBe('b');
    expect(expand('#{?window_active,#{window_name},no}')).toBe('second');
    expect(expand('#S:#I.#P #W#F #D')).toBe('0:1.0 second* %2');
    expect(expand('##')).toBe('#');
    expect(expand('#Z#')).toBe('#Z#');
  });

  it('trims with =N and =-N, and takes base and directory names with b: and d:', () => {
    expect(expand('#{=3:session_name}x')).toBe('0x');
    expect(expand('#{=-2:window_name}')).toBe('nd');
    expect(expand('#{=2:window_name}')).toBe('se');
    expect(expand('#{b:pane_current_path}|#{d:pane_current_path}')).toBe('th|/tmp/s23');
  });

  it('shows a time in seconds as ctime with t:', () => {
    expect(expand('#{t:session_created}')).toBe(ctime(1796314974 * 1000));
    expect(expand('#{t:window_name}')).toBe('');
  });

  it('expands unknown variables, a branch-less conditional and #(command) to nothing, and stops at an unclosed brace', () => {
    expect(expand('[#{pane_title}]')).toBe('[]');
    expect(expand('#{?pane_dead,x}')).toBe('');
    expect(expand('a#(touch /tmp/x)b')).toBe('ab');
    expect(expand('a#{window_nam')).toBe('a');
  });

  it('never throws and stays within its length limit, whatever the template (randomized)', () => {
    const pieces = fc.constantFrom('#', '{', '}', '?', ',', ':', '=', '-', '3', 'b', 'window_name', 'pane_id', '(', ')', 'S', 'x', '#{', '#{?');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 60 }), (parts) => {
        const out = expand(parts.join(''));
        expect(out.length).toBeLessThanOrEqual(MAX_FORMAT_LENGTH);
      }),
    );
    // Doubling at every level of nesting: 256 copies of a 1000-character value, cut at the cap.
    const long = 'x'.repeat(1000);
    let bomb = '#{window_name}';
    for (let i = 0; i < 8; i++) bomb = `#{?window_active,${bomb}${bomb},}`;
    expect(expandFormat(bomb, (name) => (name === 'window_name' ? long : '1')).length).toBe(MAX_FORMAT_LENGTH);
  });
});
