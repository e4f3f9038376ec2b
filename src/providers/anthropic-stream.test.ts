import { describe, expect, it } from 'vitest';
import { trackAnthropicStream } from './anthropic-stream.ts';
import { byteOffsets, firstEvents, relay } from './stream-test-helpers.ts';

const event = (type: string, data: string) => `event: ${type}\ndata: ${data}\n\n`;
const START_USAGE =
  '{"input_tokens":50,"cache_creation_input_tokens":200,"cache_read_input_tokens":1000,"cache_creation":{"ephemeral_5m_input_tokens":150,"ephemeral_1h_input_tokens":50},"output_tokens":1,"service_tier":"standard"}';
const start = (usage: string) =>
  event('message_start', `{"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5-20250929","stop_reason":null,"stop_sequence":null,"usage":${usage}}}`);
const delta = (index: number, d: string) => event('content_block_delta', `{"type":"content_block_delta","index":${index},"delta":${d}}`);

// Recorded-style: thinking, text and a tool call, with a ping in between.
const CONTENT =
  event('content_block_start', '{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}') +
  event('ping', '{"type": "ping"}') +
  delta(0, '{"type":"thinking_delta","thinking":"The user greets me."}') +
  delta(0, '{"type":"signature_delta","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"}') +
  event('content_block_stop', '{"type":"content_block_stop","index":0}') +
  event('content_block_start', '{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}') +
  delta(1, '{"type":"text_delta","text":"Hello"}') +
  delta(1, '{"type":"text_delta","text":" — ça va ?"}') +
  event('content_block_stop', '{"type":"content_block_stop","index":1}') +
  event('content_block_start', '{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_01","name":"get_weather","input":{}}}') +
  delta(2, '{"type":"input_json_delta","partial_json":""}') +
  delta(2, '{"type":"input_json_delta","partial_json":"{\\"city\\": \\"Paris\\"}"}') +
  event('content_block_stop', '{"type":"content_block_stop","index":2}');
const MESSAGE_DELTA = event(
  'message_delta',
  '{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":50,"cache_creation_input_tokens":200,"cache_read_input_tokens":1000,"output_tokens":89,"output_tokens_details":{"thinking_tokens":40}}}',
);
const STOP = event('message_stop', '{"type":"message_stop"}');
const STREAM = start(START_USAGE) + CONTENT + MESSAGE_DELTA + STOP;
const REPORTED = { inputTokens: 50, cachedInputTokens: 1000, cacheWrite5mTokens: 150, cacheWrite1hTokens: 50, outputTokens: 89, reasoningTokens: 40 };

describe('trackAnthropicStream', () => {
  it('forwards every event verbatim and combines message_start with message_delta', () => {
    for (const cut of byteOffsets(STREAM, 11)) {
      const tracker = trackAnthropicStream();
      expect(relay(tracker, STREAM, [cut])).toBe(STREAM);
      expect(tracker.usage()).toEqual(REPORTED);
      expect(tracker.finished()).toBe(true);
    }
  });

  it('keeps message_start counts when message_delta reports only output (or nulls)', () => {
    const older = event('message_delta', '{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}');
    const nulls = event('message_delta', '{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"input_tokens":null,"cache_read_input_tokens":null,"cache_creation_input_tokens":null,"output_tokens":15}}');
    for (const last of [older, nulls]) {
      const tracker = trackAnthropicStream();
      relay(tracker, start(START_USAGE) + last + STOP);
      expect(tracker.usage()).toEqual({ ...REPORTED, outputTokens: 15, reasoningTokens: 0 });
    }
  });

  it('after a cut, keeps the reported input and cache counts and estimates output from the deltas', () => {
    const tracker = trackAnthropicStream();
    relay(tracker, firstEvents(STREAM, 8)); // through the "Hello" text delta
    expect(tracker.usage()).toBeNull();
    expect(tracker.finished()).toBe(false);
    // Thinking (19 bytes) and "Hello" (5); the signature is not output: max(2, ceil(24 / 4)) = 6.
    expect(tracker.partialUsage(999)).toEqual({ inputTokens: 50, cachedInputTokens: 1000, cacheWrite5mTokens: 150, cacheWrite1hTokens: 50, outputTokens: 6, reasoningTokens: 0 });
  });

  it('counts text with multi-byte characters and tool input by UTF-8 bytes', () => {
    const tracker = trackAnthropicStream();
    relay(tracker, start(START_USAGE) + CONTENT);
    // 19 + 5 + 13 (" — ça va ?") + 17 bytes over 4 deltas (the empty partial_json is none): ceil(54 / 4) = 14.
    expect(tracker.partialUsage(0).outputTokens).toBe(14);
  });

  it('without message_stop, the reported output count still bounds the estimate from below', () => {
    const tracker = trackAnthropicStream();
    relay(tracker, start(START_USAGE) + CONTENT + MESSAGE_DELTA);
    expect(tracker.usage()).toBeNull();
    expect(tracker.partialUsage(0)).toEqual(REPORTED);
  });

  it('uses the fallback input when the stream was cut before message_start', () => {
    const tracker = trackAnthropicStream();
    relay(tracker, '');
    expect(tracker.partialUsage(321)).toEqual({ inputTokens: 321, cachedInputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 0, reasoningTokens: 0 });
  });

  it('an error event ends the stream without usage', () => {
    const tracker = trackAnthropicStream();
    const error = event('error', '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}');
    expect(relay(tracker, start(START_USAGE) + error)).toBe(start(START_USAGE) + error);
    expect(tracker.finished()).toBe(true);
    expect(tracker.usage()).toBeNull();
    expect(tracker.partialUsage(0)).toMatchObject({ inputTokens: 50, outputTokens: 1 });
  });

  it('forwards a malformed event verbatim and ignores it', () => {
    const broken = 'event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"text":"x"\n\n';
    const text = start(START_USAGE) + broken + CONTENT + MESSAGE_DELTA + STOP;
    const tracker = trackAnthropicStream();
    expect(relay(tracker, text)).toBe(text);
    expect(tracker.usage()).toEqual(REPORTED);
    expect(tracker.onEvent({ event: 'message_start', data: '{"type":"message_start","message":null}', raw: 'r' })).toBe('r');
  });
});
