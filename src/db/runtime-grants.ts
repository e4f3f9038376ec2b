// What the services (gateway, operator, admin, CronJobs, `stipend keys`/`audit`) may do to each
// table when they connect as the runtime role. The ledger and the money are read-only here:
// they are written only through the stipend_* functions, which run as their owner
// (SECURITY DEFINER) and hold the rules. Every table must appear, an empty list meaning
// "owner only": a test fails for a table nobody decided about.
export const RUNTIME_TABLE_GRANTS: Readonly<Record<string, readonly string[]>> = {
  // policy, written by the operator / `stipend dev` loader; keys by the CLI and admin API
  people: ['select', 'insert', 'update'],
  teams: ['select', 'insert', 'update'],
  team_members: ['select', 'insert', 'delete'],
  budgets: ['select', 'insert', 'update'],
  model_policies: ['select', 'insert', 'update'],
  api_keys: ['select', 'insert', 'update (revoked_at)'],
  // a team's service accounts, from its YAML (0017); never deleted
  service_accounts: ['select', 'insert', 'update (description, job_level, active, updated_at)'],
  // who changed what (0016): appended by the admin API, the portal and `stipend keys`, never changed
  audit_log: ['select', 'insert'],
  // directory groups (SCIM Groups), written by the admin process's SCIM server; no history hangs on them
  directory_groups: ['select', 'insert', 'update', 'delete'],
  directory_group_members: ['select', 'insert', 'delete'],
  // money and the ledger: functions only. `stipend alerts` opens the current period's
  // wallets of everyone in the policy (src/alerts/open-wallets.ts): it may create a wallet
  // and set an unused one's limit, never touch what was spent or reserved.
  wallets: ['select', 'insert (budget_id, owner, period_start, period_end, limit_nanos, hard)', 'update (limit_nanos, hard)'],
  reservations: ['select'],
  ledger_head: ['select'],
  usage_events: ['select'],
  rate_windows: ['select'],
  // signed chain heads: appended by `stipend audit checkpoint --store`, never changed
  ledger_checkpoints: ['select', 'insert'],
  // threshold and exhausted alerts come from the ledger functions; forecasts, anomalies and
  // the finance fan-out from `stipend alerts`; the dispatcher moves deliveries along
  budget_alerts: ['select', 'insert', 'update (finance_fanned_out)'],
  alert_deliveries: ['select', 'insert', 'update (status, attempts, next_attempt_at, last_error, sent_at)'],
  monthly_reports: ['select', 'insert'],
  // closed months' books: written once by the close (`report close`/`monthly`, the admin API), never changed
  period_closes: ['select', 'insert'],
  period_close_files: ['select', 'insert'],
  monthly_report_deliveries: ['select', 'insert', 'update (status, attempts, next_attempt_at, last_error, sent_at)'],
  // the migrator's own bookkeeping
  kysely_migration: [],
  kysely_migration_lock: [],
};
