// kstatus-compatible conditions (Ready, Reconciling, Stalled), so that kubectl wait,
// Flux and Argo CD read health the same way: Ready=True is healthy; Stalled=True needs
// a change to the resource (or to what it names); Reconciling=True will settle by itself.

export interface Condition {
  readonly type: 'Ready' | 'Reconciling' | 'Stalled';
  readonly status: 'True' | 'False';
  readonly reason: string;
  readonly message: string;
  readonly observedGeneration: number;
  readonly lastTransitionTime: string;
}

export type Outcome =
  | { readonly ready: true; readonly reason: string; readonly message: string }
  /** Not ready. `retrying`: a transient failure the operator retries (else the spec must change). */
  | { readonly ready: false; readonly reason: string; readonly message: string; readonly retrying?: boolean };

/** Far below metav1.Condition's 32768 limit: a status the API server refused would never be written. */
const MAX_MESSAGE = 4000;
const bounded = (message: string) => (message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message);

/** Pure: the conditions for an outcome, keeping transition times of conditions whose status did not change. */
export function conditionsFor(outcome: Outcome, generation: number, previous: readonly Condition[] = [], now = new Date()): Condition[] {
  const make = (type: Condition['type'], status: Condition['status'], message: string): Condition => {
    const old = previous.find((c) => c.type === type);
    const lastTransitionTime = old && old.status === status ? old.lastTransitionTime : now.toISOString();
    return { type, status, reason: outcome.reason, message: bounded(message), observedGeneration: generation, lastTransitionTime };
  };
  if (outcome.ready) return [make('Ready', 'True', outcome.message), make('Reconciling', 'False', ''), make('Stalled', 'False', '')];
  const retrying = outcome.retrying === true;
  return [
    make('Ready', 'False', outcome.message),
    make('Reconciling', retrying ? 'True' : 'False', retrying ? outcome.message : ''),
    make('Stalled', retrying ? 'False' : 'True', retrying ? '' : outcome.message),
  ];
}
