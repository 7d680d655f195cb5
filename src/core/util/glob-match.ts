/**
 * fnmatch(3) without flags: `*` any run, `?` any one character, `[…]` / `[!…]` a set with ranges
 * (`[a-z]`), a backslash quoting the next character; anything else stands for itself. A `[` with
 * no closing `]` is an ordinary character.
 *
 * The match runs in O(pattern × text) whatever the pattern: patterns come from people typing
 * (find-window, targets), and a regular expression built from `*a*a*a*…b` backtracks for minutes
 * on a long line. Characters are code points.
 *
 * Invariants: never throws; `*` matches the empty run; a match given a budget spends at most
 * its steps and fails when they run out.
 */

type Token =
  | { kind: 'star' }
  | { kind: 'any' }
  | { kind: 'char'; cp: number }
  | { kind: 'set'; negate: boolean; ranges: [number, number][] };

/** Work left for matching: each step of the loop below takes one; a match that runs out fails. */
export interface MatchBudget {
  steps: number;
}

export function globMatch(pattern: string, text: string): boolean {
  return compileGlob(pattern)(text);
}

/** The pattern parsed once, for matching many texts (each call may spend from `budget`). */
export function compileGlob(pattern: string): (text: string, budget?: MatchBudget) => boolean {
  const tokens = tokenize(Array.from(pattern, (c) => c.codePointAt(0)!));
  return (text, budget) => matchTokens(tokens, Array.from(text, (c) => c.codePointAt(0)!), budget);
}

function matchTokens(tokens: readonly Token[], cps: readonly number[], budget: MatchBudget | undefined): boolean {
  let t = 0;
  let p = 0;
  // Where the last `*` was and the text position it is now taken to end before.
  let starToken = -1;
  let starText = 0;
  while (t < cps.length) {
    if (budget !== undefined && --budget.steps < 0) return false;
    const token = tokens[p];
    if (token !== undefined && token.kind === 'star') {
      starToken = p++;
      starText = t;
    } else if (token !== undefined && matchesOne(token, cps[t]!)) {
      p++;
      t++;
    } else if (starToken >= 0) {
      p = starToken + 1;
      t = ++starText;
    } else {
      return false;
    }
  }
  while (tokens[p]?.kind === 'star') p++;
  return p === tokens.length;
}

function matchesOne(token: Token, cp: number): boolean {
  if (token.kind === 'any') return true;
  if (token.kind === 'char') return token.cp === cp;
  if (token.kind === 'set') return token.ranges.some(([lo, hi]) => cp >= lo && cp <= hi) !== token.negate;
  return false;
}

function tokenize(p: number[]): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === 0x2a) tokens.push({ kind: 'star' });
    else if (c === 0x3f) tokens.push({ kind: 'any' });
    else if (c === 0x5c && i + 1 < p.length) tokens.push({ kind: 'char', cp: p[++i]! });
    else if (c === 0x5b) {
      const set = readSet(p, i);
      if (set === null) tokens.push({ kind: 'char', cp: c });
      else {
        tokens.push(set.token);
        i = set.end;
      }
    } else tokens.push({ kind: 'char', cp: c });
  }
  return tokens;
}

/** The set opening at `start` (`[`) and the index of its `]`, or null when it does not close. */
function readSet(p: number[], start: number): { token: Token; end: number } | null {
  let i = start + 1;
  const negate = p[i] === 0x21;
  if (negate) i++;
  const first = i;
  const ranges: [number, number][] = [];
  // A `]` right after `[` or `[!` is a member, as in fnmatch.
  for (; i < p.length && (p[i] !== 0x5d || i === first); i++) {
    const lo = p[i]!;
    if (p[i + 1] === 0x2d && i + 2 < p.length && p[i + 2] !== 0x5d) {
      ranges.push([lo, p[i + 2]!]);
      i += 2;
    } else ranges.push([lo, lo]);
  }
  return i < p.length ? { token: { kind: 'set', negate, ranges }, end: i } : null;
}
