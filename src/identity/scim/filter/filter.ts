// SCIM filters (RFC 7644 §3.4.2.2) and attribute paths, parsed into a small AST that is
// evaluated in memory against resources: a filter never becomes SQL text, so it cannot
// inject anything.
import { badRequest } from '../scim-errors.ts';

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type Literal = string | number | boolean | null;

/** `[uri:]attr[.sub]` as written (names resolved against the schema later, case-insensitively). */
export interface AttrPath {
  readonly uri: string | null;
  readonly attr: string;
  readonly sub: string | null;
  readonly text: string;
}

export type Filter =
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly path: AttrPath; readonly value: Literal }
  | { readonly kind: 'present'; readonly path: AttrPath }
  | { readonly kind: 'and' | 'or'; readonly left: Filter; readonly right: Filter }
  | { readonly kind: 'not'; readonly filter: Filter }
  | { readonly kind: 'valuePath'; readonly path: AttrPath; readonly filter: Filter };

/** A PATCH path (RFC 7644 §3.5.2): attrPath, or valuePath with an optional sub-attribute. */
export interface PatchPath {
  readonly path: AttrPath;
  readonly filter: Filter | null;
  readonly sub: string | null;
}

export const MAX_FILTER_LENGTH = 4096;
const MAX_NODES = 256;
const COMPARE_OPS = new Set<string>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const NAME = /^[A-Za-z$][\w$-]*$/;

type Token =
  | { readonly type: '(' | ')' | '[' | ']'; readonly at: number }
  | { readonly type: 'word'; readonly text: string; readonly at: number }
  | { readonly type: 'string'; readonly value: string; readonly at: number }
  | { readonly type: 'number'; readonly value: number; readonly at: number };

const invalid = (detail: string) => badRequest('invalidFilter', detail);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')' || c === '[' || c === ']') {
      tokens.push({ type: c, at: i });
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) throw invalid(`Unterminated string starting at character ${i + 1}.`);
      let value: unknown;
      try {
        value = JSON.parse(text.slice(i, j + 1));
      } catch {
        throw invalid(`Invalid string at character ${i + 1}.`);
      }
      tokens.push({ type: 'string', value: value as string, at: i });
      i = j + 1;
    } else if (/[-\d]/.test(c)) {
      const m = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i));
      if (!m) throw invalid(`Unexpected "${c}" at character ${i + 1}.`);
      tokens.push({ type: 'number', value: Number(m[0]), at: i });
      i += m[0].length;
    } else if (/[A-Za-z$_]/.test(c)) {
      const m = /^[A-Za-z$_][\w$:.\-]*/.exec(text.slice(i))!;
      tokens.push({ type: 'word', text: m[0], at: i });
      i += m[0].length;
    } else {
      throw invalid(`Unexpected "${c}" at character ${i + 1}.`);
    }
  }
  return tokens;
}

/** `[URI ":"] ATTRNAME ["." subAttr]`; a URI is everything before the last colon. */
export function parseAttrPath(text: string, error = invalid): AttrPath {
  const colon = text.lastIndexOf(':');
  const uri = colon >= 0 ? text.slice(0, colon) : null;
  const rest = colon >= 0 ? text.slice(colon + 1) : text;
  const parts = rest.split('.');
  if (parts.length > 2 || !parts.every((p) => NAME.test(p)) || (uri !== null && !/^urn:[\w.:\-]+$/i.test(uri))) {
    throw error(`"${text}" is not an attribute path.`);
  }
  return { uri, attr: parts[0]!, sub: parts[1] ?? null, text };
}

export function parseFilter(text: string): Filter {
  if (text.length > MAX_FILTER_LENGTH) throw invalid(`The filter is longer than ${MAX_FILTER_LENGTH} characters.`);
  const tokens = tokenize(text);
  let pos = 0;
  let nodes = 0;
  const node = <T extends Filter>(f: T): T => {
    if (++nodes > MAX_NODES) throw invalid(`The filter has more than ${MAX_NODES} expressions.`);
    return f;
  };
  const peek = () => tokens[pos];
  const keyword = (t: Token | undefined, word: string) => t?.type === 'word' && t.text.toLowerCase() === word;
  const expect = (type: Token['type']) => {
    const t = tokens[pos];
    if (t?.type !== type) throw invalid(t ? `Expected "${type}" at character ${t.at + 1}.` : `Expected "${type}" at the end of the filter.`);
    pos++;
    return t;
  };

  const parseOr = (inValuePath: boolean): Filter => {
    let left = parseAnd(inValuePath);
    while (keyword(peek(), 'or')) {
      pos++;
      left = node({ kind: 'or', left, right: parseAnd(inValuePath) });
    }
    return left;
  };
  const parseAnd = (inValuePath: boolean): Filter => {
    let left = parseUnary(inValuePath);
    while (keyword(peek(), 'and')) {
      pos++;
      left = node({ kind: 'and', left, right: parseUnary(inValuePath) });
    }
    return left;
  };
  const parseUnary = (inValuePath: boolean): Filter => {
    const t = peek();
    if (!t) throw invalid('The filter ends where an expression was expected.');
    if (keyword(t, 'not') && tokens[pos + 1]?.type === '(') {
      pos += 2;
      const inner = parseOr(inValuePath);
      expect(')');
      return node({ kind: 'not', filter: inner });
    }
    if (t.type === '(') {
      pos++;
      const inner = parseOr(inValuePath);
      expect(')');
      return inner;
    }
    if (t.type !== 'word') throw invalid(`Expected an attribute at character ${t.at + 1}.`);
    pos++;
    const path = parseAttrPath(t.text);
    const next = peek();
    if (next?.type === '[') {
      if (inValuePath) throw invalid('Value paths cannot be nested.');
      pos++;
      const inner = parseOr(true);
      expect(']');
      return node({ kind: 'valuePath', path, filter: inner });
    }
    if (next?.type !== 'word') throw invalid(`Expected an operator after "${t.text}".`);
    const op = next.text.toLowerCase();
    pos++;
    if (op === 'pr') return node({ kind: 'present', path });
    if (!COMPARE_OPS.has(op)) throw invalid(`Unknown operator "${next.text}".`);
    return node({ kind: 'compare', op: op as CompareOp, path, value: parseLiteral() });
  };
  const parseLiteral = (): Literal => {
    const t = tokens[pos++];
    if (!t) throw invalid('The filter ends where a value was expected.');
    if (t.type === 'string' || t.type === 'number') return t.value;
    if (t.type === 'word') {
      const w = t.text.toLowerCase();
      if (w === 'true') return true;
      if (w === 'false') return false;
      if (w === 'null') return null;
    }
    throw invalid(`Expected a value (a quoted string, number, true, false or null) at character ${t.at + 1}.`);
  };

  const filter = parseOr(false);
  const rest = peek();
  if (rest) throw invalid(`Unexpected input at character ${rest.at + 1}.`);
  return filter;
}

/** A PATCH operation's path: `attr`, `urn:…:attr.sub`, `emails[type eq "work"]`, `emails[type eq "work"].value`. */
export function parsePatchPath(text: string): PatchPath {
  const error = (detail: string) => badRequest('invalidPath', detail);
  if (text.length > MAX_FILTER_LENGTH) throw error('The path is too long.');
  const open = text.indexOf('[');
  if (open < 0) return { path: parseAttrPath(text.trim(), error), filter: null, sub: null };
  let close = -1;
  let quoted = false;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ']') {
      close = i;
      break;
    }
  }
  if (close < 0) throw error(`"${text}": "[" without a matching "]".`);
  const path = parseAttrPath(text.slice(0, open).trim(), error);
  if (path.sub) throw error(`"${text}": a value filter applies to a multi-valued attribute, not to a sub-attribute.`);
  let filter: Filter;
  try {
    filter = parseFilter(text.slice(open + 1, close));
  } catch (e) {
    throw error(`"${text}": ${(e as Error).message}`);
  }
  const after = text.slice(close + 1).trim();
  if (after === '') return { path, filter, sub: null };
  if (!after.startsWith('.') || !NAME.test(after.slice(1))) throw error(`"${text}": unexpected "${after}" after the value filter.`);
  return { path, filter, sub: after.slice(1) };
}
