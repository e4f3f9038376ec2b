import { describe, expect, it } from 'vitest';
import { trackOpenAiChatStream } from './openai-chat-stream.ts';
import { byteOffsets, firstEvents, relay } from './stream-test-helpers.ts';

// Recorded-style chunks: one shared prefix, then what varies.
const H = '{"id":"chatcmpl-CBnz0","object":"chat.completion.chunk","created":1763000000,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_560af6e559",';

// With stream_options.include_usage: "usage":null everywhere, then a usage-only chunk before [DONE].
const WITH_USAGE =
  `data: ${H}"choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"8Wj"}\n\n` +
  `data: ${H}"choices":[{"index":0,"delta":{"content":"Bonjour"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"k"}\n\n` +
  `data: ${H}"choices":[{"index":0,"delta":{"content":" à tous 👋"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"xY"}\n\n` +
  `data: ${H}"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null,"obfuscation":"Qf0a"}\n\n` +
  `data: ${H}"choices":[],"usage":{"prompt_tokens":1000,"completion_tokens":5,"total_tokens":1005,"prompt_tokens_details":{"cached_tokens":400,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"obfuscation":"Hq"}\n\n` +
  'data: [DONE]\n\n';

// The same answer as a client that did not ask for usage receives it.
const WITHOUT_USAGE =
  `data: ${H}"choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"obfuscation":"8Wj"}\n\n` +
  `data: ${H}"choices":[{"index":0,"delta":{"content":"Bonjour"},"logprobs":null,"finish_reason":null}],"obfuscation":"k"}\n\n` +
  `data: ${H}"choices":[{"index":0,"delta":{"content":" à tous 👋"},"logprobs":null,"finish_reason":null}],"obfuscation":"xY"}\n\n` +
  `data: ${H}"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"obfuscation":"Qf0a"}\n\n` +
  'data: [DONE]\n\n';

const REPORTED = { inputTokens: 600, cachedInputTokens: 400, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 5, reasoningTokens: 0 };

describe('trackOpenAiChatStream', () => {
  it('with stripUsage, the client gets byte for byte the stream it would have had without include_usage', () => {
    const tracker = trackOpenAiChatStream({ stripUsage: true });
    expect(relay(tracker, WITH_USAGE)).toBe(WITHOUT_USAGE);
    expect(tracker.usage()).toEqual(REPORTED);
    expect(tracker.finished()).toBe(true);
  });

  it('strips the same way wherever the network cuts the stream', () => {
    for (const cut of byteOffsets(WITH_USAGE)) {
      const tracker = trackOpenAiChatStream({ stripUsage: true });
      expect(relay(tracker, WITH_USAGE, [cut])).toBe(WITHOUT_USAGE);
      expect(tracker.usage()).toEqual(REPORTED);
    }
  });

  it('without stripUsage, forwards every event verbatim', () => {
    const tracker = trackOpenAiChatStream({ stripUsage: false });
    expect(relay(tracker, WITH_USAGE)).toBe(WITH_USAGE);
    expect(tracker.usage()).toEqual(REPORTED);
  });

  it('cuts "usage":null out of the text, so escapes and number formats stay as sent', () => {
    const logprobs = '"logprobs":{"content":[{"token":"\\u00e9t\\u00e9","logprob":-1.2e-05,"bytes":[195,169],"top_logprobs":[]}]}';
    const chunk = (usage: string) => `data: ${H}"choices":[{"index":0,"delta":{"content":"été"},${logprobs},"finish_reason":null}]${usage}}\n\n`;
    const tracker = trackOpenAiChatStream({ stripUsage: true });
    expect(relay(tracker, chunk(',"usage":null'))).toBe(chunk(''));
  });

  it('re-serializes only chunks whose "usage":null cannot be cut out safely', () => {
    const spaced = 'id: 4\r\ndata: {"id": "c", "choices": [{"index": 0, "delta": {"content": "hi"}}], "usage": null}\r\n\r\n';
    const usageAsText = `data: {"choices":[{"delta":{"content":"usage"}}],"usage":null}\n\n`;
    const nested = `data: {"choices":[{"delta":{"usage":null}}],"usage":null}\n\n`;
    const first = `data: {"usage":null,"choices":[{"delta":{"content":"x"}}]}\n\n`;
    const tracker = trackOpenAiChatStream({ stripUsage: true });
    expect(relay(tracker, spaced + usageAsText + nested + first + 'data: [DONE]\n\n')).toBe(
      'id: 4\r\ndata: {"id":"c","choices":[{"index":0,"delta":{"content":"hi"}}]}\r\n\r\n' +
        `data: {"choices":[{"delta":{"content":"usage"}}]}\n\n` +
        `data: {"choices":[{"delta":{"usage":null}}]}\n\n` +
        `data: {"choices":[{"delta":{"content":"x"}}]}\n\n` +
        'data: [DONE]\n\n',
    );
  });

  it('forwards usage that rides on a chunk with choices (servers that always send it), and reads it', () => {
    const text =
      'data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"}}],"model":"gemini-2.5-flash","object":"chat.completion.chunk"}\n\n' +
      'data: {"choices":[{"finish_reason":"stop","index":0,"delta":{}}],"model":"gemini-2.5-flash","object":"chat.completion.chunk","usage":{"completion_tokens":1,"prompt_tokens":7,"total_tokens":40}}\n\n' +
      'data: [DONE]\n\n';
    const tracker = trackOpenAiChatStream({ stripUsage: true });
    expect(relay(tracker, text)).toBe(text);
    expect(tracker.usage()).toMatchObject({ inputTokens: 7, outputTokens: 33 });
  });

  it('keeps chunks without choices and without usage (Azure prompt filter results)', () => {
    const filter = 'data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{}}]}\n\n';
    const tracker = trackOpenAiChatStream({ stripUsage: true });
    expect(relay(tracker, filter + WITH_USAGE)).toBe(filter + WITHOUT_USAGE);
  });

  it('a cut-off stream has no usage, and partial usage estimates output from the deltas', () => {
    const tracker = trackOpenAiChatStream({ stripUsage: true });
    relay(tracker, firstEvents(WITH_USAGE, 3));
    expect(tracker.usage()).toBeNull();
    expect(tracker.finished()).toBe(false);
    // Deltas "Bonjour" (7 bytes) and " à tous 👋" (13 bytes): max(2, ceil(20 / 4)) = 5.
    expect(tracker.partialUsage(30)).toEqual({ inputTokens: 30, cachedInputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 5, reasoningTokens: 0 });
  });

  it('a stream cut after its usage chunk still has the reported usage', () => {
    const tracker = trackOpenAiChatStream({ stripUsage: false });
    relay(tracker, firstEvents(WITH_USAGE, 5));
    expect(tracker.finished()).toBe(false);
    expect(tracker.usage()).toEqual(REPORTED);
    expect(tracker.partialUsage(30)).toEqual(REPORTED);
  });

  it('counts tool-call arguments and reasoning deltas, each delta at least one token', () => {
    const tracker = trackOpenAiChatStream({ stripUsage: false });
    relay(
      tracker,
      'data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]}}]}\n\n' +
        'data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"city\\":\\"Paris\\"}"}}]}}]}\n\n' +
        'data: {"choices":[{"index":0,"delta":{"reasoning_content":"a"}}]}\n\n' +
        'data: {"choices":[{"index":0,"delta":{"content":"b"}}]}\n\n',
    );
    // 4 deltas; 11 + 16 + 1 + 1 = 29 bytes → ceil(29 / 4) = 8.
    expect(tracker.partialUsage(0).outputTokens).toBe(8);
  });

  it('forwards a malformed event verbatim, ignores it for usage, and never throws', () => {
    const broken = 'data: {"id":"chatcmpl-CBnz0","choices":[{"delta":{"content":"hi"}\n\n';
    const events = WITH_USAGE.split('\n\n');
    const text = [...events.slice(0, 2), broken.slice(0, -2), ...events.slice(2)].join('\n\n');
    const tracker = trackOpenAiChatStream({ stripUsage: true });
    const expected = WITHOUT_USAGE.split('\n\n');
    expect(relay(tracker, text)).toBe([...expected.slice(0, 2), broken.slice(0, -2), ...expected.slice(2)].join('\n\n'));
    expect(tracker.usage()).toEqual(REPORTED);
    expect(() => tracker.onEvent({ event: undefined, data: '{"choices":[null,1,"x",{"delta":[]}],"usage":5}', raw: 'x' })).not.toThrow();
  });

  it('treats a mid-stream error chunk as the end of the stream', () => {
    const tracker = trackOpenAiChatStream({ stripUsage: true });
    const error = 'data: {"error":{"message":"The server had an error","type":"server_error","param":null,"code":null}}\n\n';
    expect(relay(tracker, firstEvents(WITH_USAGE, 2) + error)).toBe(firstEvents(WITHOUT_USAGE, 2) + error);
    expect(tracker.finished()).toBe(true);
    expect(tracker.usage()).toBeNull();
  });
});
