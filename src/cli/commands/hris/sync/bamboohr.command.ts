import { hrisEnvSchema } from '../../../../config/hris-config.schema.ts';
import { parseEnv } from '../../../../reports/parse-env.ts';
import { CliError, CommandFailed } from '../../../cli-error.ts';
import { defineCommand } from '../../../command.ts';
import { DATA_DIR_OPTION } from '../../../database-option.ts';

/** "25" or "20%". */
function leaverLimit(text: string): { readonly count: number } | { readonly percent: number } {
  const m = /^(\d{1,9})(%?)$/.exec(text.trim());
  if (!m || (m[2] === '%' && Number(m[1]) > 100)) throw new CliError(`hris sync bamboohr: --max-leavers must be a number of people or a percentage up to 100% (got '${text}') (see 'stipend hris sync bamboohr --help')`);
  return m[2] === '%' ? { percent: Number(m[1]) } : { count: Number(m[1]) };
}

export const hrisSyncBambooHrCommand = defineCommand({
  name: 'bamboohr',
  summary: "pull BambooHR's employees and apply joiners, movers and leavers (people from other sources untouched)",
  options: {
    'dry-run': { type: 'boolean', description: 'print the joiners, movers and leavers a run would apply, and change nothing' },
    from: { type: 'string', value: 'SOURCE', choices: ['report', 'directory'], default: 'report', description: "report: a custom report of every employee, Active and Inactive (status, termination date, supervisor, custom fields); directory: the company directory (active employees only, no custom fields; companies may turn it off)" },
    'max-leavers': { type: 'string', value: 'N|P%', default: '20%', description: 'stop, changing nothing, when more people would leave in one run (a percentage of the active people from BambooHR, never fewer than 10; or a number)' },
    ...DATA_DIR_OPTION,
  },
  details: `environment:
  STIPEND_BAMBOOHR_SUBDOMAIN          the company: acme for acme.bamboohr.com
  STIPEND_BAMBOOHR_API_KEY            an API key (BambooHR: your name → API Keys); or
  STIPEND_BAMBOOHR_API_KEY_FILE       a file holding it (a mounted Secret)
  STIPEND_BAMBOOHR_JOB_LEVEL_FIELD    the field that gives the job level: a name (jobTitle) or a custom field id (4047)
  STIPEND_BAMBOOHR_JOB_LEVEL_MAP      JSON: field value -> level, e.g. {"Staff Engineer":6}; without it the
                                      first integer of the value ("L6" -> 6)
  STIPEND_BAMBOOHR_COST_CENTER_FIELD  the field that gives the cost center (e.g. a custom field id)
  STIPEND_BAMBOOHR_BASE_URL           default https://api.bamboohr.com
  STIPEND_BAMBOOHR_TIMEOUT_MS, STIPEND_BAMBOOHR_MAX_ATTEMPTS, STIPEND_BAMBOOHR_MAX_RETRY_AFTER_SECONDS
                                      per-request timeout (60000), attempts when BambooHR throttles or fails (5),
                                      longest Retry-After honoured (120)
  STIPEND_DATABASE_URL                postgres://user:pass@host:5432/db (unless --data-dir is given)

Everything is fetched and checked before anything is written, then applied in one transaction:
an API error (bad key, throttling that does not end, BambooHR failing, a malformed answer)
changes nothing and exits 1 with one line. People who came from SCIM or YAML are never made
leavers; a second run with nothing new changes nothing and notifies no gateway.`,
  examples: ['stipend hris sync bamboohr --dry-run', 'STIPEND_BAMBOOHR_SUBDOMAIN=acme STIPEND_BAMBOOHR_API_KEY_FILE=/var/run/bamboohr/api-key stipend hris sync bamboohr'],
  async run(ctx) {
    const env = parseEnv(hrisEnvSchema, ctx.env);
    const maxLeavers = leaverLimit(ctx.values['max-leavers']);
    const [{ bambooHrSettings, BambooHrSettingsError }, { pullBambooHr }, { BambooHrError, realRetryIo }, { syncPeople }, { renderSync }] = await Promise.all([
      import('../../../../identity/hris/bamboohr/bamboohr-settings.ts'),
      import('../../../../identity/hris/bamboohr/bamboohr-sync.ts'),
      import('../../../../identity/hris/bamboohr/bamboohr-client.ts'),
      import('../../../../identity/hris/sync-people.ts'),
      import('../../../../identity/hris/sync-report.ts'),
    ]);
    const settings = await bambooHrSettings(env, ctx.values.from).catch((error: unknown) => {
      throw error instanceof BambooHrSettingsError ? new CommandFailed(error.message) : error;
    });
    // Everything from BambooHR first: a failure here has changed nothing.
    const pull = await pullBambooHr(settings, realRetryIo).catch((error: unknown) => {
      throw error instanceof BambooHrError ? new CommandFailed(`${error.message}; nothing was changed`) : error;
    });
    const handle = await ctx.database('stipend-hris');
    try {
      const outcome = await syncPeople(handle.db, pull, { dryRun: ctx.values['dry-run'], maxLeavers, hrisName: 'BambooHR' });
      const report = renderSync(outcome, `BambooHR ${settings.connection.companyDomain}`);
      ctx.stdout.write(report.stdout);
      ctx.stderr.write(report.stderr);
      if (outcome.blocked) throw new CommandFailed(outcome.blocked);
    } finally {
      await handle.close();
    }
  },
});
