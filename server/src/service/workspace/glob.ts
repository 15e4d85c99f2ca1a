/**
 * Glob matching for `include` and `exclude`, in time proportional to pattern × path.
 *
 * Both the patterns (`.throughline.yml`) and the paths (file names) come from the repository, so
 * they are hostile input. picomatch compiles a glob to a backtracking RegExp: `*a*a*a*` against a
 * 257-character path took 3.9 s, `+(a*)b` against 30 characters more than 20 s. This matcher
 * never backtracks more than one star at a time (the classic two-pointer wildcard algorithm, once
 * over the characters of a segment and once over the segments of a path), so a match costs at most
 * O(pattern length × path length).
 *
 * Syntax: `*` (any run within a segment), `?` (one character), `[abc]`, `[a-z]`, `[!abc]` /
 * `[^abc]`, `**` as a whole segment (any number of segments, including none), `{a,b}`
 * alternatives (at most MAX_BRACE_EXPANSIONS after expansion) and `\` escapes. Extended globs
 * (`+(…)`, `!(…)`) are not supported: their characters match literally. Unless `dot` is set,
 * wildcards do not match a segment that starts with `.`, as in picomatch and the shell.
 */

/** Alternatives one pattern may expand to; `{a,b}{c,d}…` grows exponentially, so it is bounded. */
export const MAX_BRACE_EXPANSIONS = 256;

export class GlobError extends Error {}

type Token =
  | { readonly kind: 'literal'; readonly char: string }
  | { readonly kind: 'any' }
  | { readonly kind: 'star' }
  | { readonly kind: 'class'; readonly negated: boolean; readonly ranges: readonly [string, string][] };

/** One pattern segment: `**`, or the tokens of a segment and whether it starts with a literal dot. */
type Segment = { readonly globstar: true } | { readonly globstar: false; readonly tokens: readonly Token[]; readonly literalDot: boolean };

/** Compiles patterns into one predicate over `/`-separated relative paths; throws GlobError when a pattern cannot be used. */
export function globMatcher(patterns: readonly string[], options: { dot?: boolean } = {}): (path: string) => boolean {
  const compiled: Segment[][] = [];
  for (const pattern of patterns) for (const alternative of expandBraces(pattern)) compiled.push(compileSegments(alternative));
  const dot = options.dot ?? false;
  return (path) => {
    const segments = path.split('/');
    return compiled.some((pattern) => matchSegments(pattern, segments, dot));
  };
}

/** `a{b,c}d` → `abd`, `acd`; nested braces expand from the inside out. A brace with no comma is literal. */
function expandBraces(pattern: string): string[] {
  let results = [pattern];
  for (;;) {
    const next: string[] = [];
    let changed = false;
    for (const text of results) {
      const brace = innermostBrace(text);
      if (!brace) {
        next.push(text);
        continue;
      }
      changed = true;
      for (const option of brace.options) next.push(text.slice(0, brace.start) + option + text.slice(brace.end + 1));
      if (next.length > MAX_BRACE_EXPANSIONS) throw new GlobError(`expands to more than ${MAX_BRACE_EXPANSIONS} alternatives`);
    }
    results = next;
    if (!changed) return results;
  }
}

/** The first `{…}` with a top-level comma and no brace inside it, or undefined. */
function innermostBrace(text: string): { start: number; end: number; options: string[] } | undefined {
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') i++;
    else if (char === '{') open = i;
    else if (char === '}' && open !== -1) {
      const options = splitUnescaped(text.slice(open + 1, i), ',');
      if (options.length > 1) return { start: open, end: i, options };
      open = -1;
    }
  }
  return undefined;
}

function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '\\' && i + 1 < text.length) {
      current += char + text[i + 1];
      i++;
    } else if (char === separator) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

function compileSegments(pattern: string): Segment[] {
  const segments: Segment[] = [];
  for (const part of pattern.replace(/^\.\//, '').split('/')) {
    if (part === '**') {
      // `a/**/**/b` is `a/**/b`; collapsing keeps the segment walk linear in the pattern.
      if (!segments.at(-1) || !('globstar' in segments.at(-1)! && segments.at(-1)!.globstar)) segments.push({ globstar: true });
      continue;
    }
    const tokens = tokenize(part);
    segments.push({ globstar: false, tokens, literalDot: tokens[0]?.kind === 'literal' && tokens[0].char === '.' });
  }
  return segments;
}

function tokenize(segment: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i]!;
    if (char === '\\' && i + 1 < segment.length) tokens.push({ kind: 'literal', char: segment[++i]! });
    else if (char === '*') {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' }); // `**` inside a segment is `*`
    } else if (char === '?') tokens.push({ kind: 'any' });
    else if (char === '[') {
      const parsed = parseClass(segment, i);
      if (parsed) {
        tokens.push(parsed.token);
        i = parsed.end;
      } else tokens.push({ kind: 'literal', char });
    } else tokens.push({ kind: 'literal', char });
  }
  return tokens;
}

function parseClass(segment: string, start: number): { token: Token; end: number } | undefined {
  let i = start + 1;
  const negated = segment[i] === '!' || segment[i] === '^';
  if (negated) i++;
  const ranges: [string, string][] = [];
  let first = true;
  for (; i < segment.length; i++) {
    let char = segment[i]!;
    if (char === ']' && !first) return { token: { kind: 'class', negated, ranges }, end: i };
    first = false;
    if (char === '\\' && i + 1 < segment.length) char = segment[++i]!;
    if (segment[i + 1] === '-' && i + 2 < segment.length && segment[i + 2] !== ']') {
      let high = segment[i + 2]!;
      i += 2;
      if (high === '\\' && i + 1 < segment.length) high = segment[++i]!;
      ranges.push([char, high]);
    } else ranges.push([char, char]);
  }
  return undefined; // no closing bracket: `[` is literal
}

function tokenMatches(token: Token, char: string): boolean {
  switch (token.kind) {
    case 'literal':
      return token.char === char;
    case 'any':
      return true;
    case 'class': {
      const inside = token.ranges.some(([low, high]) => char >= low && char <= high);
      return inside !== token.negated;
    }
    default:
      return false;
  }
}

/** Two-pointer wildcard match of one segment: on a mismatch, only the last star is retried. */
function matchSegment(tokens: readonly Token[], text: string): boolean {
  let t = 0;
  let c = 0;
  let starToken = -1;
  let starChar = 0;
  while (c < text.length) {
    const token = tokens[t];
    if (token && token.kind !== 'star' && tokenMatches(token, text[c]!)) {
      t++;
      c++;
    } else if (token?.kind === 'star') {
      starToken = t++;
      starChar = c;
    } else if (starToken !== -1) {
      t = starToken + 1;
      c = ++starChar;
    } else return false;
  }
  while (tokens[t]?.kind === 'star') t++;
  return t === tokens.length;
}

/** The same algorithm over segments, with `**` as the star; dot segments only match a literal dot unless `dot`. */
function matchSegments(pattern: readonly Segment[], path: readonly string[], dot: boolean): boolean {
  const fits = (segment: Segment, text: string) =>
    !segment.globstar && (dot || !text.startsWith('.') || segment.literalDot) && matchSegment(segment.tokens, text);
  let p = 0;
  let s = 0;
  let starSegment = -1;
  let starPath = 0;
  while (s < path.length) {
    const segment = pattern[p];
    if (segment && fits(segment, path[s]!)) {
      p++;
      s++;
    } else if (segment?.globstar) {
      starSegment = p++;
      starPath = s;
    } else if (starSegment !== -1 && (dot || !path[starPath]!.startsWith('.'))) {
      // `**` swallows one more segment, unless that segment is hidden and dot files are not matched.
      p = starSegment + 1;
      s = ++starPath;
    } else return false;
  }
  while (pattern[p]?.globstar) p++;
  return p === pattern.length;
}
