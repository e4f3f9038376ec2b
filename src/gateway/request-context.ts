// What one request carries down the request path (route → admit → call → relay → charge),
// instead of a growing list of positional arguments.
import type { PersonPolicy } from '../policy/compile-policy.ts';
import type { Usage } from '../pricing/cost.ts';
import type { Admission } from './admit.ts';
import type { EndpointSpec, RequestFacts } from './endpoints.ts';
import type { UpstreamResponse } from './upstreams/upstream.ts';

/** A request body as the JSON parser hands it on: the value, and what the raw bytes told. */
export interface ReceivedBody {
  readonly json: Readonly<Record<string, unknown>>;
  /** Its size on the wire: bounds the input tokens. */
  readonly bytes: number;
  /** The raw bytes mention "image" (cheap pre-check before counting image parts). */
  readonly mentionsImage: boolean;
}

/** A request once its key, endpoint and body are known: what admission and the relays read. */
export interface RequestContext {
  readonly id: string;
  readonly person: PersonPolicy;
  readonly spec: EndpointSpec;
  /** The body as validated by the endpoint's schema (everything else passes through untouched). */
  readonly body: Readonly<Record<string, unknown>>;
  readonly facts: RequestFacts;
  readonly bodyBytes: number;
  readonly imageCount: number;
  readonly clientHeaders: Readonly<Record<string, string | string[] | undefined>>;
}

/** A request that was admitted and forwarded: the provider's response is being read. */
export interface UpstreamCall {
  readonly request: RequestContext;
  readonly admission: Admission;
  /** The upstream's answer, already in the client's format (upstreams/upstream.ts adapts it). */
  readonly response: UpstreamResponse;
  /** Aborting it stops the provider call (the client left). */
  readonly abort: AbortController;
  /** performance.now() when the call was sent. */
  readonly startedAt: number;
}

/** How a forwarded request ended, as far as money is concerned: what a relay returns and the charger books. */
export interface Outcome {
  readonly httpStatus: number;
  readonly usage: Usage | null;
  /** Usage was reconstructed from a cut-off stream rather than reported by the provider. */
  readonly partial: boolean;
  readonly latencyMs: number;
}
