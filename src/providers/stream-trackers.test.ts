import { describe, expect, it } from 'vitest';
import { trackAnthropicStream } from './anthropic-stream.ts';
import { trackOpenAiChatStream } from './openai-chat-stream.ts';
import { trackOpenAiResponsesStream } from './openai-responses-stream.ts';
import { createSseParser } from './sse-parser.ts';
import type { StreamTracker } from './stream-tracker.ts';

function run(tracker: StreamTracker, text: string): string {
  let out = '';
  const parser = createSseParser((e) => {
    const forwarded = tracker.onEvent(e);
    if (forwarded !== null) out += forwarded;
  });
  parser.push(new TextEncoder().encode(text));
  parser.end();
  return out;
}

const chunk = (delta: object, finish: string | null, usage: boolean) =>
  `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":${JSON.stringify(delta)},"logprobs":null,"finish_reason":${finish ? `"${finish}"` : 'null'}}]${usage ? ',"usage":null' : ''}}\n\n`;
const chatStream = (withUsage: boolean) =>
  chunk({ role: 'assistant', content: '' }, null, withUsage) +
  chunk({ content: 'Hello' }, null, withUsage) +
  chunk({ content: ' world' }, null, withUsage) +
  chunk({}, 'stop', withUsage) +
  (withUsage
    ? 'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14,"prompt_tokens_details":{"cached_tokens":4}}}\n\n'
    : '') +
  'data: [DONE]\n\n';

describe('OpenAI chat stream', () => {
  it('with stripUsage, the client gets byte for byte the stream it would have had without include_usage', () => {
    const tracker = trackOpenAiChatStream({ stripUsage: true });
    expect(run(tracker, chatStream(true))).toBe(chatStream(false));
    expect(tracker.usage()).toMatchObject({ inputTokens: 8, cachedInputTokens: 4, outputTokens: 2 });
    expect(tracker.finished()).toBe(true);
  });

  it('without stripUsage, every event is forwarded verbatim', () => {
    const tracker = trackOpenAiChatStream({ stripUsage: false });
    expect(run(tracker, chatStream(true))).toBe(chatStream(true));
  });

  it('a cut-off stream yields partial usage counted from the deltas', () => {
    const tracker = trackOpenAiChatStream({ stripUsage: true });
    const cut = chatStream(true).split('\n\n').slice(0, 3).join('\n\n') + '\n\n';
    run(tracker, cut);
    expect(tracker.usage()).toBeNull();
    expect(tracker.finished()).toBe(false);
    // Two deltas of 11 bytes: max(2, ceil(11 / 4)) = 3.
    expect(tracker.partialUsage(30)).toMatchObject({ inputTokens: 30, outputTokens: 3 });
  });

  it('forwards malformed events untouched and does not throw', () => {
    const tracker = trackOpenAiChatStream({ stripUsage: true });
    expect(run(tracker, 'data: {not json\n\n')).toBe('data: {not json\n\n');
  });
});

describe('Responses stream', () => {
  it('reads usage from response.completed', () => {
    const tracker = trackOpenAiResponsesStream();
    const text =
      'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"Hi","sequence_number":4}\n\n' +
      'event: response.completed\ndata: {"type":"response.completed","response":{"usage":{"input_tokens":20,"input_tokens_details":{"cached_tokens":0},"output_tokens":3,"output_tokens_details":{"reasoning_tokens":1}}},"sequence_number":5}\n\n';
    expect(run(tracker, text)).toBe(text);
    expect(tracker.usage()).toMatchObject({ inputTokens: 20, outputTokens: 3, reasoningTokens: 1 });
    expect(tracker.finished()).toBe(true);
  });
});

describe('Anthropic stream', () => {
  const start = 'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":25,"cache_read_input_tokens":100,"cache_creation_input_tokens":0,"output_tokens":1}}}\n\n';
  const delta = (t: string) => `event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"${t}"}}\n\n`;
  const end = 'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":15}}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n';

  it('combines message_start input with message_delta output', () => {
    const tracker = trackAnthropicStream();
    run(tracker, start + delta('Hi') + end);
    expect(tracker.usage()).toMatchObject({ inputTokens: 25, cachedInputTokens: 100, outputTokens: 15 });
  });

  it('a cut-off stream keeps the reported input and counts the output seen', () => {
    const tracker = trackAnthropicStream();
    run(tracker, start + delta('a') + delta('b') + delta('c'));
    expect(tracker.usage()).toBeNull();
    expect(tracker.partialUsage(999)).toMatchObject({ inputTokens: 25, cachedInputTokens: 100, outputTokens: 3 });
  });
});
