import { accountRootArn, accountRootArns, arn, formatArn, logGroupArn, managedPolicyArn, s3Arn, servicePrincipal, viaService } from "../../infra/partition";
import { ACCOUNT_ID, outputValue, useMocks } from "../helpers/pulumi";
import { servicePrincipalSuffix } from "../../tools/mocks";

describe("infra/partition.ts in aws-cn", () => {
  beforeAll(async () => {
    await useMocks("cn-north-1");
  });

  test("ARNs use the partition the provider reports", async () => {
    expect(await outputValue(arn({ service: "sqs", resource: "q" }))).toBe(`arn:aws-cn:sqs:cn-north-1:${ACCOUNT_ID}:q`);
    expect(await outputValue(s3Arn("archive", "audit-logs/*"))).toBe("arn:aws-cn:s3:::archive/audit-logs/*");
    expect(await outputValue(s3Arn("archive"))).toBe("arn:aws-cn:s3:::archive");
    expect(await outputValue(managedPolicyArn("service-role/AWSBackupServiceRolePolicyForBackup"))).toBe(
      "arn:aws-cn:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    );
    expect(await outputValue(accountRootArn("210987654321"))).toBe("arn:aws-cn:iam::210987654321:root");
    expect(await outputValue(accountRootArns(["210987654321", "111122223333"]))).toEqual([
      "arn:aws-cn:iam::210987654321:root",
      "arn:aws-cn:iam::111122223333:root",
    ]);
    expect(await outputValue(logGroupArn("/aws/rds/*", { region: "cn-northwest-1" }))).toBe(
      `arn:aws-cn:logs:cn-northwest-1:${ACCOUNT_ID}:log-group:/aws/rds/*`,
    );
    expect(await outputValue(viaService("s3", "cn-northwest-1"))).toBe("s3.cn-northwest-1.amazonaws.com.cn");
  });

  test("service principals follow the provider's China table; CloudWatch Logs is regional", async () => {
    expect(await outputValue(servicePrincipal("lambda"))).toBe("lambda.amazonaws.com");
    expect(await outputValue(servicePrincipal("delivery.logs"))).toBe("delivery.logs.amazonaws.com");
    expect(await outputValue(servicePrincipal("logs"))).toBe("logs.cn-north-1.amazonaws.com.cn");
    expect(await outputValue(servicePrincipal("logs", { region: "cn-northwest-1" }))).toBe("logs.cn-northwest-1.amazonaws.com.cn");
  });

  test("the mock's table is the pinned provider's: codedeploy, ec2, elasticmapreduce, logs and s3 take .com.cn in China", async () => {
    expect(["codedeploy", "ec2", "elasticmapreduce", "logs", "s3"].map((s) => servicePrincipalSuffix(s, "cn-north-1"))).toEqual(
      Array(5).fill("amazonaws.com.cn"),
    );
    expect(["backup", "events", "firehose", "lambda", "scheduler"].map((s) => servicePrincipalSuffix(s, "cn-north-1"))).toEqual(Array(5).fill("amazonaws.com"));
    expect(await outputValue(servicePrincipal("ec2"))).toBe("ec2.amazonaws.com.cn");
    // S3 follows AWS's China S3 guide instead (infra/partition.ts DOCUMENTED_PRINCIPAL_SUFFIX).
    expect(await outputValue(servicePrincipal("s3"))).toBe("s3.amazonaws.com");
    expect(servicePrincipalSuffix("logs", "us-east-1")).toBe("amazonaws.com");
  });

  test("formatArn is plain formatting", () => {
    expect(formatArn({ partition: "aws-cn", service: "backup", region: "cn-northwest-1", account: "1", resource: "backup-vault:v" })).toBe(
      "arn:aws-cn:backup:cn-northwest-1:1:backup-vault:v",
    );
  });
});
