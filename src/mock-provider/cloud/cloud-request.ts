import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Settings } from '../mock-routes.ts';

/** One request to a stand-in, its body read whole (SigV4 needs the exact bytes). */
export interface CloudRequest {
  readonly method: string;
  /** The request target as received (raw path and query). */
  readonly url: string;
  /** The raw path, still percent-encoded. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly startedAt: number;
  /** The stand-in's clock, ms since the epoch. */
  readonly now: number;
  /** The mock's base URL (token endpoints name themselves in what they issue). */
  readonly baseUrl: string;
}

/** A stand-in: answers the paths it owns. */
export interface StandIn {
  /** Whether this stand-in answers the request (a path alone, or a shared path and the caller's credential). */
  owns(path: string, headers: IncomingHttpHeaders, rawQuery: string): boolean;
  serve(req: CloudRequest, res: ServerResponse, settings: Settings): Promise<void>;
}
