// kstatus-compatible conditions (Ready, Reconciling, Stalled), so that kubectl wait,
// Flux and Argo CD read health the same way.

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
  | { readonly ready: false; readonly reason: string; readonly message: string };

/** Pure: the conditions for an outcome, keeping transition times of conditions that did not change. */
export function conditionsFor(outcome: Outcome, generation: number, previous: readonly Condition[] = [], now = new Date()): Condition[] {
  const make = (type: Condition['type'], status: Condition['status'], reason: string, message: string): Condition => {
    const old = previous.find((c) => c.type === type);
    const lastTransitionTime = old && old.status === status ? old.lastTransitionTime : now.toISOString();
    return { type, status, reason, message, observedGeneration: generation, lastTransitionTime };
  };
  return outcome.ready
    ? [make('Ready', 'True', outcome.reason, outcome.message), make('Reconciling', 'False', outcome.reason, ''), make('Stalled', 'False', outcome.reason, '')]
    : [make('Ready', 'False', outcome.reason, outcome.message), make('Reconciling', 'False', outcome.reason, ''), make('Stalled', 'True', outcome.reason, outcome.message)];
}
