/**
 * Issue 12 item 9: the cross-account every-option deployment (Lambdas in the lab VPC) whose trimmed
 * permissions tests/iam/trimmed-permissions.test.ts simulates: the backup stack runs in its own account.
 */
import { one } from "../helpers/pulumi";
import type { StackRun } from "../../tools/harness";
import { ALL_OPTIONS, BACKUP_ACCOUNT, runVariant, variant } from "../../tools/variants";

let backup: StackRun;
beforeAll(async () => {
  backup = await runVariant("cn-northwest-1", variant(ALL_OPTIONS));
}, 300000);

test("the backup stack runs in its own account", () => {
  expect(backup.outputs.accountId).toBe(BACKUP_ACCOUNT);
  expect(one(backup, "aws:s3/bucket:Bucket", "log-archive-replica").state.arn).toMatch(/^arn:aws-cn:s3:::/);
  expect(one(backup, "aws:kms/key:Key", "log-archive-replica-key").state.arn).toContain(`:${BACKUP_ACCOUNT}:key/`);
});
