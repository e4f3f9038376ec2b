// Table shapes as Kysely sees them. Money columns are bigint nano-dollars.
import type { ColumnType, Generated, Kysely } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface PeopleTable {
  readonly id: Generated<bigint>;
  email: string;
  name: string | null;
  job_level: number | null;
  department: string | null;
  title: string | null;
  active: Generated<boolean>;
  source: Generated<string>;
  external_id: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface TeamsTable {
  readonly id: Generated<bigint>;
  namespace: string;
  name: string;
  display_name: string | null;
  cost_center: string | null;
  owners: string[];
  member_selector: unknown;
  active: Generated<boolean>;
  updated_at: Generated<Date>;
}

export interface TeamMembersTable {
  team_id: bigint;
  person_id: bigint;
  declared: boolean;
}

export interface BudgetsTable {
  readonly id: Generated<bigint>;
  namespace: string;
  name: string;
  target: unknown;
  scope: 'PerMember' | 'Shared';
  amount_nanos: bigint;
  period: 'Daily' | 'Weekly' | 'Monthly';
  time_zone: string;
  enforcement: 'Hard' | 'Soft';
  alert_thresholds: number[];
  alert_recipients: Generated<string[]>;
  active: Generated<boolean>;
  updated_at: Generated<Date>;
}

export interface ModelPoliciesTable {
  readonly id: Generated<bigint>;
  namespace: string;
  name: string;
  target: unknown;
  allow: string[];
  deny: string[];
  requests_per_minute: number | null;
  tokens_per_minute: number | null;
  active: Generated<boolean>;
  updated_at: Generated<Date>;
}

export interface ApiKeysTable {
  readonly id: Generated<bigint>;
  person_id: bigint;
  key_hash: string;
  key_prefix: string;
  name: string | null;
  created_at: Generated<Date>;
  revoked_at: Timestamp | null;
}

export interface WalletsTable {
  readonly id: Generated<bigint>;
  budget_id: bigint;
  owner: string;
  period_start: Timestamp;
  period_end: Timestamp;
  limit_nanos: bigint;
  hard: boolean;
  spent_nanos: Generated<bigint>;
  reserved_nanos: Generated<bigint>;
}

export interface ReservationsTable {
  request_id: string;
  budget_ids: bigint[];
  owners: string[];
  period_starts: Date[];
  estimate_nanos: bigint;
  created_at: Generated<Date>;
  deadline: Timestamp;
  context: unknown;
}

export type PricingStatus = 'priced' | 'estimated' | 'unpriced' | 'usage_missing';

export interface UsageEventsTable {
  readonly seq: Generated<bigint>;
  request_id: string;
  occurred_at: Timestamp;
  person_id: bigint | null;
  email: string | null;
  team: string | null;
  cost_center: string | null;
  provider: string;
  model: string;
  endpoint: string;
  stream: boolean;
  input_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  cost_nanos: bigint;
  pricing_status: PricingStatus;
  http_status: number | null;
  latency_ms: number | null;
  wallet_ids: bigint[];
  /** Cost beyond the reservation on a hard wallet (0 when none); part of the chained hash when non-zero. */
  overage_nanos: Generated<bigint>;
  prev_hash: Generated<Buffer>;
  hash: Generated<Buffer>;
}

/** Per-person rate-limit counters shared by every replica (migration 0010). */
export interface RateWindowsTable {
  person_id: bigint;
  window_start: Timestamp;
  requests: number;
  tokens: bigint;
  prev_requests: number;
  prev_tokens: bigint;
}

/** Signed chain heads, write-once (migration 0009). */
export interface LedgerCheckpointsTable {
  readonly id: Generated<bigint>;
  seq: bigint;
  hash: Buffer;
  signed_at: Timestamp;
  key_id: string;
  document: unknown;
  created_at: Generated<Date>;
}

export interface Database {
  people: PeopleTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  budgets: BudgetsTable;
  model_policies: ModelPoliciesTable;
  api_keys: ApiKeysTable;
  wallets: WalletsTable;
  reservations: ReservationsTable;
  usage_events: UsageEventsTable;
  rate_windows: RateWindowsTable;
  ledger_checkpoints: LedgerCheckpointsTable;
}

export type Db = Kysely<Database>;
