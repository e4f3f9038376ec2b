// Decodes the AWS event-stream binary framing (application/vnd.amazon.eventstream)
// that Bedrock's InvokeModelWithResponseStream answers with. Incremental: feed it the
// response body's chunks as they arrive (any split, down to single bytes) and it
// returns each message once complete. Both CRCs are checked; a corrupt or truncated
// stream is an error, never a half-read event.
//
//   prelude:  total length (uint32 BE) | headers length (uint32 BE) | prelude CRC32
//   data:     headers | payload
//   trailer:  message CRC32 over every byte before it
import { crc32 } from 'node:zlib';

export type EventStreamHeaderValue =
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'byte' | 'short' | 'integer'; readonly value: number }
  | { readonly type: 'long'; readonly value: bigint }
  | { readonly type: 'binary'; readonly value: Uint8Array }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'timestamp'; readonly value: Date }
  | { readonly type: 'uuid'; readonly value: string };

export interface EventStreamMessage {
  readonly headers: Readonly<Record<string, EventStreamHeaderValue>>;
  readonly payload: Uint8Array;
}

export class EventStreamError extends Error {
  override readonly name = 'EventStreamError';
}

/** 16 MiB: aws-c-event-stream's message limit; a bigger length is corruption. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** 128 KiB: the headers limit of the same library. */
export const MAX_HEADERS_BYTES = 128 * 1024;
const PRELUDE = 12;
const OVERHEAD = 16;

function readHeaders(bytes: Buffer): Record<string, EventStreamHeaderValue> {
  const headers: Record<string, EventStreamHeaderValue> = {};
  let at = 0;
  const need = (n: number) => {
    if (at + n > bytes.length) throw new EventStreamError('a header runs past the headers section');
  };
  while (at < bytes.length) {
    need(1);
    const nameLength = bytes[at]!;
    at += 1;
    if (nameLength === 0) throw new EventStreamError('a header has an empty name');
    need(nameLength + 1);
    const name = bytes.toString('utf8', at, at + nameLength);
    at += nameLength;
    const type = bytes[at]!;
    at += 1;
    let value: EventStreamHeaderValue;
    switch (type) {
      case 0:
      case 1:
        value = { type: 'boolean', value: type === 0 };
        break;
      case 2:
        need(1);
        value = { type: 'byte', value: bytes.readInt8(at) };
        at += 1;
        break;
      case 3:
        need(2);
        value = { type: 'short', value: bytes.readInt16BE(at) };
        at += 2;
        break;
      case 4:
        need(4);
        value = { type: 'integer', value: bytes.readInt32BE(at) };
        at += 4;
        break;
      case 5:
        need(8);
        value = { type: 'long', value: bytes.readBigInt64BE(at) };
        at += 8;
        break;
      case 6:
      case 7: {
        need(2);
        const length = bytes.readUInt16BE(at);
        at += 2;
        need(length);
        value = type === 6 ? { type: 'binary', value: Uint8Array.from(bytes.subarray(at, at + length)) } : { type: 'string', value: bytes.toString('utf8', at, at + length) };
        at += length;
        break;
      }
      case 8:
        need(8);
        value = { type: 'timestamp', value: new Date(Number(bytes.readBigInt64BE(at))) };
        at += 8;
        break;
      case 9: {
        need(16);
        const hex = bytes.toString('hex', at, at + 16);
        value = { type: 'uuid', value: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` };
        at += 16;
        break;
      }
      default:
        throw new EventStreamError(`unknown header value type ${type} for header ${name}`);
    }
    headers[name] = value;
  }
  return headers;
}

/** Decodes one complete message (exactly its bytes). */
export function decodeEventStreamMessage(message: Buffer): EventStreamMessage {
  if (message.length < OVERHEAD) throw new EventStreamError(`a message is at least ${OVERHEAD} bytes, got ${message.length}`);
  const total = message.readUInt32BE(0);
  const headersLength = message.readUInt32BE(4);
  if (crc32(message.subarray(0, 8)) !== message.readUInt32BE(8)) throw new EventStreamError('prelude CRC mismatch');
  if (total !== message.length) throw new EventStreamError(`message length ${total} does not match the ${message.length} bytes given`);
  if (headersLength > total - OVERHEAD) throw new EventStreamError('headers length exceeds the message');
  if (crc32(message.subarray(0, total - 4)) !== message.readUInt32BE(total - 4)) throw new EventStreamError('message CRC mismatch');
  return {
    headers: readHeaders(message.subarray(PRELUDE, PRELUDE + headersLength)),
    payload: Uint8Array.from(message.subarray(PRELUDE + headersLength, total - 4)),
  };
}

export interface EventStreamDecoder {
  /** Adds bytes; returns the messages they complete, in order. Throws EventStreamError on corruption. */
  push(chunk: Uint8Array): EventStreamMessage[];
  /** Declares the end of the stream; throws if a message was cut short. */
  end(): void;
  /** Bytes held for an incomplete message. */
  readonly pending: number;
}

export function createEventStreamDecoder(): EventStreamDecoder {
  let chunks: Buffer[] = [];
  let buffered = 0;
  // Total length of the message being assembled, once its prelude has been read.
  let expected: number | undefined;
  let failed = false;

  const take = (n: number): Buffer => {
    const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, buffered);
    chunks = all.length > n ? [all.subarray(n)] : [];
    buffered -= n;
    return all.subarray(0, n);
  };
  const peek = (n: number): Buffer => {
    const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, buffered);
    chunks = [all];
    return all.subarray(0, n);
  };

  return {
    get pending() {
      return buffered;
    },
    push(chunk) {
      if (failed) throw new EventStreamError('the stream is already corrupt');
      if (chunk.length > 0) {
        chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        buffered += chunk.length;
      }
      const out: EventStreamMessage[] = [];
      try {
        for (;;) {
          if (expected === undefined) {
            if (buffered < PRELUDE) break;
            const prelude = peek(PRELUDE);
            // The prelude CRC is checked before its lengths are trusted.
            if (crc32(prelude.subarray(0, 8)) !== prelude.readUInt32BE(8)) throw new EventStreamError('prelude CRC mismatch');
            const total = prelude.readUInt32BE(0);
            const headersLength = prelude.readUInt32BE(4);
            if (total < OVERHEAD || total > MAX_MESSAGE_BYTES) throw new EventStreamError(`message length ${total} out of range`);
            if (headersLength > MAX_HEADERS_BYTES || headersLength > total - OVERHEAD) throw new EventStreamError(`headers length ${headersLength} out of range`);
            expected = total;
          }
          if (buffered < expected) break;
          const message = take(expected);
          expected = undefined;
          out.push(decodeEventStreamMessage(message));
        }
      } catch (error) {
        failed = true;
        throw error;
      }
      return out;
    },
    end() {
      if (buffered > 0) throw new EventStreamError(`the stream ended inside a message (${buffered} bytes left over)`);
    },
  };
}

/** A string header's value, or undefined. */
export function stringHeader(message: EventStreamMessage, name: string): string | undefined {
  const h = message.headers[name];
  return h?.type === 'string' ? h.value : undefined;
}

/** What a Bedrock response-stream message means. */
export type BedrockStreamPart =
  /** A model event: the Anthropic SSE event's JSON (from the base64 `bytes`). */
  | { readonly kind: 'chunk'; readonly json: string }
  /** A modeled exception (`:exception-type`, e.g. throttlingException) or an unmodeled error (`:error-code`). */
  | { readonly kind: 'error'; readonly type: string; readonly message: string }
  /** Anything else (unknown event types are skipped, as the AWS SDKs do). */
  | { readonly kind: 'other'; readonly eventType: string | undefined };

const messageOf = (payload: Uint8Array): string => {
  try {
    const v = JSON.parse(Buffer.from(payload).toString('utf8')) as { message?: unknown; Message?: unknown };
    return String(v.message ?? v.Message ?? '');
  } catch {
    return Buffer.from(payload).toString('utf8');
  }
};

export function interpretBedrockMessage(message: EventStreamMessage): BedrockStreamPart {
  const messageType = stringHeader(message, ':message-type');
  if (messageType === 'exception') return { kind: 'error', type: stringHeader(message, ':exception-type') ?? 'unknown', message: messageOf(message.payload) };
  if (messageType === 'error') {
    return { kind: 'error', type: stringHeader(message, ':error-code') ?? 'unknown', message: stringHeader(message, ':error-message') ?? '' };
  }
  const eventType = stringHeader(message, ':event-type');
  if (messageType !== 'event' || eventType !== 'chunk') return { kind: 'other', eventType };
  let bytes: unknown;
  try {
    bytes = (JSON.parse(Buffer.from(message.payload).toString('utf8')) as { bytes?: unknown }).bytes;
  } catch {
    throw new EventStreamError('a chunk payload is not JSON');
  }
  if (typeof bytes !== 'string') throw new EventStreamError('a chunk payload has no base64 "bytes"');
  return { kind: 'chunk', json: Buffer.from(bytes, 'base64').toString('utf8') };
}
