import pino, { type DestinationStream, type Logger } from 'pino';
import { redactQuerySecrets } from '../logging/redact.ts';

/**
 * JSON logs; credentials are redacted wherever they might appear: known header and field
 * paths, and secret query parameters (`?api_key=`, `?token=`, …) anywhere in any line.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-api-key"]',
        'req.headers["x-goog-api-key"]',
        'headers.authorization',
        'headers["x-api-key"]',
        'headers["x-goog-api-key"]',
        '*.apiKey',
        '*.key',
      ],
      censor: '[redacted]',
    },
    hooks: { streamWrite: redactQuerySecrets },
  };
  return destination ? pino(options, destination) : pino(options);
}
