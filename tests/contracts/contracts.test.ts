/**
 * Every service-interaction contract (./contract.ts) in both stacks of every variant: each request
 * an AWS service makes on its own behalf is allowed by the policies AWS evaluates for it, and the
 * same request from another account, and from each other source the entry lists, is denied.
 */
import { decideCore } from "../helpers/iam-sim-core";
import { ACCOUNT_ID } from "../../tools/mocks";
import { StackRun, runStack } from "../../tools/harness";
import { ALL_OPTIONS, VARIANTS, Variant, variant } from "../../tools/variants";
import { Contract, OTHER_ACCOUNT, ServiceRequest, World } from "./contract";
import { backup } from "./backup";
import { cloudtrail } from "./cloudtrail";
import { cloudwatch } from "./cloudwatch";
import { ec2 } from "./ec2";
import { events } from "./events";
import { firehose } from "./firehose";
import { flowLogs } from "./flow-logs";
import { logs } from "./logs";
import { rdsExports } from "./rds-exports";
import { s3Replication } from "./s3-replication";
import { s3Inventory } from "./s3-inventory";
import { athena } from "./athena";
import { athenaSearch } from "./athena-search";
import { scheduler } from "./scheduler";

const CONTRACTS: Contract[] = [
  scheduler,
  events,
  cloudwatch,
  logs,
  firehose,
  flowLogs,
  cloudtrail,
  s3Replication,
  s3Inventory,
  athena,
  athenaSearch,
  backup,
  rdsExports,
  ec2,
];
/** The stack name the primary reads when the variant does not set backupStackName. */
const DEFAULT_BACKUP_STACK = "organization/cn-log-backup/cn-northwest-1";

/**
 * The cross-account deployment of ALL_OPTIONS with the vaults and keys made here rather than
 * brought, so that the key and vault policies this program writes are evaluated across accounts.
 */
function keysMadeHere(): Variant {
  const base = variant(ALL_OPTIONS);
  const be = { ...(base.config!.backupEvents as Record<string, unknown>) };
  for (const k of ["sourceVaultArn", "sourceVaultKmsKeyArn", "destinationVaultKmsKeyArn"]) delete be[k];
  return { name: `${ALL_OPTIONS}, vaults and keys made here`, config: { ...base.config, backupEvents: be } };
}
const WORLDS: Variant[] = [...VARIANTS, keysMadeHere()];

/** The pair of a variant, each stack file in the role its config gives it (the reverse direction swaps them). */
async function world(variant: Variant): Promise<World> {
  const primaryRegion = String(variant.config?.primaryRegion ?? "cn-north-1");
  const backupRegion = String(variant.config?.backupRegion ?? "cn-northwest-1");
  const backupStackName = String(variant.config?.backupStackName ?? DEFAULT_BACKUP_STACK);
  const backupRun: StackRun = await runStack(backupRegion, { config: variant.config });
  const primary: StackRun = await runStack(primaryRegion, { config: variant.config, stackOutputs: { [backupStackName]: backupRun.outputs } });
  expect([primary.outputs.role, backupRun.outputs.role]).toEqual(["primary", "backup"]);
  return {
    variant: variant.name,
    primary,
    backup: backupRun,
    primaryAccount: ACCOUNT_ID,
    backupAccount: String(backupRun.outputs.accountId),
    primaryRegion,
    backupRegion,
  };
}

function withContext(base: Record<string, string | string[]>, changes: Record<string, string | string[] | undefined>) {
  const out: Record<string, string | string[]> = { ...base };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** The request made from another account: every account id of the world in the caller and the context replaced. */
function fromAnotherAccount(w: World, r: ServiceRequest): { principal: string; context: Record<string, string | string[]> } {
  const swap = (s: string) => s.split(w.primaryAccount).join(OTHER_ACCOUNT).split(w.backupAccount).join(OTHER_ACCOUNT);
  const context: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(r.sends)) context[k] = Array.isArray(v) ? v.map(swap) : swap(v);
  return { principal: swap(r.principal), context };
}

async function check(w: World, r: ServiceRequest): Promise<string[]> {
  const problems: string[] = [];
  const where = `[${r.title}] ${r.principal} ${r.action} ${r.resource} (${r.source})`;
  const sentAnyway = r.doesNotSend.filter((k) => k in r.sends);
  if (sentAnyway.length > 0) problems.push(`${where}: the contract sends ${sentAnyway.join(", ")}, which it says the service does not send`);
  const base = {
    action: r.action,
    resource: r.resource,
    resourceAccount: r.resourceAccount,
    identityPolicies: r.identityPolicies,
    resourcePolicy: r.resourcePolicy,
  };
  const allowed = await decideCore({ ...base, principal: r.principal, context: r.sends });
  if (allowed !== "Allowed") problems.push(`${where}: ${allowed}, expected Allowed`);
  const foreign = fromAnotherAccount(w, r);
  if (foreign.principal === r.principal && JSON.stringify(foreign.context) === JSON.stringify(r.sends)) {
    if (!r.noAccountInRequest)
      problems.push(`${where}: the request carries no account, so no policy can refuse another account's (say why in noAccountInRequest)`);
  } else {
    const d = await decideCore({ ...base, ...foreign });
    if (d === "Allowed") problems.push(`${where}: allowed from account ${OTHER_ACCOUNT} too`);
  }
  for (const other of r.alsoDenied ?? []) {
    const d = await decideCore({
      ...base,
      principal: other.principal ?? r.principal,
      resource: other.resource ?? r.resource,
      context: withContext(r.sends, other.context ?? {}),
    });
    if (d === "Allowed") problems.push(`${where}: allowed ${other.why}`);
  }
  return problems;
}

const counts = new Map<string, number>();

describe.each(WORLDS.map((v) => [v.name, v] as const))("service contracts [%s]", (_name, v) => {
  let w: World;
  beforeAll(async () => {
    w = await world(v);
  }, 300000);

  test.each(CONTRACTS.map((c) => [c.service, c] as const))("%s: what AWS does is allowed, from elsewhere denied", async (_service, contract) => {
    const requests = contract.requests(w);
    counts.set(contract.service, (counts.get(contract.service) ?? 0) + requests.length);
    const problems: string[] = [];
    for (const r of requests) problems.push(...(await check(w, r)));
    expect(problems).toEqual([]);
  });
});

describe("service contracts: coverage", () => {
  test("every contract found requests to check in some variant", () => {
    for (const c of CONTRACTS) expect([c.service, counts.get(c.service) ?? 0]).not.toEqual([c.service, 0]);
  });
});
