import { describe, expect, it } from 'vitest';
import { trackOpenAiResponsesStream } from './openai-responses-stream.ts';
import { byteOffsets, firstEvents, relay } from './stream-test-helpers.ts';

const R = '"id":"resp_68a1","object":"response","created_at":1763000000,"model":"gpt-5.6-terra"';
const USAGE = '{"input_tokens":2600,"input_tokens_details":{"cached_tokens":2000,"cache_write_tokens":400},"output_tokens":120,"output_tokens_details":{"reasoning_tokens":100},"total_tokens":2720}';
const end = (type: string, status: string, usage: string) =>
  `event: ${type}\ndata: {"type":"${type}","sequence_number":10,"response":{${R},"status":"${status}","output":[{"id":"msg_1","type":"message","status":"${status}","role":"assistant","content":[{"type":"output_text","text":"Hello there!","annotations":[]}]}],"usage":${usage}}}\n\n`;

// Recorded-style stream; each event's `event:` matches its payload's type.
const BODY =
  `event: response.created\ndata: {"type":"response.created","sequence_number":0,"response":{${R},"status":"in_progress","output":[],"usage":null}}\n\n` +
  `event: response.in_progress\ndata: {"type":"response.in_progress","sequence_number":1,"response":{${R},"status":"in_progress","output":[],"usage":null}}\n\n` +
  'event: response.output_item.added\ndata: {"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"id":"rs_1","type":"reasoning","summary":[]}}\n\n' +
  'event: response.reasoning_summary_text.delta\ndata: {"type":"response.reasoning_summary_text.delta","sequence_number":3,"item_id":"rs_1","output_index":0,"summary_index":0,"delta":"Thinking about greetings"}\n\n' +
  'event: response.output_item.added\ndata: {"type":"response.output_item.added","sequence_number":4,"output_index":1,"item":{"id":"msg_1","type":"message","status":"in_progress","role":"assistant","content":[]}}\n\n' +
  'event: response.content_part.added\ndata: {"type":"response.content_part.added","sequence_number":5,"item_id":"msg_1","output_index":1,"content_index":0,"part":{"type":"output_text","text":"","annotations":[]}}\n\n' +
  'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","sequence_number":6,"item_id":"msg_1","output_index":1,"content_index":0,"delta":"Hello","logprobs":[]}\n\n' +
  'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","sequence_number":7,"item_id":"msg_1","output_index":1,"content_index":0,"delta":" there!","logprobs":[]}\n\n' +
  'event: response.output_text.done\ndata: {"type":"response.output_text.done","sequence_number":8,"item_id":"msg_1","output_index":1,"content_index":0,"text":"Hello there!","logprobs":[]}\n\n' +
  'event: response.audio.delta\ndata: {"type":"response.audio.delta","sequence_number":9,"response_id":"resp_68a1","delta":"UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQAAAAA="}\n\n';

const COMPLETED = BODY + end('response.completed', 'completed', USAGE);
const REPORTED = { inputTokens: 200, cachedInputTokens: 2000, cacheWrite5mTokens: 400, cacheWrite1hTokens: 0, outputTokens: 120, reasoningTokens: 100 };

describe('trackOpenAiResponsesStream', () => {
  it('forwards every event verbatim and reads usage from response.completed', () => {
    for (const cut of byteOffsets(COMPLETED, 7)) {
      const tracker = trackOpenAiResponsesStream();
      expect(relay(tracker, COMPLETED, [cut])).toBe(COMPLETED);
      expect(tracker.usage()).toEqual(REPORTED);
      expect(tracker.finished()).toBe(true);
    }
  });

  it('reads usage from response.incomplete too (e.g. max_output_tokens reached)', () => {
    const tracker = trackOpenAiResponsesStream();
    relay(tracker, BODY + end('response.incomplete', 'incomplete', USAGE));
    expect(tracker.finished()).toBe(true);
    expect(tracker.usage()).toEqual(REPORTED);
  });

  it('ends on response.failed without usage, leaving an estimate', () => {
    const tracker = trackOpenAiResponsesStream();
    relay(tracker, BODY + end('response.failed', 'failed', 'null'));
    expect(tracker.finished()).toBe(true);
    expect(tracker.usage()).toBeNull();
    // Three text deltas (24 + 5 + 7 bytes; the audio is not text): max(3, ceil(36 / 4)) = 9.
    expect(tracker.partialUsage(500)).toEqual({ inputTokens: 500, cachedInputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, outputTokens: 9, reasoningTokens: 0 });
  });

  it('ends on an error event', () => {
    const tracker = trackOpenAiResponsesStream();
    relay(tracker, firstEvents(BODY, 2) + 'event: error\ndata: {"type":"error","code":"server_error","message":"The server had an error.","param":null,"sequence_number":2}\n\n');
    expect(tracker.finished()).toBe(true);
    expect(tracker.usage()).toBeNull();
  });

  it('a cut-off stream is not finished and estimates output from the deltas seen', () => {
    const tracker = trackOpenAiResponsesStream();
    relay(tracker, firstEvents(BODY, 7));
    expect(tracker.finished()).toBe(false);
    expect(tracker.usage()).toBeNull();
    expect(tracker.partialUsage(42)).toMatchObject({ inputTokens: 42, outputTokens: 8 }); // 29 bytes, 2 deltas
  });

  it('forwards a malformed event verbatim and ignores it', () => {
    const broken = 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"Hel\n\n';
    const tracker = trackOpenAiResponsesStream();
    expect(relay(tracker, broken + COMPLETED)).toBe(broken + COMPLETED);
    expect(tracker.usage()).toEqual(REPORTED);
    expect(tracker.onEvent({ event: 'response.completed', data: '{"type":"response.completed","response":7}', raw: 'r' })).toBe('r');
  });
});

describe('built-in tool calls in a Responses stream', () => {
  const search = (n: number) =>
    `event: response.output_item.done\ndata: {"type":"response.output_item.done","sequence_number":${20 + n},"output_index":${n},"item":{"id":"ws_${n}","type":"web_search_call","status":"completed","action":{"type":"search","query":"q"}}}\n\n`;
  const done = (output: string) =>
    `event: response.completed\ndata: {"type":"response.completed","sequence_number":30,"response":{${R},"status":"completed","output":[${output}],"usage":${USAGE}}}\n\n`;

  it('counts the web_search_call and file_search_call items of the final output', () => {
    const tracker = trackOpenAiResponsesStream();
    relay(tracker, search(0) + search(1) + done('{"type":"web_search_call","id":"ws_0"},{"type":"web_search_call","id":"ws_1"},{"type":"file_search_call","id":"fs_1"},{"type":"message","content":[]}'));
    expect(tracker.usage()).toEqual({ ...REPORTED, toolCalls: { web_search: 2, file_search: 1 } });
  });

  it('counts the calls seen so far when the stream is cut before its end', () => {
    const tracker = trackOpenAiResponsesStream();
    relay(tracker, search(0) + search(1));
    expect(tracker.usage()).toBeNull();
    expect(tracker.partialUsage(50)).toMatchObject({ inputTokens: 50, toolCalls: { web_search: 2 } });
  });
});
