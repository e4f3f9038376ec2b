// Month-end forecasts and spend anomalies: pure arithmetic on nano-dollars (docs/finance.md).

export const DAY_MS = 86_400_000;
/** The run-rate looks back this far: a full week, so weekends weigh as they will. */
export const FORECAST_LOOKBACK_MS = 7 * DAY_MS;

export interface ForecastInput {
  readonly periodStart: Date;
  readonly periodEnd: Date; // exclusive
  readonly now: Date;
  readonly spentNanos: bigint; // in the period so far
  /** Spend in [basisFrom(now), now): the trailing 7 days, or the period so far if shorter. */
  readonly recentNanos: bigint;
}

export interface Forecast {
  readonly spentNanos: bigint;
  readonly projectedNanos: bigint; // at period end
  readonly dailyRateNanos: bigint; // the run-rate the projection uses
  readonly basisFrom: Date;
  readonly elapsedMs: number; // of the period, at `now`
}

/** Start of the window the run-rate is measured over. */
export function basisFrom(periodStart: Date, now: Date): Date {
  return new Date(Math.max(periodStart.getTime(), now.getTime() - FORECAST_LOOKBACK_MS));
}

/**
 * Trailing-7-day run-rate: projected = spent so far + (spend of the last 7 days / 7 days)
 * × time left. Early in a period the "last 7 days" are the period so far.
 */
export function forecastPeriod(input: ForecastInput): Forecast {
  const now = input.now.getTime();
  const from = basisFrom(input.periodStart, input.now);
  const basisMs = BigInt(Math.max(0, now - from.getTime()));
  const leftMs = BigInt(Math.max(0, input.periodEnd.getTime() - now));
  const elapsedMs = Math.max(0, Math.min(now, input.periodEnd.getTime()) - input.periodStart.getTime());
  if (basisMs === 0n) return { spentNanos: input.spentNanos, projectedNanos: input.spentNanos, dailyRateNanos: 0n, basisFrom: from, elapsedMs };
  return {
    spentNanos: input.spentNanos,
    projectedNanos: input.spentNanos + (input.recentNanos * leftMs) / basisMs,
    dailyRateNanos: (input.recentNanos * BigInt(DAY_MS)) / basisMs,
    basisFrom: from,
    elapsedMs,
  };
}

/** When, at the forecast's rate, spend reaches `limitNanos` (null: not before period end, or already there). */
export function runsOutAt(f: Forecast, now: Date, periodEnd: Date, limitNanos: bigint): Date | null {
  if (f.spentNanos >= limitNanos || f.dailyRateNanos <= 0n) return null;
  const ms = Number(((limitNanos - f.spentNanos) * BigInt(DAY_MS)) / f.dailyRateNanos);
  const at = now.getTime() + ms;
  return at < periodEnd.getTime() ? new Date(at) : null;
}

export interface AnomalyRule {
  readonly factor: number; // a day above factor × trailing median …
  readonly floorNanos: bigint; // … and at least this much
  readonly windowDays: number; // trailing days (zero-filled) the median is taken over
  readonly minHistoryDays: number; // the subject's first spend in the window must be at least this many days back
}

export const DEFAULT_ANOMALY_RULE: AnomalyRule = { factor: 3, floorNanos: 50_000_000_000n, windowDays: 14, minHistoryDays: 7 };

/** Median of zero-filled daily amounts (even count: the mean of the two middle days, rounded down). */
export function median(values: readonly bigint[]): bigint {
  if (values.length === 0) return 0n;
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2n;
}

export interface AnomalyVerdict {
  readonly anomalous: boolean;
  readonly medianNanos: bigint;
  /** The amount the day had to exceed: max(factor × median, floor). */
  readonly lineNanos: bigint;
}

/**
 * `trailing` holds the `windowDays` days before the day, oldest first, zero-filled.
 * Anomalous: day > factor × median and day ≥ floor, with enough history for a baseline.
 */
export function judgeDay(dayNanos: bigint, trailing: readonly bigint[], rule: AnomalyRule): AnomalyVerdict {
  const m = median(trailing);
  const factorTimes100 = BigInt(Math.round(rule.factor * 100));
  const times = (m * factorTimes100) / 100n;
  const line = times > rule.floorNanos ? times : rule.floorNanos;
  const firstSpend = trailing.findIndex((v) => v > 0n);
  const history = firstSpend < 0 ? 0 : trailing.length - firstSpend;
  const anomalous = history >= rule.minHistoryDays && dayNanos * 100n > m * factorTimes100 && dayNanos >= rule.floorNanos;
  return { anomalous, medianNanos: m, lineNanos: line };
}
