// The event-stream decoder against published test vectors, the AWS SDK's own codec
// (@smithy/core), every possible split of a stream, corruption and every header type.
import { EventStreamCodec, Int64 } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bedrockChunk, bedrockStreamException, encodeEventStreamMessage, type EncodableHeader } from '../mock-provider/bedrock/event-stream-encoder.ts';
import { EventStreamError, MAX_MESSAGE_BYTES, createEventStreamDecoder, decodeEventStreamMessage, interpretBedrockMessage, stringHeader } from './bedrock-event-stream.ts';

// Published vectors: `{"foo": "bar"}` with no headers, and with content-type: application/json.
const NO_HEADERS = '0000001e00000000baf2f68a' + Buffer.from('{"foo": "bar"}').toString('hex') + 'ae7258e4';
const ONE_HEADER = '0000003e00000020405df9460c636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e' + Buffer.from('{"foo": "bar"}').toString('hex') + '6fa2bf3b';

const smithy = new EventStreamCodec(toUtf8, fromUtf8);
const ALL_TYPES: readonly (readonly [string, EncodableHeader])[] = [
  ['t', { type: 'boolean', value: true }],
  ['f', { type: 'boolean', value: false }],
  ['byte', { type: 'byte', value: -7 }],
  ['short', { type: 'short', value: -30_000 }],
  ['int', { type: 'integer', value: 2_000_000_000 }],
  ['long', { type: 'long', value: -9_000_000_000_123n }],
  ['bin', { type: 'binary', value: Uint8Array.from([0, 1, 254, 255]) }],
  ['str', { type: 'string', value: 'héllo ✓' }],
  ['ts', { type: 'timestamp', value: new Date('2026-11-30T12:34:56.789Z') }],
  ['id', { type: 'uuid', value: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' }],
];

describe('framing', () => {
  it('encodes and decodes the published vectors byte for byte', () => {
    expect(encodeEventStreamMessage([], Buffer.from('{"foo": "bar"}')).toString('hex')).toBe(NO_HEADERS);
    expect(encodeEventStreamMessage([[`content-type`, { type: 'string', value: 'application/json' }]], Buffer.from('{"foo": "bar"}')).toString('hex')).toBe(ONE_HEADER);
    const decoded = decodeEventStreamMessage(Buffer.from(ONE_HEADER, 'hex'));
    expect(decoded.headers).toEqual({ 'content-type': { type: 'string', value: 'application/json' } });
    expect(Buffer.from(decoded.payload).toString()).toBe('{"foo": "bar"}');
  });

  it('every header type round-trips, and agrees with the AWS SDK codec both ways', () => {
    const ours = encodeEventStreamMessage(ALL_TYPES, Buffer.from('payload'));
    const decoded = decodeEventStreamMessage(ours);
    expect(decoded.headers).toEqual(Object.fromEntries(ALL_TYPES));
    // The SDK reads what we write…
    const theirs = smithy.decode(ours);
    expect(theirs.headers.long).toEqual({ type: 'long', value: Int64.fromNumber(-9_000_000_000_123) });
    expect(theirs.headers.id).toEqual({ type: 'uuid', value: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' });
    expect(theirs.headers.ts).toEqual({ type: 'timestamp', value: new Date('2026-11-30T12:34:56.789Z') });
    expect(toUtf8(theirs.body)).toBe('payload');
    // …and we read what the SDK writes.
    const sdkBytes = smithy.encode({ headers: { ...theirs.headers }, body: fromUtf8('payload') });
    expect(Buffer.from(sdkBytes).equals(ours)).toBe(true);
  });
});

describe('incremental decoding', () => {
  const stream = Buffer.concat([
    bedrockChunk('{"type":"message_start"}'),
    encodeEventStreamMessage(ALL_TYPES, Buffer.alloc(0)),
    bedrockChunk('{"type":"content_block_delta","delta":{"text":"héllo"}}'),
    bedrockStreamException('throttlingException', 'Too many requests'),
  ]);

  it('decodes the same four messages whatever the split: every single split point, and byte by byte', () => {
    const whole = createEventStreamDecoder().push(stream);
    expect(whole).toHaveLength(4);
    for (let cut = 0; cut <= stream.length; cut++) {
      const decoder = createEventStreamDecoder();
      const messages = [...decoder.push(stream.subarray(0, cut)), ...decoder.push(stream.subarray(cut))];
      decoder.end();
      expect(messages).toEqual(whole);
    }
    const decoder = createEventStreamDecoder();
    const bytewise = [...stream].flatMap((b) => decoder.push(Uint8Array.of(b)));
    expect(bytewise).toEqual(whole);
    expect(decoder.pending).toBe(0);
  });

  it('interprets Bedrock chunks, exceptions and other events', () => {
    const [start, other, delta, exception] = createEventStreamDecoder().push(stream).map(interpretBedrockMessage);
    expect(start).toEqual({ kind: 'chunk', json: '{"type":"message_start"}' });
    expect(other).toEqual({ kind: 'other', eventType: undefined });
    expect(JSON.parse((delta as { json: string }).json)).toEqual({ type: 'content_block_delta', delta: { text: 'héllo' } });
    expect(exception).toEqual({ kind: 'error', type: 'throttlingException', message: 'Too many requests' });
    const error = encodeEventStreamMessage(
      [
        [':message-type', { type: 'string', value: 'error' }],
        [':error-code', { type: 'string', value: 'InternalFailure' }],
        [':error-message', { type: 'string', value: 'boom' }],
      ],
      Buffer.alloc(0),
    );
    expect(interpretBedrockMessage(decodeEventStreamMessage(error))).toEqual({ kind: 'error', type: 'InternalFailure', message: 'boom' });
    expect(stringHeader(decodeEventStreamMessage(bedrockChunk('{}')), ':content-type')).toBe('application/json');
  });

  it('a stream that ends inside a message is an error at end()', () => {
    const decoder = createEventStreamDecoder();
    expect(decoder.push(stream.subarray(0, stream.length - 3))).toHaveLength(3);
    expect(() => decoder.end()).toThrow(EventStreamError);
  });
});

describe('corruption', () => {
  const good = bedrockChunk('{"type":"ping"}');
  const flip = (at: number) => {
    const copy = Buffer.from(good);
    copy[at]! ^= 0x01;
    return copy;
  };

  it('a flipped bit in the prelude fails the prelude CRC before any length is trusted', () => {
    for (const at of [0, 3, 5, 9]) expect(() => createEventStreamDecoder().push(flip(at))).toThrow(/prelude CRC/);
  });

  it('a flipped bit in the headers, payload or trailer fails the message CRC', () => {
    for (const at of [12, 20, good.length - 10, good.length - 1]) expect(() => createEventStreamDecoder().push(flip(at))).toThrow(/message CRC/);
  });

  it('a corrupt decoder stays failed; impossible lengths are refused even with a valid prelude CRC', () => {
    const decoder = createEventStreamDecoder();
    expect(() => decoder.push(flip(good.length - 1))).toThrow(EventStreamError);
    expect(() => decoder.push(good)).toThrow(/already corrupt/);
    const huge = Buffer.alloc(12);
    huge.writeUInt32BE(MAX_MESSAGE_BYTES + 1, 0);
    huge.writeUInt32BE(0, 4);
    huge.writeUInt32BE(crc32(huge.subarray(0, 8)), 8);
    expect(() => createEventStreamDecoder().push(huge)).toThrow(/out of range/);
    const tooBigHeaders = Buffer.from(good);
    // Headers length larger than the message, with its prelude CRC recomputed: still refused.
    tooBigHeaders.writeUInt32BE(good.length, 4);
    tooBigHeaders.writeUInt32BE(crc32(tooBigHeaders.subarray(0, 8)), 8);
    expect(() => createEventStreamDecoder().push(tooBigHeaders)).toThrow(/headers length/);
  });

  it('an unknown header type and a chunk without base64 bytes are errors', () => {
    const message = encodeEventStreamMessage([['x', { type: 'string', value: 'v' }]], Buffer.alloc(0));
    message[1 + 1 + 12] = 42; // the value type byte of header "x"
    message.writeUInt32BE(crc32(message.subarray(0, message.length - 4)), message.length - 4);
    expect(() => decodeEventStreamMessage(message)).toThrow(/unknown header value type 42/);
    const noBytes = encodeEventStreamMessage(
      [
        [':message-type', { type: 'string', value: 'event' }],
        [':event-type', { type: 'string', value: 'chunk' }],
      ],
      Buffer.from('{"p":"x"}'),
    );
    expect(() => interpretBedrockMessage(decodeEventStreamMessage(noBytes))).toThrow(/base64/);
  });
});
