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
  /** Set by an admin's "revoke access and suspend" (0016): no key works, none may be created. */
  access_suspended_at: Timestamp | null;
  access_suspended_by: string | null;
  // From a directory (SCIM / HRIS), migration 0014.
  scim_id: Generated<string>;
  user_name: Generated<string | null>;
  given_name: Generated<string | null>;
  family_name: Generated<string | null>;
  cost_center: Generated<string | null>;
  division: Generated<string | null>;
  employee_number: Generated<string | null>;
  employee_type: Generated<string | null>;
  manager_ref: Generated<string | null>;
  manager_name: Generated<string | null>;
  version: Generated<number>;
  deleted_at: Generated<Date | null>;
  source_document: Generated<unknown>;
}

export interface DirectoryGroupsTable {
  readonly id: Generated<bigint>;
  scim_id: Generated<string>;
  display_name: string;
  external_id: string | null;
  version: Generated<number>;
  source_document: Generated<unknown>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface DirectoryGroupMembersTable {
  group_id: bigint;
  person_id: bigint;
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
  /** Exactly one of person_id and service_account_id is set (0017). */
  person_id: bigint | null;
  service_account_id: bigint | null;
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
  /** The key that made the request (0017: service keys), and its service account as `namespace/team/name`. */
  api_key_id: bigint | null;
  service_account: string | null;
  /** The upstream that served it (configured name) and its kind; null before migration 0018. Hashed when set. */
  upstream: string | null;
  platform: string | null;
  prev_hash: Generated<Buffer>;
  hash: Generated<Buffer>;
}

export interface ServiceAccountsTable {
  readonly id: Generated<bigint>;
  team_id: bigint;
  name: string;
  description: string | null;
  job_level: number | null;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type AuditActorKind = 'sso' | 'admin-token' | 'portal' | 'cli';

/** Write-once (0016): every admin and portal state change. */
export interface AuditLogTable {
  readonly id: Generated<bigint>;
  at: Generated<Date>;
  actor: string;
  actor_kind: AuditActorKind;
  access: string | null;
  action: string;
  target: string | null;
  outcome: Generated<'done' | 'refused'>;
  details: Generated<unknown>;
  ip: string | null;
  user_agent: string | null;
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
  directory_groups: DirectoryGroupsTable;
  directory_group_members: DirectoryGroupMembersTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  budgets: BudgetsTable;
  model_policies: ModelPoliciesTable;
  api_keys: ApiKeysTable;
  wallets: WalletsTable;
  reservations: ReservationsTable;
  usage_events: UsageEventsTable;
  service_accounts: ServiceAccountsTable;
  audit_log: AuditLogTable;
  rate_windows: RateWindowsTable;
  ledger_checkpoints: LedgerCheckpointsTable;
}

export type Db = Kysely<Database>;
