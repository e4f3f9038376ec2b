// Runs the BambooHR stand-in on its own: `node src/mock-provider/bamboohr/main.ts`.
// Env: BAMBOOHR_PORT (8789; 0 = ephemeral), BAMBOOHR_DOMAIN (acme), BAMBOOHR_EMPLOYEES (25,
// generated, with a custom job-level field 4047 holding L2…L6). Prints the URL and the API key.
import { generateEmployees } from './bamboohr-employees.ts';
import { startBambooHrStandIn, TEST_BAMBOOHR_API_KEY } from './bamboohr-stand-in.ts';

const count = Number(process.env.BAMBOOHR_EMPLOYEES ?? 25);
const standIn = await startBambooHrStandIn({
  port: Number(process.env.BAMBOOHR_PORT ?? 8789),
  companyDomain: process.env.BAMBOOHR_DOMAIN || 'acme',
  employees: generateEmployees(Number.isInteger(count) && count >= 0 ? count : 25, { jobLevelFieldId: '4047' }),
  customFields: [{ id: '4047', alias: 'customJobLevel', name: 'Job Level', type: 'list' }],
});
process.stdout.write(`BambooHR stand-in listening on ${standIn.url} (company ${standIn.companyDomain}, API key ${TEST_BAMBOOHR_API_KEY})\n`);
const stop = () => void standIn.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
