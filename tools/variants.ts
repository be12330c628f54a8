/**
 * Config variants the offline tools evaluate besides the stack files as they are, so that code
 * behind off-by-default flags is serialized, planned and policy-checked too. Components add theirs.
 */
import { StackRun, runStack } from "./harness";
import { ACCOUNT_ID } from "./mocks";

export interface Variant {
  name: string;
  /**
   * Overrides on top of each stack file (see RunOptions.config in tools/harness.ts), the same for
   * both stacks: a variant is one deployment of the pair.
   */
  config?: Record<string, unknown>;
}

/** The variant where Ningxia is the primary and Beijing the backup (issue 17 item 3). */
export const REVERSE = "reverse direction";

/** The variant that turns on every off-by-default option of the program at once. */
export const ALL_OPTIONS = "every option on";

/** The hardened profile (issue 17 item 5, README "Hardened profile"), cross-account as it must be. */
export const HARDENED = "hardened profile";
/** The break-glass role of HARDENED, in BACKUP_ACCOUNT. */
export const BREAK_GLASS_ROLE = "cn-log-backup-break-glass";

/**
 * Accounts of the cross-account deployment in ALL_OPTIONS: the primary stack runs in the mocks'
 * ACCOUNT_ID, the backup stack in BACKUP_ACCOUNT (tools/harness.ts `accountOf`: its caller
 * identity and every ARN it computes), as two real accounts would.
 */
export const PRIMARY_ACCOUNT = ACCOUNT_ID;
export const BACKUP_ACCOUNT = "210987654321";

export const VARIANTS: Variant[] = [
  { name: "stack files" },
  // The Beijing stack file turns AuroraLab on; the policy pack must pass without it too.
  { name: "auroraLab off", config: { auroraLab: { enabled: false } } },
  // LogArchive's other CloudWatch Logs mode and its off-by-default flags.
  {
    name: "logArchive exportTask + flags",
    config: {
      logArchive: {
        cloudWatchLogsMode: "exportTask",
        replicationTimeControl: true,
        firehoseDecompression: true,
        flowLogVpcIds: ["vpc-0123456789abcdef0"],
        rdsLogGroups: [{ clusterName: "orders", logTypes: ["audit", "error"] }],
      },
    },
  },
  {
    // AuditLogPipeline is built only once it has an archive (LogArchive, or these two keys).
    name: "audit-log pipeline with an explicit archive",
    config: {
      auditLogPipeline: {
        enabled: true,
        archiveBucketName: "cn-log-backup-archive-example",
        archiveKmsKeyArn: "arn:aws-cn:kms:cn-north-1:123456789012:key/00000000-0000-4000-8000-000000000000",
      },
    },
  },
  {
    // The reverse direction (README "Reverse direction"): Ningxia is the primary, Beijing the
    // backup. Pulumi.cn-north-1.yaml becomes the backup stack (deployed first) and the Ningxia
    // primary reads it by this name; each stack file's role-specific keys stay as they are.
    name: REVERSE,
    config: {
      primaryRegion: "cn-northwest-1",
      backupRegion: "cn-north-1",
      backupStackName: "organization/cn-log-backup/cn-north-1",
    },
  },
  {
    // Every option that is off or empty by default, at once, in a cross-account deployment. Where an
    // option has two ways to be "on" the variant takes the one that builds more to check: the
    // destination vault is created on a brought key (so its access policy, cross-account admission
    // and compliance-mode Vault Lock are built too), the source vault and its key are brought.
    name: ALL_OPTIONS,
    config: {
      backupAccountId: BACKUP_ACCOUNT,
      logArchive: {
        prefixRetentionDays: { cloudtrail: 3650 },
        objectLockMode: "GOVERNANCE",
        objectLockDays: 180,
        primaryAccountId: PRIMARY_ACCOUNT,
        replicationTimeControl: true,
        inventory: true,
        completeness: true,
        archiveSearch: true,
        firehoseDecompression: true,
        flowLogVpcIds: ["vpc-0123456789abcdef0"],
        ec2LogFiles: [{ filePath: "/var/log/cloud-init-output.log", logGroupName: "/ec2/cloud-init-output" }],
        rdsLogGroups: [{ clusterName: "orders", logTypes: ["audit", "error", "slowquery"] }],
      },
      backupEvents: {
        sourceVaultArn: `arn:aws-cn:backup:cn-north-1:${PRIMARY_ACCOUNT}:backup-vault:existing-source`,
        sourceVaultKmsKeyArn: `arn:aws-cn:kms:cn-north-1:${PRIMARY_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        destinationVaultKmsKeyArn: `arn:aws-cn:kms:cn-northwest-1:${BACKUP_ACCOUNT}:key/0fedcba9-8765-4321-0fed-cba987654321`,
        deleteAfterDays: 120,
        coldStorageAfterDays: 30,
        copyDeleteAfterDays: 365,
        copyColdStorageAfterDays: 90,
        notificationEmails: ["backup-alerts@example.com"],
        vaultLockMode: "compliance",
        vaultLockChangeableForDays: 3,
        adminRoleArns: [`arn:aws-cn:iam::${BACKUP_ACCOUNT}:role/backup-admin`],
        primaryAccountId: PRIMARY_ACCOUNT,
        auditFramework: true,
        configRecorderExists: true,
        snapshotExport: true,
        restoreTesting: true,
        restoreTestingDbSubnetGroupName: "cn-log-backup-restore-test",
        restoreTestingSecurityGroupIds: ["sg-0123456789abcdef0"],
      },
      auditLogPipeline: {
        enabled: true,
        archiveBucketName: "cn-log-backup-archive-example",
        archiveKmsKeyArn: `arn:aws-cn:kms:cn-north-1:${PRIMARY_ACCOUNT}:key/00000000-0000-4000-8000-000000000000`,
      },
      auroraLab: {
        enabled: true,
        natGateway: true,
        sysbenchSource: "https://github.com/akopytov/sysbench/archive/refs/tags/1.0.20.tar.gz",
        sysbenchSha256: "e8ee79b1f399b2d167e6a90de52ccc90e52408f7ade1b9b7135727efe181347f",
      },
      rdsAutomatedBackups: {
        instances: [{ dbInstanceArn: `arn:aws-cn:rds:cn-north-1:${PRIMARY_ACCOUNT}:db:orders-mysql`, engine: "mysql", encrypted: true }],
        retentionPeriodDays: 14,
      },
      lambdaNetwork: { useAuroraLabVpc: true },
    },
  },
  {
    // The hardened profile on the stack files, with only the keys it requires: the backup stack in
    // its own account, COMPLIANCE Object Lock for the law's 180 days, compliance-mode Vault Lock.
    name: HARDENED,
    config: {
      backupAccountId: BACKUP_ACCOUNT,
      hardenedProfile: true,
      breakGlassRoleName: BREAK_GLASS_ROLE,
      logArchive: { objectLockMode: "COMPLIANCE", objectLockDays: 180, primaryAccountId: PRIMARY_ACCOUNT },
      backupEvents: { vaultLockMode: "compliance", vaultLockChangeableForDays: 3, primaryAccountId: PRIMARY_ACCOUNT },
    },
  },
];

/** A variant by name; throws naming the known ones. */
export function variant(name: string): Variant {
  const v = VARIANTS.find((x) => x.name === name);
  if (!v) throw new Error(`no variant ${JSON.stringify(name)}; known: ${VARIANTS.map((x) => JSON.stringify(x.name)).join(", ")}`);
  return v;
}

/**
 * Runs one stack of a variant. The primary reads the backup stack of the same variant (run first
 * with the variant's whole config, as the pair would be deployed), not the stack file's backup
 * stack with only the shared keys: a cross-account variant needs the backup stack's own keys
 * (backupEvents.primaryAccountId) to be valid at all.
 */
export function runVariant(stack: string, v: Variant, opts: { preview?: boolean; configFile?: string } = {}): Promise<StackRun> {
  return runStack(stack, { preview: opts.preview, config: v.config, backupConfig: v.config, configFile: opts.configFile });
}
