import * as fs from "fs";
import * as path from "path";
import type { BackupEvent } from "../../../functions/backup-events/events";

export const ACCOUNT = "123456789012";
export const SOURCE_VAULT_ARN = `arn:aws-cn:backup:cn-north-1:${ACCOUNT}:backup-vault:cn-log-backup-source`;
export const DEST_VAULT_ARN = `arn:aws-cn:backup:cn-northwest-1:${ACCOUNT}:backup-vault:cn-log-backup-dr`;
export const COPY_ROLE_ARN = `arn:aws-cn:iam::${ACCOUNT}:role/cn-log-backup-copy`;
export const RECOVERY_POINT_ARN = `arn:aws-cn:backup:cn-north-1:${ACCOUNT}:recovery-point:f1d966fe-a3bd-410b-b292-99f442d13b56`;

/** A fresh copy of a fixture event from tests/fixtures/backup-events/. */
export function loadEvent(name: string): BackupEvent<any> {
  const file = path.join(__dirname, "..", "..", "fixtures", "backup-events", `${name}.json`);
  return JSON.parse(fs.readFileSync(file, "utf8"));
}
