/**
 * The archive's one list of prefixes and writers (infra/log-archive/prefixes.ts): directly, and
 * against the deployed stacks. A prefix written by something (a delivery destination, or an
 * s3:PutObject grant on the archive in any policy of the stack) must be in the list, with a
 * lifecycle rule and a grant of the kind the list names; every writer the list names must be found.
 */
import * as pulumi from "@pulumi/pulumi";
import { one, ofType, outputValue, policyOf, runStack, useMocks } from "../../helpers/pulumi";
import type { StackRun } from "../../../tools/harness";
import { ARCHIVE_LAYOUT, ARCHIVE_PREFIXES, BUCKET_GRANT_ORDER, KEY_GRANT_ORDER, STATE_PREFIX, lifecycleRules } from "../../../infra/log-archive";
import { archiveBucketGrants, archiveKeyGrants } from "../../../infra/log-archive/prefixes";
import { LOG_ARCHIVE_PREFIX_KEYS } from "../../../stacks/config";

const lifecycle = {
  expirationDays: 400,
  infrequentAccessDays: 30,
  glacierDays: 90,
  noncurrentVersionExpirationDays: 90,
  abortIncompleteMultipartUploadDays: 7,
};

describe("ARCHIVE_LAYOUT, directly", () => {
  test("every prefix gets exactly one lifecycle rule, in the list's order, then the whole-bucket rules", () => {
    const rules = lifecycleRules({ ...lifecycle, prefixExpirationDays: { "flow-logs/": 200 } }, "archive");
    expect(rules.map((r) => (r.filter as { prefix: string }).prefix)).toEqual([...ARCHIVE_LAYOUT.map((p) => p.prefix), "", ""]);
    expect(rules.find((r) => r.id === "flow-logs")!.expiration).toEqual({ days: 200 });
    const state = rules.find((r) => r.id === "state")!;
    expect(state.expiration).toBeUndefined();
    expect(state.transitions).toBeUndefined();
    expect(ARCHIVE_PREFIXES).not.toContain(STATE_PREFIX);
  });

  test("every prefix config can set a retention for (logArchive.prefixRetentionDays) is a tiered prefix of the layout", () => {
    for (const k of LOG_ARCHIVE_PREFIX_KEYS) expect(ARCHIVE_PREFIXES).toContain(`${k}/`);
  });

  test("every resource-policy writer is in both grant orders, and nothing else is", () => {
    const resourcePolicy = ARCHIVE_LAYOUT.filter((p) => p.writers.some((w) => w.grant.kind === "resource-policy")).map((p) => p.prefix);
    expect([...BUCKET_GRANT_ORDER].sort()).toEqual([...resourcePolicy].sort());
    expect([...KEY_GRANT_ORDER].sort()).toEqual([...resourcePolicy].sort());
  });

  test("each resource-policy writer's bucket grant writes its own prefix only, and its key grant names the same principal", async () => {
    await useMocks("cn-north-1");
    const parent = new pulumi.ComponentResource("test:index:Parent", "p");
    const c = {
      bucketArn: "arn:aws-cn:s3:::archive",
      bucketLogicalName: "la-archive",
      accountId: "123456789012",
      region: "cn-north-1",
      trailArn: "arn:aws-cn:cloudtrail:cn-north-1:123456789012:trail/t",
      parent,
    };
    let checked = 0;
    for (const p of ARCHIVE_LAYOUT) {
      for (const w of p.writers) {
        if (w.grant.kind !== "resource-policy") continue;
        const bucket = await outputValue(pulumi.output(w.grant.bucket(c) as any) as pulumi.Output<any[]>);
        const key = await outputValue(pulumi.output(w.grant.key(c) as any) as pulumi.Output<any[]>);
        const writes = bucket.filter((s) => [].concat(s.Action).includes("s3:PutObject" as never));
        expect(writes.length).toBeGreaterThan(0);
        for (const s of writes) for (const r of [].concat(s.Resource)) expect(r).toMatch(new RegExp(`^arn:aws-cn:s3:::archive/${p.prefix}`));
        for (const s of writes)
          expect(
            key.some((k) => JSON.stringify(k.Principal) === JSON.stringify(s.Principal) && /kms:(GenerateDataKey|Encrypt)/.test(JSON.stringify(k.Action))),
          ).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(BUCKET_GRANT_ORDER.length);
    // With every switch off, only the always-admitted writers remain (flow logs).
    const off = { cloudTrail: false, exportTasks: false, backupReports: false, inventory: false };
    expect(archiveBucketGrants(off, c).map((s) => s.Sid)).toEqual(["FlowLogsDeliveryChecksBucket", "FlowLogsDeliveryWrites"]);
    expect(archiveKeyGrants(off, c).map((s) => s.Sid)).toEqual(["FlowLogsDeliveryEncrypts"]);
  });
});

/** `<prefix>/` of an object ARN or key under the archive, or the whole remainder when it has no `/` (a writer of no prefix). */
function prefixOf(rest: string): string {
  const i = rest.indexOf("/");
  return i < 0 ? rest : rest.slice(0, i + 1);
}

interface Found {
  prefix: string;
  kind: "resource-policy" | "identity-policy" | "destination";
  where: string;
}

/** Every place the stack writes into the archive, by prefix. */
function writersIn(run: StackRun): { found: Found[]; lifecyclePrefixes: string[] } {
  const bucket = one(run, "aws:s3/bucket:Bucket", "log-archive-archive");
  const arnPrefix = `${bucket.state.arn}/`;
  const found: Found[] = [];
  const puts = (s: any) => s.Effect === "Allow" && [].concat(s.Action ?? []).some((a: string) => /^s3:PutObject\*?$/.test(a));
  const objectsOf = (s: any) => ([] as string[]).concat(s.Resource ?? []).filter((r) => typeof r === "string" && r.startsWith(arnPrefix));
  for (const s of policyOf(one(run, "aws:s3/bucketPolicy:BucketPolicy", "log-archive-archive-policy")).Statement.filter(puts)) {
    for (const r of objectsOf(s)) found.push({ prefix: prefixOf(r.slice(arnPrefix.length)), kind: "resource-policy", where: `bucket policy ${s.Sid}` });
  }
  for (const rp of [...ofType(run, "aws:iam/rolePolicy:RolePolicy"), ...ofType(run, "aws:iam/policy:Policy")]) {
    for (const s of policyOf(rp).Statement.filter(puts)) {
      for (const r of objectsOf(s)) found.push({ prefix: prefixOf(r.slice(arnPrefix.length)), kind: "identity-policy", where: `${rp.name} ${s.Sid}` });
    }
  }
  const dest = (prefix: string, where: string) => found.push({ prefix: prefixOf(prefix.endsWith("/") ? prefix : `${prefix}/`), kind: "destination", where });
  for (const f of ofType(run, "aws:ec2/flowLog:FlowLog")) dest(String(f.inputs.logDestination).slice(arnPrefix.length), f.name);
  for (const t of ofType(run, "aws:cloudtrail/trail:Trail")) dest(t.inputs.s3KeyPrefix, t.name);
  for (const d of ofType(run, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream")) {
    dest(d.inputs.extendedS3Configuration.prefix, d.name);
    dest(d.inputs.extendedS3Configuration.errorOutputPrefix, `${d.name} errors`);
  }
  for (const p of ofType(run, "aws:backup/reportPlan:ReportPlan")) dest(p.inputs.reportDeliveryChannel.s3KeyPrefix, p.name);
  for (const i of ofType(run, "aws:s3/inventory:Inventory").filter((x) => x.inputs.destination.bucket.bucketArn === bucket.state.arn))
    dest(i.inputs.destination.bucket.prefix, i.name);
  const lc = one(run, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "log-archive-archive-lifecycle");
  const lifecyclePrefixes = lc.inputs.rules.map((r: any) => r.filter?.prefix).filter((p: string) => p);
  return { found, lifecyclePrefixes };
}

describe("ARCHIVE_LAYOUT against the deployed primary stack (both CloudWatch Logs modes, every archive writer on)", () => {
  let found: Found[] = [];
  let lifecyclePrefixes: string[][] = [];
  beforeAll(async () => {
    const on = {
      logArchive: { inventory: true, completeness: true, archiveSearch: true },
      backupEvents: { auditFramework: true, configRecorderExists: true, snapshotExport: true },
    };
    const runs = [
      await runStack("cn-north-1", { config: on }),
      await runStack("cn-north-1", { config: { ...on, logArchive: { ...on.logArchive, cloudWatchLogsMode: "exportTask" } } }),
    ];
    const w = runs.map(writersIn);
    found = w.flatMap((x) => x.found);
    lifecyclePrefixes = w.map((x) => x.lifecyclePrefixes);
  });

  test("every prefix something writes is in the layout, with its lifecycle rule and a grant of the kind the layout names", () => {
    expect(found.length).toBeGreaterThan(10);
    for (const f of found) {
      const p = ARCHIVE_LAYOUT.find((x) => x.prefix === f.prefix);
      if (!p) throw new Error(`${f.where} writes ${f.prefix} of the archive, which ARCHIVE_LAYOUT does not list (no lifecycle, no writer)`);
      for (const prefixes of lifecyclePrefixes) expect(prefixes).toContain(f.prefix);
      if (f.kind === "destination") {
        const granted = found.some((g) => g.prefix === f.prefix && g.kind !== "destination");
        if (!granted) throw new Error(`${f.where} delivers into ${f.prefix}, which no bucket or role policy lets anyone write`);
      } else if (!p.writers.some((w) => w.grant.kind === f.kind)) {
        throw new Error(`${f.where} grants ${f.prefix} by ${f.kind}, which ARCHIVE_LAYOUT does not name for that prefix`);
      }
    }
  });

  test("every writer the layout names is granted in one of the stacks", () => {
    for (const p of ARCHIVE_LAYOUT) {
      for (const w of p.writers) {
        if (!found.some((f) => f.prefix === p.prefix && f.kind === w.grant.kind))
          throw new Error(`${w.writer} (${p.prefix}, ${w.grant.kind}) has no grant in the deployed stack`);
      }
    }
  });
});
