/**
 * Restore testing (issue 17 item 4): off by default; when on, a plan over the destination vault
 * (LATEST_WITHIN_WINDOW), a selection by the backup plan's tag with the Aurora overrides, and a role
 * only AWS Backup of this account may assume. A missing DB subnet group is refused by name.
 */
import { ConfigError, parseConfig } from "../../stacks/config";
import { ALL_OPTIONS, BACKUP_ACCOUNT, runVariant, variant } from "../../tools/variants";
import { StackRun, ofType, one, policyOf, runStack } from "../../tools/harness";

const PLAN = "aws:backup/restoreTestingPlan:RestoreTestingPlan";
const SELECTION = "aws:backup/restoreTestingSelection:RestoreTestingSelection";

test("off by default: no restore testing plan in either stack", async () => {
  for (const stack of ["cn-northwest-1", "cn-north-1"]) {
    const run = await runStack(stack);
    expect(ofType(run, PLAN)).toHaveLength(0);
    expect(ofType(run, SELECTION)).toHaveLength(0);
  }
});

describe.each([false, true])("on (every option on, preview: %s)", (preview) => {
  let run: StackRun;
  beforeAll(async () => {
    run = await runVariant("cn-northwest-1", variant(ALL_OPTIONS), { preview });
  });

  test("the plan restores the latest recovery point of the destination vault on the schedule", () => {
    const plan = one(run, PLAN, "restore-testing-plan");
    const vault = one(run, "aws:backup/vault:Vault", "backup-events-vault");
    expect(plan.region).toBe("cn-northwest-1");
    expect(plan.inputs.scheduleExpression).toBe("cron(0 20 ? * SAT *)");
    expect(plan.inputs.startWindowHours).toBe(24);
    const { includeVaults, ...selection } = plan.inputs.recoveryPointSelection;
    expect(selection).toEqual({ algorithm: "LATEST_WITHIN_WINDOW", recoveryPointTypes: ["SNAPSHOT"], selectionWindowDays: 30 });
    expect(includeVaults).toHaveLength(1);
    // In preview the new vault's ARN is unknown; in update it is the destination vault's.
    if (!preview) {
      expect(includeVaults).toEqual([vault.state.arn]);
      expect(String(vault.state.arn)).toMatch(/^arn:aws-cn:backup:cn-northwest-1:210987654321:backup-vault:/);
    }
  });

  test("the selection restores Aurora clusters with the backup plan's tag into the given subnet group", () => {
    const sel = one(run, SELECTION, "restore-testing-selection");
    expect(sel.inputs.protectedResourceType).toBe("Aurora");
    expect(sel.inputs.protectedResourceArns).toBeUndefined(); // exactly one of ARNs and conditions (provider)
    expect(sel.inputs.protectedResourceConditions).toEqual({ stringEquals: [{ key: "aws:ResourceTag/cn-log-backup:backup", value: "daily" }] });
    expect(sel.inputs.restoreMetadataOverrides).toEqual({ dbSubnetGroupName: "cn-log-backup-restore-test", vpcSecurityGroupIds: '["sg-0123456789abcdef0"]' });
    expect(sel.inputs.validationWindowHours).toBe(24);
    const role = one(run, "aws:iam/role:Role", "restore-testing-role");
    if (!preview) expect(sel.inputs.iamRoleArn).toBe(role.state.arn);
  });

  test("the role is trusted by AWS Backup of the backup account only", () => {
    const role = one(run, "aws:iam/role:Role", "restore-testing-role");
    const [st] = policyOf(role, "assumeRolePolicy").Statement;
    expect(st.Effect).toBe("Allow");
    expect(st.Action).toBe("sts:AssumeRole");
    expect(st.Principal).toEqual({ Service: "backup.amazonaws.com" });
    expect(st.Condition).toEqual({ StringEquals: { "aws:SourceAccount": BACKUP_ACCOUNT } });
    const attached = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.name.startsWith("restore-testing-role"));
    expect(attached.map((a) => a.inputs.policyArn)).toEqual(["arn:aws-cn:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"]);
  });
});

test("the primary stack builds no restore testing even when it is on", async () => {
  const run = await runVariant("cn-north-1", variant(ALL_OPTIONS));
  expect(ofType(run, PLAN)).toHaveLength(0);
});

test("Aurora without a DB subnet group is refused, naming the key", () => {
  const all = {
    "aws:region": "cn-northwest-1",
    "cn-log-backup:backupEvents": JSON.stringify({ restoreTesting: true }),
  };
  let err: unknown;
  try {
    parseConfig(all, "cn-northwest-1");
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as Error).message).toContain("cn-log-backup:backupEvents.restoreTestingDbSubnetGroupName: is required when restoreTesting is on for Aurora");
  expect(() =>
    parseConfig({ ...all, "cn-log-backup:backupEvents": JSON.stringify({ restoreTesting: true, restoreTestingResourceType: "DynamoDB" }) }, "cn-northwest-1"),
  ).not.toThrow();
});
