/**
 * IAM simulation (@cloud-copilot/iam-simulate, partition aws-cn) of the roles the program creates:
 * what each must be allowed to do, on the exact resources, and what it must be denied (other log
 * groups, deletes, IAM, KMS administration). The suite fails when a role gains or loses a permission.
 */
import { InlineLambda } from "../../infra/lambda";
import { customerManagedKey, cloudWatchLogsKeyStatement } from "../../infra/kms";
import { STACKS } from "../../tools/harness";
import { ALL_OPTIONS, runVariant, variant } from "../../tools/variants";
import type { ResourceRecord } from "../../tools/types";
import { ACCOUNT_ID, outputValue, settle, useMocks } from "../helpers/pulumi";
import { decide, isAllowed, rolePolicies, PolicyDoc } from "../helpers/iam-sim";

const REGION = "cn-north-1";
const OTHER_ACCOUNT = "210987654321";

describe("the Lambda factory's role (infra/lambda.ts)", () => {
  let records: ResourceRecord[];
  let role: ResourceRecord;
  let identity: Record<string, PolicyDoc>;
  let keyPolicy: PolicyDoc;
  let logGroupArn: string;
  let keyArn: string;
  let roleArn: string;
  const dataBucket = "arn:aws-cn:s3:::audit-archive";

  beforeAll(async () => {
    const mocks = await useMocks(REGION);
    const key = customerManagedKey("logs-key", { description: "test", deletionWindowInDays: 30, statements: [cloudWatchLogsKeyStatement(REGION)] }, {});
    const fn = new InlineLambda("downloader", {
      stack: REGION,
      description: "test function",
      callbackFactory: () => async () => "ok",
      statements: [{ Sid: "WriteAuditLogs", Effect: "Allow", Action: ["s3:PutObject"], Resource: [`${dataBucket}/audit-logs/*`] }],
      logKeyArn: key.arn,
      logRetentionDays: 365,
    });
    await outputValue(fn.arn);
    await settle();
    records = mocks.resources;
    role = records.find((r) => r.type === "aws:iam/role:Role" && r.name === "downloader-role")!;
    const logGroup = records.find((r) => r.type === "aws:cloudwatch/logGroup:LogGroup")!;
    const keyRecord = records.find((r) => r.type === "aws:kms/key:Key")!;
    // The harness fills in URNs and property dependencies; under plain mocks, link by name.
    identity = rolePolicies(records, role).documents;
    keyPolicy = keyRecord.inputs.policy;
    logGroupArn = logGroup.state.arn;
    keyArn = keyRecord.state.arn;
    roleArn = role.state.arn;
  });

  const asRole = (action: string, resource: string, context: Record<string, string> = {}, resourcePolicy?: PolicyDoc) =>
    decide({ identityPolicies: identity, resourcePolicy, request: { principal: roleArn, action, resource, context } });

  test("its identity policies are the factory's inline policy and nothing else", () => {
    expect(Object.keys(identity)).toEqual(["RolePolicy:downloader-policy"]);
    expect(rolePolicies(records, role).managedPolicyArns).toEqual([]);
    expect(logGroupArn).toMatch(/^arn:aws-cn:logs:cn-north-1:\d{12}:log-group:/);
  });

  test("is allowed to write its own log group", async () => {
    expect(await asRole("logs:CreateLogStream", `${logGroupArn}:log-stream:2026/11/22/[$LATEST]abc`)).toBe("Allowed");
    expect(await asRole("logs:PutLogEvents", `${logGroupArn}:log-stream:2026/11/22/[$LATEST]abc`)).toBe("Allowed");
  });

  test("is allowed exactly the statements its caller passed, on the exact resources", async () => {
    expect(await asRole("s3:PutObject", `${dataBucket}/audit-logs/db-1/audit.log`)).toBe("Allowed");
    expect(await asRole("s3:PutObject", `${dataBucket}/cloudtrail/x.json.gz`)).toBe("ImplicitlyDenied");
    expect(await asRole("s3:PutObject", "arn:aws-cn:s3:::another-bucket/audit-logs/x")).toBe("ImplicitlyDenied");
    expect(await asRole("s3:DeleteObject", `${dataBucket}/audit-logs/db-1/audit.log`)).toBe("ImplicitlyDenied");
    expect(await asRole("s3:DeleteBucket", dataBucket)).toBe("ImplicitlyDenied");
  });

  test("is denied other log groups and deleting its own", async () => {
    const other = logGroupArn.replace(/log-group:.*$/, "log-group:/aws/lambda/someone-else");
    expect(await asRole("logs:PutLogEvents", `${other}:log-stream:x`)).toBe("ImplicitlyDenied");
    expect(await asRole("logs:CreateLogStream", `${other}:log-stream:x`)).toBe("ImplicitlyDenied");
    expect(await asRole("logs:DeleteLogGroup", logGroupArn)).toBe("ImplicitlyDenied");
    expect(await asRole("logs:PutRetentionPolicy", logGroupArn)).toBe("ImplicitlyDenied");
  });

  test("is denied IAM", async () => {
    for (const action of ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:PassRole", "iam:UpdateAssumeRolePolicy"]) {
      expect([action, await asRole(action, roleArn)]).toEqual([action, "ImplicitlyDenied"]);
    }
    expect(await asRole("iam:CreateUser", `arn:aws-cn:iam::${ACCOUNT_ID}:user/x`)).toBe("ImplicitlyDenied");
  });

  test("is denied KMS administration and direct use of the log key (the key policy delegates to IAM)", async () => {
    for (const action of ["kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:DisableKey", "kms:CreateGrant", "kms:Decrypt"]) {
      expect([action, await asRole(action, keyArn, {}, keyPolicy)]).toEqual([action, "ImplicitlyDenied"]);
    }
  });

  test("its trust policy lets only Lambda assume it, only for this account", async () => {
    const trust = role.inputs.assumeRolePolicy;
    const assume = (principal: string, context: Record<string, string>) =>
      isAllowed({ resourcePolicy: trust, request: { principal, action: "sts:AssumeRole", resource: roleArn, context } });
    expect(await assume("lambda.amazonaws.com", { "aws:SourceAccount": ACCOUNT_ID })).toBe(true);
    expect(await assume("lambda.amazonaws.com", { "aws:SourceAccount": OTHER_ACCOUNT })).toBe(false);
    expect(await assume("lambda.amazonaws.com", {})).toBe(false);
    expect(await assume("ec2.amazonaws.com.cn", { "aws:SourceAccount": ACCOUNT_ID })).toBe(false);
    expect(await assume(`arn:aws-cn:iam::${OTHER_ACCOUNT}:root`, {})).toBe(false);
  });

  // CloudWatch Logs' use of the log key is guarded by a kms:EncryptionContext:aws:logs:arn
  // condition, which the simulator cannot evaluate (iam-sim refuses; see iam-sim.test.ts). The
  // condition itself is asserted in tests/stacks/stacks.test.ts and by iam-policy-service-principal-confused-deputy.
});

/**
 * Every role in both stacks, of the stack files and of the variant with every option on: denied IAM
 * writes, KMS administration on the stack's keys (and on the keys config brings), and deleting its
 * buckets and vaults (and the vaults config brings). Every role present is simulated; while no component creating roles has
 * landed, "at least one role" is a todo. Clear ROLES_AWAITING_COMPONENTS once they have.
 */
const ROLES_AWAITING_COMPONENTS: string = "";

describe("every role in both stacks", () => {
  let stacks: { stack: string; resources: ResourceRecord[]; broughtKeys: string[]; broughtVaults: string[] }[];
  beforeAll(async () => {
    stacks = [];
    for (const v of [variant("stack files"), variant(ALL_OPTIONS)]) {
      const be = (v.config?.backupEvents ?? {}) as Record<string, string | undefined>;
      const brought = (...keys: string[]) => keys.map((k) => be[k]).filter((x): x is string => x !== undefined);
      for (const stack of STACKS) {
        const primary = stack === "cn-north-1";
        stacks.push({
          stack: `${stack} [${v.name}]`,
          resources: (await runVariant(stack, v)).resources,
          broughtKeys: primary ? brought("sourceVaultKmsKeyArn") : brought("destinationVaultKmsKeyArn"),
          broughtVaults: primary ? brought("sourceVaultArn") : brought("destinationVaultArn"),
        });
      }
    }
    // The variant with every option on brings keys and a vault: they are checked too.
    expect(stacks.flatMap((s) => [...s.broughtKeys, ...s.broughtVaults]).length).toBeGreaterThanOrEqual(3);
  }, 600_000);

  const rolesOf = (resources: ResourceRecord[]) => resources.filter((r) => r.type === "aws:iam/role:Role");

  if (ROLES_AWAITING_COMPONENTS) {
    test.todo(`no role in either stack yet: waiting for ${ROLES_AWAITING_COMPONENTS}`);
    test("ROLES_AWAITING_COMPONENTS says when it has become stale", () => {
      const found = stacks.flatMap((s) => rolesOf(s.resources).map((r) => `${s.stack}: ${r.name}`));
      if (found.length > 0) {
        // The roles are simulated below either way; clearing the flag makes "at least one role" strict.
        console.warn(`the stacks now have roles (${found.join(", ")}): set ROLES_AWAITING_COMPONENTS to "" in tests/policy/iam-roles.test.ts`);
      }
      expect(ROLES_AWAITING_COMPONENTS.length).toBeGreaterThan(0);
    });
  }

  test("are denied IAM writes, KMS administration of the stack's keys, and deleting or reconfiguring the stack's buckets and vaults", async () => {
    let checked = 0;
    const rolesChecked: Record<string, number> = {};
    for (const { stack, resources, broughtKeys, broughtVaults } of stacks) {
      // A brought key's policy is its owner's; the usual one delegates to the account's IAM.
      const delegating = (arn: string) => ({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws-cn:iam::${arn.split(":")[4]}:root` }, Action: "kms:*", Resource: "*" }],
      });
      const keys = [
        ...resources.filter((r) => r.type === "aws:kms/key:Key").map((k) => ({ arn: k.state.arn as string, policy: k.inputs.policy as PolicyDoc })),
        ...broughtKeys.map((arn) => ({ arn, policy: delegating(arn) })),
      ];
      const buckets = resources.filter((r) => r.type === "aws:s3/bucket:Bucket");
      const vaults = [...resources.filter((r) => r.type === "aws:backup/vault:Vault").map((v) => v.state.arn as string), ...broughtVaults];
      for (const role of rolesOf(resources)) {
        const { documents } = rolePolicies(resources, role);
        const as = (action: string, resource: string, resourcePolicy?: PolicyDoc) =>
          decide({ identityPolicies: documents, resourcePolicy, request: { principal: role.state.arn, action, resource } });
        for (const action of ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy"]) {
          expect([stack, role.name, action, await as(action, role.state.arn)]).toEqual([stack, role.name, action, "ImplicitlyDenied"]);
        }
        for (const key of keys) {
          for (const action of ["kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:DisableKey"]) {
            expect([stack, role.name, action, await as(action, key.arn, key.policy)]).toEqual([stack, role.name, action, "ImplicitlyDenied"]);
          }
        }
        for (const bucket of buckets) {
          for (const action of [
            "s3:DeleteBucket",
            "s3:PutBucketPolicy",
            "s3:DeleteBucketPolicy",
            "s3:PutEncryptionConfiguration",
            "s3:PutBucketVersioning",
            "s3:PutLifecycleConfiguration",
          ]) {
            expect([stack, role.name, action, await as(action, bucket.state.arn)]).toEqual([stack, role.name, action, "ImplicitlyDenied"]);
          }
          // Deleting object versions is how ransomware empties a versioned archive.
          const object = `${bucket.state.arn}/cloudwatch/2026/11/22/object`;
          expect([stack, role.name, "s3:DeleteObjectVersion", await as("s3:DeleteObjectVersion", object)]).toEqual([
            stack,
            role.name,
            "s3:DeleteObjectVersion",
            "ImplicitlyDenied",
          ]);
        }
        for (const vault of vaults) {
          for (const action of ["backup:DeleteBackupVault", "backup:PutBackupVaultAccessPolicy", "backup:DeleteBackupVaultLockConfiguration"]) {
            expect([stack, role.name, action, await as(action, vault)]).toEqual([stack, role.name, action, "ImplicitlyDenied"]);
          }
          const point = vault.replace(/backup-vault:.*$/, "recovery-point:abc");
          expect([stack, role.name, "backup:DeleteRecoveryPoint", await as("backup:DeleteRecoveryPoint", point)]).toEqual([
            stack,
            role.name,
            "backup:DeleteRecoveryPoint",
            "ImplicitlyDenied",
          ]);
        }
        checked++;
        rolesChecked[stack] = (rolesChecked[stack] ?? 0) + 1;
      }
    }
    if (!ROLES_AWAITING_COMPONENTS) {
      expect(checked).toBeGreaterThan(0);
      // The options add roles (snapshot export, RDS replication ...), and all are simulated.
      expect(rolesChecked[`cn-north-1 [${ALL_OPTIONS}]`]).toBeGreaterThan(rolesChecked["cn-north-1 [stack files]"]);
    }
  });
});
