// The AWS event-stream binary framing (application/vnd.amazon.eventstream), written
// from the published description (Transcribe/Lex "event stream encoding"):
//
//   prelude:  total length (uint32 BE, the whole message) | headers length (uint32 BE)
//             | prelude CRC32 (uint32 BE, over the 8 bytes before it)
//   data:     headers | payload
//   trailer:  message CRC32 (uint32 BE, over every byte before it)
//
// A header is: name length (uint8) | name (UTF-8) | value type (uint8) | value, where
// the types are 0 true, 1 false, 2 byte, 3 short, 4 integer, 5 long, 6 byte array
// (uint16 BE length), 7 string (uint16 BE length), 8 timestamp (int64 BE ms), 9 uuid (16 bytes).
import { crc32 } from 'node:zlib';

export type EncodableHeader =
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'byte' | 'short' | 'integer'; readonly value: number }
  | { readonly type: 'long'; readonly value: bigint }
  | { readonly type: 'binary'; readonly value: Uint8Array }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'timestamp'; readonly value: Date }
  | { readonly type: 'uuid'; readonly value: string };

const TYPE_CODE = { byte: 2, short: 3, integer: 4, long: 5, binary: 6, string: 7, timestamp: 8, uuid: 9 } as const;

function encodeValue(h: EncodableHeader): Buffer {
  switch (h.type) {
    case 'boolean':
      return Buffer.from([h.value ? 0 : 1]);
    case 'byte': {
      const b = Buffer.alloc(2);
      b[0] = TYPE_CODE.byte;
      b.writeInt8(h.value, 1);
      return b;
    }
    case 'short': {
      const b = Buffer.alloc(3);
      b[0] = TYPE_CODE.short;
      b.writeInt16BE(h.value, 1);
      return b;
    }
    case 'integer': {
      const b = Buffer.alloc(5);
      b[0] = TYPE_CODE.integer;
      b.writeInt32BE(h.value, 1);
      return b;
    }
    case 'long': {
      const b = Buffer.alloc(9);
      b[0] = TYPE_CODE.long;
      b.writeBigInt64BE(h.value, 1);
      return b;
    }
    case 'timestamp': {
      const b = Buffer.alloc(9);
      b[0] = TYPE_CODE.timestamp;
      b.writeBigInt64BE(BigInt(h.value.getTime()), 1);
      return b;
    }
    case 'uuid': {
      const hex = h.value.replaceAll('-', '');
      if (!/^[0-9a-f]{32}$/i.test(hex)) throw new RangeError(`not a UUID: ${h.value}`);
      return Buffer.concat([Buffer.from([TYPE_CODE.uuid]), Buffer.from(hex, 'hex')]);
    }
    case 'binary':
    case 'string': {
      const bytes = h.type === 'string' ? Buffer.from(h.value, 'utf8') : Buffer.from(h.value);
      if (bytes.length > 0xffff) throw new RangeError('header value longer than 65535 bytes');
      const b = Buffer.alloc(3);
      b[0] = TYPE_CODE[h.type];
      b.writeUInt16BE(bytes.length, 1);
      return Buffer.concat([b, bytes]);
    }
  }
}

/** Encodes one message; headers keep the order given. */
export function encodeEventStreamMessage(headers: readonly (readonly [string, EncodableHeader])[], payload: Uint8Array): Buffer {
  const encodedHeaders = Buffer.concat(
    headers.map(([name, value]) => {
      const nameBytes = Buffer.from(name, 'utf8');
      if (nameBytes.length === 0 || nameBytes.length > 255) throw new RangeError(`header name must be 1–255 bytes: ${name}`);
      return Buffer.concat([Buffer.from([nameBytes.length]), nameBytes, encodeValue(value)]);
    }),
  );
  const total = 12 + encodedHeaders.length + payload.length + 4;
  const message = Buffer.alloc(total);
  message.writeUInt32BE(total, 0);
  message.writeUInt32BE(encodedHeaders.length, 4);
  message.writeUInt32BE(crc32(message.subarray(0, 8)), 8);
  encodedHeaders.copy(message, 12);
  Buffer.from(payload).copy(message, 12 + encodedHeaders.length);
  message.writeUInt32BE(crc32(message.subarray(0, total - 4)), total - 4);
  return message;
}

const str = (value: string): EncodableHeader => ({ type: 'string', value });

/** A Bedrock response-stream chunk: `{"bytes": base64(event JSON)}` under event headers. */
export const bedrockChunk = (eventJson: string): Buffer =>
  encodeEventStreamMessage(
    [
      [':event-type', str('chunk')],
      [':content-type', str('application/json')],
      [':message-type', str('event')],
    ],
    Buffer.from(JSON.stringify({ bytes: Buffer.from(eventJson, 'utf8').toString('base64') })),
  );

/** A modeled exception frame in the stream (e.g. `throttlingException`). */
export const bedrockStreamException = (exceptionType: string, message: string): Buffer =>
  encodeEventStreamMessage(
    [
      [':exception-type', str(exceptionType)],
      [':content-type', str('application/json')],
      [':message-type', str('exception')],
    ],
    Buffer.from(JSON.stringify({ message })),
  );
