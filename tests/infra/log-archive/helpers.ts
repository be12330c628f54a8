/** Shared by the LogArchive tests (tests/infra/log-archive/*.test.ts): the stacks they read and statement lookups. */
import { ACCOUNT_ID, one, policyOf, runStack } from "../../helpers/pulumi";
import type { StackRun } from "../../../tools/harness";
import type { ResourceRecord } from "../../../tools/types";

export const REPLICATION_ROLE_ARN = `arn:aws-cn:iam::${ACCOUNT_ID}:role/cn-log-backup-archive-replication-cn-north-1`;
export const ROOT = `arn:aws-cn:iam::${ACCOUNT_ID}:root`;

export const stmt = (r: ResourceRecord, sid: string, key = "policy") => {
  const s = policyOf(r, key).Statement.find((x: any) => x.Sid === sid);
  if (!s) throw new Error(`${r.name}: no statement ${sid} in ${JSON.stringify(policyOf(r, key).Statement.map((x: any) => x.Sid))}`);
  return s;
};
export const byName = (run: StackRun, type: string, name: string) => one(run, type, name);

/** The primary stack the primary-region tests read (with the default backup stack). */
export async function primaryStacks(): Promise<{ run: StackRun; backup: StackRun }> {
  const backup = await runStack("cn-northwest-1");
  const run = await runStack("cn-north-1", {
    config: {
      logArchive: {
        archiveRetentionDays: 400,
        prefixRetentionDays: { "flow-logs": 200, cloudtrail: 2000 },
        logGroupPatterns: ["/aws/rds/cluster/", "/ec2/"],
        flowLogVpcIds: ["vpc-0123456789abcdef0", "vpc-89abcdef"],
        ec2LogFiles: [{ filePath: "/var/log/app/*.log", logGroupName: "/ec2/app" }],
        rdsLogGroups: [{ clusterName: "orders", logTypes: ["audit", "error"] }],
      },
    },
  });
  return { run, backup };
}
