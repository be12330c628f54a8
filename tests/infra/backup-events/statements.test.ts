/** BackupEvents' pure statement builders and derived numbers, tested directly (no stacks, no mocks). */
import {
  auditRetentionDays,
  copyRoleStatements,
  exportRoleStatements,
  vaultAccessStatements,
  vaultKeyStatements,
  vaultNameOfArn,
} from "../../../infra/backup-events/statements";

const VIA = ["backup.cn-northwest-1.amazonaws.com.cn", "rds.cn-northwest-1.amazonaws.com.cn"];
const ADMIN = "arn:aws-cn:iam::210987654321:role/backup-admin";
const OTHER_ROOT = "arn:aws-cn:iam::111122223333:root";

describe("vaultAccessStatements", () => {
  test("denies deleting and shortening to everyone when no admin role is configured, and admits nobody to copy in within one account", () => {
    expect(vaultAccessStatements([], [])).toEqual([
      {
        Sid: "DenyDeletingOrShorteningRecoveryPoints",
        Effect: "Deny",
        Principal: "*",
        Action: ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"],
        Resource: "*",
      },
    ]);
  });

  test("exempts the admin roles by ArnNotLike, and lets only the other accounts' roots copy in", () => {
    const [deny, copyIn, ...rest] = vaultAccessStatements([ADMIN], [OTHER_ROOT]);
    expect(deny.Condition).toEqual({ ArnNotLike: { "aws:PrincipalArn": [ADMIN] } });
    expect(copyIn).toEqual({
      Sid: "SourceAccountsCopyIn",
      Effect: "Allow",
      Principal: { AWS: [OTHER_ROOT] },
      Action: ["backup:CopyIntoBackupVault"],
      Resource: "*",
    });
    expect(rest).toEqual([]);
  });
});

describe("vaultKeyStatements", () => {
  test("key use and grants only through AWS Backup or RDS, only for the admitted accounts; grants only for AWS resources", () => {
    const [use, grants] = vaultKeyStatements([OTHER_ROOT], ["111122223333"], VIA);
    expect(use.Principal).toEqual({ AWS: [OTHER_ROOT] });
    expect(use.Action).toEqual(["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]);
    expect(use.Condition).toEqual({ StringEquals: { "kms:ViaService": VIA, "kms:CallerAccount": ["111122223333"] } });
    expect(grants.Action).toEqual(["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"]);
    expect(grants.Condition).toEqual({
      StringEquals: { "kms:ViaService": VIA, "kms:CallerAccount": ["111122223333"] },
      Bool: { "kms:GrantIsForAWSResource": true },
    });
  });
});

describe("copyRoleStatements", () => {
  test("copy into the destination vault only; the given keys only through the given services", () => {
    const dest = "arn:aws-cn:backup:cn-northwest-1:123456789012:backup-vault:dr";
    const keys = ["arn:aws-cn:kms:cn-north-1:123456789012:key/a", "arn:aws-cn:kms:cn-northwest-1:123456789012:key/b"];
    const [copy, use, grant] = copyRoleStatements(dest, keys, VIA);
    expect(copy).toEqual({ Sid: "CopyIntoTheDestinationVault", Effect: "Allow", Action: ["backup:CopyIntoBackupVault"], Resource: [dest] });
    expect(use.Resource).toEqual(keys);
    expect(use.Condition).toEqual({ StringEquals: { "kms:ViaService": VIA } });
    expect(grant.Action).toEqual(["kms:CreateGrant"]);
    expect(grant.Condition).toEqual({ StringEquals: { "kms:ViaService": VIA }, Bool: { "kms:GrantIsForAWSResource": true } });
  });
});

describe("exportRoleStatements", () => {
  test("lists the bucket, writes only the exports ARN, and lets RDS take grants on the archive key only through RDS", () => {
    const s = exportRoleStatements({
      bucketArn: "arn:aws-cn:s3:::b",
      exportsArn: "arn:aws-cn:s3:::b/exports/*",
      keyArn: "k",
      rdsVia: "rds.cn-north-1.amazonaws.com.cn",
    });
    expect(s.map((x) => x.Sid)).toEqual(["LocateTheBucket", "WriteExports", "EncryptWithTheArchiveKey", "GrantsOnTheArchiveKeyForRds"]);
    expect(s[0].Resource).toEqual(["arn:aws-cn:s3:::b"]);
    expect(s[1]).toMatchObject({ Action: ["s3:PutObject*", "s3:GetObject*", "s3:DeleteObject*"], Resource: ["arn:aws-cn:s3:::b/exports/*"] });
    expect(s[3].Condition).toEqual({ StringEquals: { "kms:ViaService": "rds.cn-north-1.amazonaws.com.cn" }, Bool: { "kms:GrantIsForAWSResource": true } });
  });
});

describe("auditRetentionDays", () => {
  test.each([
    [35, 7, 8],
    [5, 7, 5],
    [8, 7, 8],
    [120, 1, 2],
  ])("plan %i days, kept %i days after copy: the controls require %i", (deleteAfterDays, retainAfterCopyDays, expected) => {
    expect(auditRetentionDays(deleteAfterDays, retainAfterCopyDays)).toBe(expected);
  });
});

describe("vaultNameOfArn", () => {
  test("the name after :backup-vault:, or undefined for anything else", () => {
    expect(vaultNameOfArn("arn:aws-cn:backup:cn-north-1:123456789012:backup-vault:cn-log-backup-source")).toBe("cn-log-backup-source");
    expect(vaultNameOfArn("cn-log-backup-source")).toBeUndefined();
    expect(vaultNameOfArn("arn:aws-cn:backup:cn-north-1:123456789012:backup-vault:")).toBeUndefined();
  });
});
