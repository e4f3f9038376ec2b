// The pure parts: directives, the token formula, and the output plan.
import { describe, expect, it } from 'vitest';
import { parseDirectives } from './mock-directives.ts';
import { planOutput } from './mock-plan.ts';
import { countInputTokens, lastUserText, outputText } from './mock-text.ts';

describe('directives', () => {
  it('reads every key; the last occurrence wins; unknown keys and bad statuses are ignored', () => {
    expect(parseDirectives('a mock:status=429 mock:tokens=5 mock:drop-after=2 mock:cached=7 mock:cache-write=3 mock:latency=10 mock:delay=4')).toEqual({
      status: 429,
      tokens: 5,
      dropAfter: 2,
      cached: 7,
      cacheWrite: 3,
      latency: 10,
      delay: 4,
    });
    expect(parseDirectives('mock:tokens=1 mock:tokens=9')).toEqual({ tokens: 9 });
    expect(parseDirectives('mock:status=200 mock:status=99 mock:colour=3 mock:tokens=x')).toEqual({});
    expect(parseDirectives('no directives here')).toEqual({});
  });

  it('come from the last user message only, string or content parts', () => {
    const messages = [
      { role: 'user', content: 'old mock:status=500' },
      { role: 'assistant', content: 'reply mock:status=400' },
      { role: 'user', content: [{ type: 'text', text: 'new' }, { type: 'image_url', image_url: { url: 'x' } }, { type: 'text', text: 'mock:tokens=2' }] },
    ];
    expect(lastUserText(messages)).toBe('new mock:tokens=2');
    expect(lastUserText(['plain mock:tokens=1'])).toBe('plain mock:tokens=1');
    expect(lastUserText([{ role: 'assistant', content: 'x' }])).toBe('');
  });
});

describe('input token formula', () => {
  it('max(1, ceil(UTF-8 bytes / 4)) + 3 per message, the system prompt counting as a message', () => {
    expect(countInputTokens([{ role: 'user', content: 'abcd' }])).toBe(1 + 3);
    expect(countInputTokens([{ role: 'user', content: 'abcde' }])).toBe(2 + 3);
    expect(countInputTokens([{ role: 'user', content: 'héé' }])).toBe(2 + 3); // 5 bytes
    expect(countInputTokens([{ role: 'user', content: '' }])).toBe(1 + 3);
    expect(countInputTokens([{ role: 'user', content: 'abcd' }, { role: 'assistant', content: 'efgh' }], 'sys!')).toBe(3 + 9);
    expect(countInputTokens([{ role: 'user', content: [{ type: 'text', text: 'abcd' }] }], [{ type: 'text', text: 'efgh' }])).toBe(2 + 6);
  });

  it('output text re-counts to its token count (4 bytes a token after the first)', () => {
    expect(Buffer.byteLength(outputText(10))).toBe(39);
    expect(Math.ceil(Buffer.byteLength(outputText(10)) / 4)).toBe(10);
  });
});

describe('output plan', () => {
  it('the default, a directive, and the cap', () => {
    expect(planOutput('gpt-4o', undefined, {}, 12)).toEqual({ visible: 12, reasoning: 0, truncated: false });
    expect(planOutput('gpt-4o', null, { tokens: 3 }, 12)).toEqual({ visible: 3, reasoning: 0, truncated: false });
    expect(planOutput('gpt-4o', 5, { tokens: 30 }, 12)).toEqual({ visible: 5, reasoning: 0, truncated: true });
    expect(planOutput('gpt-4o', 5, { tokens: 5 }, 12)).toEqual({ visible: 5, reasoning: 0, truncated: false });
  });

  it('reasoning models spend 8 tokens first, inside the cap', () => {
    expect(planOutput('o1', undefined, { tokens: 4 }, 12)).toEqual({ visible: 4, reasoning: 8, truncated: false });
    expect(planOutput('gpt-5-nano', 10, { tokens: 4 }, 12)).toEqual({ visible: 2, reasoning: 8, truncated: true });
    expect(planOutput('o4-mini', 3, {}, 12)).toEqual({ visible: 0, reasoning: 3, truncated: true });
    expect(planOutput('omni-x', undefined, {}, 12).reasoning).toBe(0);
  });
});
