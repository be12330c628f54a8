/** What the BackupEvents test files share: the stacks' ARNs, the AWS-sample events, and record readers. */
import * as fs from "fs";
import * as path from "path";
import { ACCOUNT_ID } from "../../helpers/pulumi";
import type { StackRun } from "../../../tools/harness";
import type { ResourceRecord } from "../../../tools/types";
import { ofType } from "../../helpers/pulumi";

export const SOURCE_VAULT_ARN = `arn:aws-cn:backup:cn-north-1:${ACCOUNT_ID}:backup-vault:cn-log-backup-source`;
export const DEST_VAULT_ARN = `arn:aws-cn:backup:cn-northwest-1:${ACCOUNT_ID}:backup-vault:cn-log-backup-dr`;
export const RECOVERY_POINT_ARN = `arn:aws-cn:backup:cn-north-1:${ACCOUNT_ID}:recovery-point:f1d966fe-a3bd-410b-b292-99f442d13b56`;
export const BACKUP_STACK = "organization/cn-log-backup/cn-northwest-1";

export function fixture(name: string): any {
  return JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "fixtures", "backup-events", `${name}.json`), "utf8"));
}

export const pattern = (r: ResourceRecord) => JSON.parse(r.inputs.eventPattern);
export const targetOf = (run: StackRun, rule: ResourceRecord) => {
  const t = ofType(run, "aws:cloudwatch/eventTarget:EventTarget").filter((x) => x.inputs.rule === rule.state.name);
  expect(t).toHaveLength(1);
  return t[0];
};
export const stmt = (policy: { Statement: any[] }, sid: string) => {
  const s = policy.Statement.filter((x) => x.Sid === sid);
  expect(s).toHaveLength(1);
  return s[0];
};
