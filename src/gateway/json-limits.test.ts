import { describe, expect, it } from 'vitest';
import { isValidUtf8, jsonDepthExceeds } from './json-limits.ts';

const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('jsonDepthExceeds', () => {
  it('counts nested objects and arrays', () => {
    expect(jsonDepthExceeds(bytes('{"a":[{"b":[1]}]}'), 4)).toBe(false);
    expect(jsonDepthExceeds(bytes('{"a":[{"b":[1]}]}'), 3)).toBe(true);
    expect(jsonDepthExceeds(bytes('['.repeat(20_000) + ']'.repeat(20_000)), 128)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthExceeds(bytes(JSON.stringify({ s: '[[[[[[{{{{' })), 1)).toBe(false);
    expect(jsonDepthExceeds(bytes(JSON.stringify({ s: 'a\\"[[[[ "[[' })), 1)).toBe(false);
    expect(jsonDepthExceeds(bytes(JSON.stringify({ s: '\\' }) + '[[['), 3)).toBe(false);
    expect(jsonDepthExceeds(bytes(JSON.stringify({ s: '\\' }).slice(0, -1) + '[[[[}'), 3)).toBe(true);
  });
});

describe('isValidUtf8', () => {
  it('accepts UTF-8 and refuses broken sequences', () => {
    expect(isValidUtf8(bytes('{"content":"héllo ✓ 🎉"}'))).toBe(true);
    expect(isValidUtf8(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]))).toBe(false);
    expect(isValidUtf8(Buffer.from([0x22, 0xe2, 0x82, 0x22]))).toBe(false); // truncated 3-byte sequence
  });
});
