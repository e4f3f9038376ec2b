// Which upstream serves a request: the routes in order (provider/model globs matched
// against the model's names, like ModelPolicy lists), the first whose upstream takes
// the operation and knows the model. Allowlists keep matching the model as the client
// names it; routing only decides where it is served.
import { compileGlobs } from '../../policy/glob.ts';
import type { Operation, Upstream } from './upstream.ts';

export interface RoutedModel {
  readonly provider: string;
  readonly model: string;
  readonly providerModelId: string;
  /** The `provider/model` names of the request (ResolvedModel.family). */
  readonly family: readonly string[];
}

export interface Route {
  readonly models: readonly string[];
  readonly upstream: Upstream;
}

export type RouteResult =
  | { readonly ok: true; readonly upstream: Upstream; readonly modelId: string }
  /** No route matches the model. */
  | { readonly ok: false; readonly reason: 'unrouted' }
  /** Routes match, but their upstreams do not take this operation (Bedrock takes only /v1/messages). */
  | { readonly ok: false; readonly reason: 'operation'; readonly upstream: Upstream }
  /** Routes match, but no model id is configured for the model (Bedrock's `models`). */
  | { readonly ok: false; readonly reason: 'model'; readonly upstream: Upstream };

export interface Router {
  route(model: RoutedModel, operation: Operation): RouteResult;
  /** The first upstream that could serve the model at all, whatever the operation (GET /v1/models lists only those). */
  servedBy(model: RoutedModel): { readonly upstream: Upstream; readonly modelId: string } | null;
  readonly upstreams: readonly Upstream[];
}

export function createRouter(routes: readonly Route[]): Router {
  const compiled = routes.map((r) => ({ matches: compileGlobs(r.models), upstream: r.upstream }));
  const matching = (model: RoutedModel) => compiled.filter((r) => model.family.some((name) => r.matches(name)));
  return {
    upstreams: [...new Set(routes.map((r) => r.upstream))],
    route(model, operation) {
      let refused: Exclude<RouteResult, { ok: true }> | undefined;
      for (const { upstream } of matching(model)) {
        if (!upstream.serves(operation, model.provider)) {
          refused ??= { ok: false, reason: 'operation', upstream };
          continue;
        }
        const modelId = upstream.modelId(model);
        if (modelId === null) {
          if (refused?.reason !== 'model') refused = { ok: false, reason: 'model', upstream };
          continue;
        }
        return { ok: true, upstream, modelId };
      }
      return refused ?? { ok: false, reason: 'unrouted' };
    },
    servedBy(model) {
      for (const { upstream } of matching(model)) {
        const modelId = upstream.modelId(model);
        if (modelId !== null) return { upstream, modelId };
      }
      return null;
    },
  };
}
