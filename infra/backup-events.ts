/**
 * BackupEvents: AWS Backup from Beijing to Ningxia, driven by events.
 *
 * Backup role (Ningxia, deployed first): the destination vault with its own customer-managed key
 * (whose policy admits AWS Backup on behalf of the primary account and `backupAccountId`), a vault
 * access policy denying DeleteRecoveryPoint / UpdateRecoveryPointLifecycle to everyone but the
 * allow-listed admin roles, Vault Lock (governance, or compliance with a grace time), and security
 * alerts on destructive calls against the vault and its key.
 *
 * Primary role (Beijing): the source vault and key, a tag-selected backup plan run by the AWS
 * Backup service role, and two EventBridge rules driving inline Lambdas:
 *   Backup Job State Change COMPLETED (source vault) -> copy starter -> StartCopyJob to Ningxia;
 *   Copy Job State Change COMPLETED (source -> Ningxia) -> retention updater, which shortens the
 *   original's retention with backup-events-aws's rule (functions/backup-events/retention.ts).
 * Failures: every EventBridge target has a retry policy and a DLQ, the Lambdas have bounded async
 * retries and an on-failure destination, all into one KMS-encrypted error queue whose policy admits
 * only those rules and roles and denies non-TLS. Monitoring: rules for failed/aborted/expired
 * backups, failed copies and restores to a KMS-encrypted SNS topic, CloudWatch alarms (failed jobs,
 * "no completed backup in N hours" with missing data breaching, error queue not empty), CloudTrail
 * alerts on destructive Backup calls and on KMS deletion of the vault key. Optional (flags, off by
 * default): Backup Audit Manager framework + report plan; RDS/Aurora snapshot export to `exports/`.
 *
 * Bring your own (`existingVault`, `existingKmsKeyArn`): an existing vault or key replaces the one
 * this role would create; everything else names the given ARNs instead.
 *
 * The CloudTrail-based alerts need a trail in the region (LogArchive builds it).
 */
import { regionName } from "./regions";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BackupClient } from "@aws-sdk/client-backup";
import { RDSClient } from "@aws-sdk/client-rds";
import { createCopyStarterHandler } from "../functions/backup-events/copy-starter";
import { createRetentionUpdaterHandler } from "../functions/backup-events/retention-updater";
import { createSnapshotExportHandler } from "../functions/backup-events/snapshot-export";
import { copyStarterSettings, deferUntilFirstEvent, retentionUpdaterSettings, snapshotExportSettings } from "../functions/backup-events/settings";
import { PolicyStatement, denyInsecureTransport, policyDocument, policyDocumentJson, serviceTrustPolicy } from "./iam";
import { customerManagedKey } from "./kms";
import { InlineLambda, InlineLambdaArgs, LambdaVpcConfig } from "./lambda";

/** What every BackupEvents Lambda shares: log group, retries into the error queue, network, size. */
type LambdaCommon = Omit<InlineLambdaArgs<unknown, unknown>, "description" | "callbackFactory" | "statements" | "environment">;
import { messagingKeyStatements } from "./messaging-key";
import { BACKUP_REPORTS_PREFIX } from "./backup-reports";
import { HardenedArgs, hardenedKeyStatements, hardenedVaultStatements } from "./hardened-profile";
import { arn, formatArn, managedPolicyArn, partitionFacts, servicePrincipal, viaService } from "./partition";

// ---------------------------------------------------------------------------------------------
// Args
// ---------------------------------------------------------------------------------------------

interface CommonArgs {
  /**
   * Bring your own vault: use this existing vault, encrypted with `kmsKeyArn`, instead of creating
   * one. No vault and no key are created; the backup role sets no access policy and no Vault Lock
   * on it (they are its owner's: `PutBackupVaultAccessPolicy` would replace the owner's policy).
   */
  existingVault?: { arn: string; kmsKeyArn: string };
  /**
   * Bring your own key (without `existingVault`): the vault this component creates is encrypted
   * with this existing key and no key is created; its key policy is the owner's to keep right. A
   * customer-managed key: the AWS-managed `alias/aws/backup` is refused (the policy pack requires
   * customer-managed keys on the program's vaults); it is accepted only as an existing vault's key.
   */
  existingKmsKeyArn?: string;
  /** Where alerts go (email subscriptions; each must be confirmed). */
  notificationEmails: string[];
  kmsKeyDeletionWindowDays: number;
  tags: Record<string, string>;
}

export interface BackupRoleArgs extends CommonArgs {
  role: "backup";
  destinationVaultName: string;
  /** Accounts whose AWS Backup may copy into the vault; this stack's own account is always admitted. */
  sourceAccountIds: string[];
  /** The hardened profile's denies on the vault's access policy and key policy (infra/hardened-profile.ts). */
  hardened?: HardenedArgs;
  /** Roles still allowed DeleteRecoveryPoint / UpdateRecoveryPointLifecycle in the vault. */
  adminRoleArns: string[];
  vaultLock: { mode: "governance" | "compliance"; minRetentionDays: number; maxRetentionDays: number; changeableForDays: number };
}

export interface PrimaryRoleArgs extends CommonArgs {
  role: "primary";
  sourceVaultName: string;
  /** From the backup stack's outputs. */
  destinationVaultArn: pulumi.Input<string>;
  destinationVaultKeyArn: pulumi.Input<string>;
  /** The region of the destination vault (for the audit framework's cross-region control). */
  backupRegion: string;
  plan: {
    schedule: string;
    startWindowMinutes: number;
    completionWindowMinutes: number;
    deleteAfterDays: number;
    coldStorageAfterDays?: number;
    selectionTag: { key: string; value: string };
  };
  copy: { deleteAfterDays: number; coldStorageAfterDays?: number; copyOnDemandBackups: boolean };
  /** newDeleteAfterDays of the retention rule. */
  retainAfterCopyDays: number;
  restoreStatuses: string[];
  noBackupAlarmHours: number;
  lambdaLogKeyArn: pulumi.Input<string>;
  lambdaLogRetentionDays: number;
  /** Run the Lambdas in these subnets (with the VPC endpoints they need); undefined: outside any VPC. */
  lambdaVpc?: LambdaVpcConfig;
  /** The archive bucket (LogArchive): needed by the audit report plan and the snapshot export. */
  archive?: { bucketName: pulumi.Input<string>; keyArn: pulumi.Input<string> };
  auditFramework: boolean;
  snapshotExport: boolean;
}

export type BackupEventsArgs = BackupRoleArgs | PrimaryRoleArgs;

/** Whether a key ARN is the alias ARN of AWS Backup's AWS-managed key (not a key ARN IAM can name). */
export function isAwsManagedBackupKeyAlias(keyArn: string): boolean {
  return /^arn:[a-z-]+:kms:[a-z0-9-]+:\d{12}:alias\/aws\/backup$/.test(keyArn);
}

/** The vault a role uses, created here or brought (`existingVault`). */
interface VaultRef {
  arn: pulumi.Output<string>;
  name: pulumi.Output<string>;
  /** The key's ARN (an alias ARN for the AWS-managed key). */
  keyArn: pulumi.Output<string>;
  /** The key is AWS Backup's AWS-managed key, given by its alias ARN (IAM cannot name it). */
  awsManagedKey: boolean;
  /** Set only when this component created them. */
  vault?: aws.backup.Vault;
  key?: aws.kms.Key;
}

/** EventBridge target retries: up to a day and 185 attempts (the maxima), then the DLQ. */
export const TARGET_RETRY_POLICY = { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 };
/** Lambda async invocations: two retries within six hours, then the on-failure destination. */
export const LAMBDA_ASYNC_RETRIES = { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 21600 };

/** The CloudTrail event names of destructive or sensitive AWS Backup calls that are alerted on. */
export const DESTRUCTIVE_BACKUP_CALLS = [
  "DeleteRecoveryPoint",
  "DeleteBackupVault",
  "PutBackupVaultAccessPolicy",
  "DeleteBackupVaultAccessPolicy",
  "PutBackupVaultLockConfiguration",
  "DeleteBackupVaultLockConfiguration",
  "DeleteBackupPlan",
  "StartRestoreJob",
];
/** KMS calls that destroy or disable a vault key. */
export const DESTRUCTIVE_KMS_CALLS = ["ScheduleKeyDeletion", "DisableKey"];

// ---------------------------------------------------------------------------------------------
// Lambda callback factories. Module-level so the closure serializer captures only what they use:
// an SDK client (from the runtime) and the logic in functions/backup-events. Each reads its
// environment once per container; a missing setting fails the first invocation, not the load.
// ---------------------------------------------------------------------------------------------

function copyStarterFactory() {
  const backup = new BackupClient({});
  const env = { ...process.env };
  return deferUntilFirstEvent(() => createCopyStarterHandler({ backup, ...copyStarterSettings(env) }));
}

function retentionUpdaterFactory() {
  const backup = new BackupClient({});
  const env = { ...process.env };
  return deferUntilFirstEvent(() => createRetentionUpdaterHandler({ backup, ...retentionUpdaterSettings(env) }));
}

function snapshotExportFactory() {
  const rds = new RDSClient({});
  const env = { ...process.env };
  return deferUntilFirstEvent(() => createSnapshotExportHandler({ rds, ...snapshotExportSettings(env) }));
}

/** Checks the args before anything is registered, so a bad combination leaves nothing half-built. */
function validateArgs(args: BackupEventsArgs) {
  if (args.role !== "primary" || args.archive) return;
  const missing = (["snapshotExport", "auditFramework"] as const).filter((flag) => args[flag]);
  if (missing.length > 0) {
    throw new Error(
      `BackupEvents: backupEvents.${missing.join(" and backupEvents.")} need the archive bucket and its key (LogArchive), which this stack does not provide; set ${missing.length > 1 ? "them" : "it"} to false`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// The component
// ---------------------------------------------------------------------------------------------

/** The shared alerting plumbing of both roles: a key, an SNS topic and an error queue. */
interface Messaging {
  key: aws.kms.Key;
  topic: aws.sns.Topic;
  queue: aws.sqs.Queue;
}

export class BackupEvents extends pulumi.ComponentResource {
  /** The vault this role uses: the destination vault (backup) or the source vault (primary). */
  readonly vaultArn: pulumi.Output<string>;
  readonly vaultName: pulumi.Output<string>;
  /** Its key's ARN: created here, or the given one (an alias ARN for the AWS-managed key). */
  readonly vaultKeyArn: pulumi.Output<string>;
  /** The vault and key this component created; undefined where they were brought. */
  readonly vault?: aws.backup.Vault;
  readonly vaultKey?: aws.kms.Key;
  readonly topic: aws.sns.Topic;
  readonly errorQueue: aws.sqs.Queue;
  /** Primary only. */
  readonly copyStarter?: InlineLambda;
  readonly retentionUpdater?: InlineLambda;
  readonly snapshotExporter?: InlineLambda;
  readonly copyRole?: aws.iam.Role;
  readonly backupServiceRole?: aws.iam.Role;
  readonly plan?: aws.backup.Plan;

  private readonly tags: Record<string, string>;
  private readonly facts: pulumi.Output<{ partition: string; dnsSuffix: string; region: string; accountId: string }>;
  /** Rules whose targets may send to the error queue, and roles that may (Lambda on-failure). */
  private readonly queueSourceRules: pulumi.Output<string>[] = [];
  private readonly queueSourceRoles: pulumi.Output<string>[] = [];
  /** Rules that publish to the topic. */
  private readonly topicSourceRules: pulumi.Output<string>[] = [];

  constructor(name: string, args: BackupEventsArgs, opts?: pulumi.ComponentResourceOptions) {
    validateArgs(args);
    super("cn-log-backup:index:BackupEvents", name, {}, opts);
    this.facts = partitionFacts({ parent: this });
    this.tags = args.tags;

    const messaging = this.messaging(name, args);
    this.topic = messaging.topic;
    this.errorQueue = messaging.queue;

    // Key-deletion alerts only for a key somebody could delete (not the AWS-managed one).
    const deletableKeys = (ref: VaultRef) => (ref.awsManagedKey ? [] : [ref.keyArn]);
    let ref: VaultRef;
    if (args.role === "backup") {
      ref = this.buildBackupRole(name, args);
      this.securityAlerts(name, { keyArns: deletableKeys(ref) });
    } else {
      const built = this.buildPrimaryRole(name, args, messaging);
      ref = built.vault;
      this.copyStarter = built.copyStarter;
      this.retentionUpdater = built.retentionUpdater;
      this.snapshotExporter = built.snapshotExporter;
      this.copyRole = built.copyRole;
      this.backupServiceRole = built.serviceRole;
      this.plan = built.plan;
      this.securityAlerts(name, { keyArns: deletableKeys(ref), lifecycleUpdaterRoleName: built.retentionUpdater.role.name });
      this.alarms(name, args, ref, messaging);
    }
    this.vaultArn = ref.arn;
    this.vaultName = ref.name;
    this.vaultKeyArn = ref.keyArn;
    this.vault = ref.vault;
    this.vaultKey = ref.key;

    this.queuePolicy(name, messaging);
    this.topicPolicy(name, messaging);

    this.registerOutputs({ vaultArn: this.vaultArn, vaultKeyArn: this.vaultKeyArn, topicArn: this.topic.arn, errorQueueArn: this.errorQueue.arn });
  }

  // --- shared ---------------------------------------------------------------------------------

  private messaging(name: string, args: BackupEventsArgs): Messaging {
    const key = customerManagedKey(
      `${name}-messaging-key`,
      {
        description: "cn-log-backup BackupEvents: encrypts the alert topic and the error queue",
        deletionWindowInDays: args.kmsKeyDeletionWindowDays,
        statements: messagingKeyStatements({ topicNamePrefix: `${name}-alerts`, queueNamePrefix: `${name}-errors`, accountId: this.facts.accountId }, { parent: this }),
        tags: args.tags,
      },
      { parent: this },
    );
    const topic = new aws.sns.Topic(
      `${name}-alerts`,
      { displayName: "cn-log-backup: AWS Backup alerts", kmsMasterKeyId: key.arn, tags: args.tags },
      { parent: this },
    );
    args.notificationEmails.forEach((email, i) => {
      new aws.sns.TopicSubscription(`${name}-alerts-email-${i}`, { topic: topic.arn, protocol: "email", endpoint: email }, { parent: this });
    });
    const queue = new aws.sqs.Queue(
      `${name}-errors`,
      {
        kmsMasterKeyId: key.arn,
        kmsDataKeyReusePeriodSeconds: 300,
        messageRetentionSeconds: 1209600, // 14 days, the maximum
        tags: args.tags,
      },
      { parent: this },
    );
    return { key, topic, queue };
  }

  /** A rule with one target, a retry policy and the error queue as its DLQ. */
  private rule(
    name: string,
    pattern: pulumi.Input<Record<string, unknown>>,
    description: string,
    target: { arn: pulumi.Input<string>; kind: "lambda" | "topic"; lambda?: InlineLambda },
    tags: Record<string, string>,
  ): aws.cloudwatch.EventRule {
    const rule = new aws.cloudwatch.EventRule(
      name,
      { description, eventPattern: pulumi.jsonStringify(pattern), tags },
      { parent: this },
    );
    const deps: pulumi.Resource[] = [];
    if (target.lambda) deps.push(target.lambda.allowInvoke(`${name}-invoke`, { service: "events", sourceArn: rule.arn }));
    new aws.cloudwatch.EventTarget(
      `${name}-target`,
      {
        rule: rule.name,
        arn: target.arn,
        retryPolicy: TARGET_RETRY_POLICY,
        deadLetterConfig: { arn: this.errorQueue.arn },
      },
      { parent: this, dependsOn: deps },
    );
    this.queueSourceRules.push(rule.arn);
    if (target.kind === "topic") this.topicSourceRules.push(rule.arn);
    return rule;
  }

  /**
   * The error queue admits SendMessage only from our rules (EventBridge DLQ, by aws:SourceArn) and
   * our Lambda roles (on-failure destination), and nothing without TLS.
   */
  private queuePolicy(name: string, messaging: Messaging) {
    // Plain arrays of ARNs (each its own leaf, unknown only until its rule or role exists); both
    // lists are complete here: the constructor calls this after building every rule and role.
    const rules = [...this.queueSourceRules];
    const roles = [...this.queueSourceRoles];
    const statements: PolicyStatement[] = [
      {
        Sid: "EventBridgeRulesSendFailedEvents",
        Effect: "Allow",
        Principal: { Service: servicePrincipal("events", { parent: this }) },
        Action: ["sqs:SendMessage"],
        Resource: [messaging.queue.arn],
        Condition: { ArnEquals: { "aws:SourceArn": rules } },
      },
      {
        Sid: "DenySendFromAnyoneElse",
        Effect: "Deny",
        Principal: "*",
        Action: ["sqs:SendMessage"],
        Resource: [messaging.queue.arn],
        // Denied unless the request comes from one of our rules or one of our Lambda roles
        // (negated operators are true when the key is absent, as it is for other callers).
        Condition: { ArnNotEquals: { "aws:SourceArn": rules, ...(roles.length > 0 ? { "aws:PrincipalArn": roles } : {}) } },
      },
      denyInsecureTransport([messaging.queue.arn], "sqs:*"),
    ];
    new aws.sqs.QueuePolicy(`${name}-errors-policy`, { queueUrl: messaging.queue.url, policy: policyDocument(statements) }, { parent: this });
  }

  /** The topic admits Publish only from our rules and this account's CloudWatch alarms, over TLS. */
  private topicPolicy(name: string, messaging: Messaging) {
    const f = this.facts;
    const statements: PolicyStatement[] = [
      {
        Sid: "EventBridgeRulesPublish",
        Effect: "Allow",
        Principal: { Service: servicePrincipal("events", { parent: this }) },
        Action: ["sns:Publish"],
        Resource: [messaging.topic.arn],
        Condition: { ArnEquals: { "aws:SourceArn": [...this.topicSourceRules] } },
      },
      {
        Sid: "CloudWatchAlarmsPublish",
        Effect: "Allow",
        Principal: { Service: servicePrincipal("cloudwatch", { parent: this }) },
        Action: ["sns:Publish"],
        Resource: [messaging.topic.arn],
        Condition: {
          ArnLike: { "aws:SourceArn": arn({ service: "cloudwatch", resource: "alarm:*" }, { parent: this }) },
          StringEquals: { "aws:SourceAccount": f.accountId },
        },
      },
      denyInsecureTransport([messaging.topic.arn], "sns:Publish"),
    ];
    new aws.sns.TopicPolicy(`${name}-alerts-policy`, { arn: messaging.topic.arn, policy: policyDocument(statements) }, { parent: this });
  }

  /** Security alerts from CloudTrail: destructive Backup calls and deletion/disabling of the vault key. */
  private securityAlerts(name: string, a: { keyArns: pulumi.Input<string>[]; lifecycleUpdaterRoleName?: pulumi.Output<string> }) {
    const tags = this.tags;
    // CloudTrail's eventSource for a service is its principal name (backup.amazonaws.com,
    // kms.amazonaws.com, also in China), so it comes from the same provider table.
    const backupSource = servicePrincipal("backup", { parent: this });
    this.rule(
      `${name}-destructive-calls`,
      {
        source: ["aws.backup"],
        "detail-type": ["AWS API Call via CloudTrail"],
        detail: { eventSource: [backupSource], eventName: DESTRUCTIVE_BACKUP_CALLS },
      },
      "cn-log-backup: destructive AWS Backup API calls (CloudTrail)",
      { arn: this.topic.arn, kind: "topic" },
      tags,
    );
    // UpdateRecoveryPointLifecycle by anyone but the retention updater (its assumed-role sessions).
    const lifecycleCaller = a.lifecycleUpdaterRoleName
      ? { userIdentity: { arn: [{ "anything-but": { prefix: arn({ service: "sts", region: "", resource: pulumi.interpolate`assumed-role/${a.lifecycleUpdaterRoleName}/` }, { parent: this }) } }] } }
      : {};
    this.rule(
      `${name}-lifecycle-changes`,
      {
        source: ["aws.backup"],
        "detail-type": ["AWS API Call via CloudTrail"],
        detail: { eventSource: [backupSource], eventName: ["UpdateRecoveryPointLifecycle"], ...lifecycleCaller },
      },
      "cn-log-backup: recovery point lifecycle changed by someone other than the retention updater",
      { arn: this.topic.arn, kind: "topic" },
      tags,
    );
    // Callers leave out an AWS-managed key: nobody can delete or disable it.
    if (a.keyArns.length === 0) return;
    this.rule(
      `${name}-vault-key-deletion`,
      {
        source: ["aws.kms"],
        "detail-type": ["AWS API Call via CloudTrail"],
        detail: { eventSource: [servicePrincipal("kms", { parent: this })], eventName: DESTRUCTIVE_KMS_CALLS, resources: { ARN: pulumi.all(a.keyArns) } },
      },
      "cn-log-backup: the backup vault key is being deleted or disabled",
      { arn: this.topic.arn, kind: "topic" },
      tags,
    );
  }

  // --- backup role ----------------------------------------------------------------------------

  private buildBackupRole(name: string, args: BackupRoleArgs) {
    const f = this.facts;
    const admitted = pulumi.all([f.accountId, args.sourceAccountIds]).apply(([own, others]) => [...new Set([own, ...others])]);
    const roots = this.rootArns(admitted);
    const ref = this.vaultRef(name, args, {
      vaultName: args.destinationVaultName,
      keyDescription: "cn-log-backup: encrypts the disaster-recovery backup vault",
      keyStatements: () => [...this.backupKeyStatements(roots, admitted), ...(args.hardened ? hardenedKeyStatements(args.hardened) : [])],
      forceDestroy: false,
    });
    // A brought vault keeps its owner's access policy and lock (see BackupEventsArgs.existingVault).
    if (!ref.vault) return ref;
    const vault = ref.vault;

    const denyCondition = args.adminRoleArns.length > 0 ? { Condition: { ArnNotLike: { "aws:PrincipalArn": args.adminRoleArns } } } : {};
    const statements: PolicyStatement[] = [
      {
        Sid: "DenyDeletingOrShorteningRecoveryPoints",
        Effect: "Deny",
        Principal: "*",
        Action: ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"],
        Resource: "*",
        ...denyCondition,
      },
      ...(args.hardened ? hardenedVaultStatements(args.hardened) : []),
    ];
    // Copies from another account need the vault's consent; copies within the account do not.
    const others = f.accountId.apply((own) => [...new Set(args.sourceAccountIds.filter((id) => id !== own))]);
    const policy = pulumi.all([others, this.rootArns(others)]).apply(([ids, otherRoots]) =>
      ids.length === 0
        ? statements
        : [
            ...statements,
            {
              Sid: "SourceAccountsCopyIn",
              Effect: "Allow" as const,
              Principal: { AWS: otherRoots },
              Action: ["backup:CopyIntoBackupVault"],
              Resource: "*",
            },
          ],
    );
    // A vault access policy takes only a JSON string; it names no resource of this stack (known at preview).
    new aws.backup.VaultPolicy(`${name}-vault-policy`, { backupVaultName: vault.name, policy: policyDocumentJson(policy) }, { parent: this });

    new aws.backup.VaultLockConfiguration(
      `${name}-vault-lock`,
      {
        backupVaultName: vault.name,
        minRetentionDays: args.vaultLock.minRetentionDays,
        maxRetentionDays: args.vaultLock.maxRetentionDays,
        // Without changeableForDays the lock is in governance mode; with it, compliance mode
        // (immutable once the grace time has passed).
        changeableForDays: args.vaultLock.mode === "compliance" ? args.vaultLock.changeableForDays : undefined,
      },
      { parent: this },
    );
    return ref;
  }

  /**
   * The vault of this role: the brought one (`existingVault`), or a new vault named `vaultName`
   * encrypted with the brought key (`existingKmsKeyArn`) or with a new customer-managed key.
   */
  private vaultRef(
    name: string,
    args: BackupEventsArgs,
    v: { vaultName: string; keyDescription: string; keyStatements: () => PolicyStatement[]; forceDestroy?: boolean },
  ): VaultRef {
    if (args.existingVault) {
      const { arn: vaultArn, kmsKeyArn } = args.existingVault;
      const vaultName = vaultArn.split(":backup-vault:")[1];
      if (!vaultName) throw new Error(`BackupEvents: existingVault.arn ${JSON.stringify(vaultArn)} is not a backup vault ARN`);
      return {
        arn: pulumi.output(vaultArn),
        name: pulumi.output(vaultName),
        keyArn: pulumi.output(kmsKeyArn),
        awsManagedKey: isAwsManagedBackupKeyAlias(kmsKeyArn),
      };
    }
    const brought = args.existingKmsKeyArn;
    if (brought !== undefined && isAwsManagedBackupKeyAlias(brought)) {
      throw new Error(`BackupEvents: existingKmsKeyArn ${brought} is the AWS-managed key; a vault this component creates needs a customer-managed key`);
    }
    const key =
      brought === undefined
        ? customerManagedKey(
            `${name}-vault-key`,
            { description: v.keyDescription, deletionWindowInDays: args.kmsKeyDeletionWindowDays, statements: v.keyStatements(), tags: args.tags },
            { parent: this },
          )
        : undefined;
    const keyArn = key ? key.arn : pulumi.output(brought!);
    const vault = new aws.backup.Vault(
      `${name}-vault`,
      {
        name: v.vaultName,
        kmsKeyArn: keyArn,
        ...(v.forceDestroy !== undefined ? { forceDestroy: v.forceDestroy } : {}),
        tags: args.tags,
      },
      { parent: this },
    );
    return { arn: vault.arn, name: vault.name, keyArn, awsManagedKey: false, vault, key };
  }

  /** `arn:aws-cn:iam::<id>:root` for each account. */
  private rootArns(accountIds: pulumi.Output<string[]>): pulumi.Output<string[]> {
    return pulumi
      .all([this.facts, accountIds])
      .apply(([f, ids]) => ids.map((id) => formatArn({ partition: f.partition, service: "iam", region: "", account: id, resource: "root" })));
  }

  /**
   * Key statements letting AWS Backup in this region use a vault key for the admitted accounts.
   * RDS and Aurora recovery points are not under AWS Backup's independent encryption: their copies
   * are RDS snapshot copies, whose KMS calls come through RDS
   * (https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html,
   * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
   */
  private backupKeyStatements(roots: pulumi.Input<string[]>, accounts: pulumi.Input<string[]>): PolicyStatement[] {
    const via = this.vaultKeyServices(this.facts.region);
    return [
      {
        Sid: "AwsBackupUsesKeyForAdmittedAccounts",
        Effect: "Allow",
        Principal: { AWS: roots },
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: "*",
        Condition: { StringEquals: { "kms:ViaService": via, "kms:CallerAccount": accounts } },
      },
      {
        Sid: "AwsBackupCreatesGrantsForAwsResources",
        Effect: "Allow",
        Principal: { AWS: roots },
        Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        Resource: "*",
        Condition: { StringEquals: { "kms:ViaService": via, "kms:CallerAccount": accounts }, Bool: { "kms:GrantIsForAWSResource": true } },
      },
    ];
  }

  /** The kms:ViaService values of vault-key use in `region`: AWS Backup, and RDS for RDS/Aurora. */
  private vaultKeyServices(region: pulumi.Input<string>): pulumi.Output<string>[] {
    return ["backup", "rds"].map((service) => viaService(service, region, { parent: this }));
  }

  // --- primary role ---------------------------------------------------------------------------

  private buildPrimaryRole(name: string, args: PrimaryRoleArgs, messaging: Messaging) {
    const f = this.facts;
    const own = f.accountId.apply((id) => [id]);
    const vault = this.vaultRef(name, args, {
      vaultName: args.sourceVaultName,
      keyDescription: "cn-log-backup: encrypts the source backup vault",
      keyStatements: () => this.backupKeyStatements(this.rootArns(own), own),
    });

    // The AWS Backup service role: runs the plan's backups (and restores) with the aws-cn managed policies.
    const backupPrincipal = servicePrincipal("backup", { parent: this });
    const serviceRole = new aws.iam.Role(
      `${name}-service-role`,
      {
        description: "AWS Backup runs the cn-log-backup plan's backups and restores with this role",
        assumeRolePolicy: serviceTrustPolicy({ principal: backupPrincipal, sourceAccount: f.accountId }),
        tags: args.tags,
      },
      { parent: this },
    );
    for (const [suffix, policy] of [
      ["backup", "service-role/AWSBackupServiceRolePolicyForBackup"],
      ["restores", "service-role/AWSBackupServiceRolePolicyForRestores"],
    ]) {
      new aws.iam.RolePolicyAttachment(
        `${name}-service-role-${suffix}`,
        { role: serviceRole.name, policyArn: managedPolicyArn(policy, { parent: this }) },
        { parent: this },
      );
    }

    // The copy role: AWS Backup copies recovery points to Ningxia with it.
    const copyRole = new aws.iam.Role(
      `${name}-copy-role`,
      {
        description: "AWS Backup copies cn-log-backup recovery points to the backup region with this role",
        assumeRolePolicy: serviceTrustPolicy({ principal: backupPrincipal, sourceAccount: f.accountId }),
        tags: args.tags,
      },
      { parent: this },
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-copy-role-backup`,
      { role: copyRole.name, policyArn: managedPolicyArn("service-role/AWSBackupServiceRolePolicyForBackup", { parent: this }) },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${name}-copy-role-policy`,
      { role: copyRole.id, policy: policyDocument(this.copyRoleStatements(args, vault)) },
      { parent: this },
    );

    const rule: aws.types.input.backup.PlanRule = {
      ruleName: "daily-to-source-vault",
      targetVaultName: vault.name,
      schedule: args.plan.schedule,
      startWindow: args.plan.startWindowMinutes,
      completionWindow: args.plan.completionWindowMinutes,
      lifecycle: { deleteAfter: args.plan.deleteAfterDays, coldStorageAfter: args.plan.coldStorageAfterDays },
      recoveryPointTags: { ...args.tags, "cn-log-backup:copy": "event-driven" },
    };
    const plan = new aws.backup.Plan(`${name}-plan`, { name: pulumi.interpolate`${vault.name}-plan`, rules: [rule], tags: args.tags }, { parent: this });
    new aws.backup.Selection(
      `${name}-selection`,
      {
        name: "tagged-resources",
        planId: plan.id,
        iamRoleArn: serviceRole.arn,
        selectionTags: [{ type: "STRINGEQUALS", key: args.plan.selectionTag.key, value: args.plan.selectionTag.value }],
      },
      { parent: this },
    );

    const recoveryPoints = this.ownRecoveryPointArns();
    const onFailure = {
      ...LAMBDA_ASYNC_RETRIES,
      onFailureQueueArn: messaging.queue.arn,
    };
    const queueKeyUse: PolicyStatement = {
      Sid: "EncryptOnFailureMessages",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: [messaging.key.arn],
      Condition: { StringEquals: { "kms:ViaService": viaService("sqs", f.region, { parent: this }) } },
    };
    const lambdaCommon: LambdaCommon = {
      logKeyArn: args.lambdaLogKeyArn,
      logRetentionDays: args.lambdaLogRetentionDays,
      asyncFailure: onFailure,
      vpc: args.lambdaVpc,
      timeout: 60,
      memorySize: 256,
      tags: args.tags,
    };

    const copyStarter = new InlineLambda(
      `${name}-copy-starter`,
      {
        ...lambdaCommon,
        description: `Starts the copy of each completed AWS Backup recovery point to the ${regionName(args.backupRegion)} vault`,
        callbackFactory: copyStarterFactory,
        environment: {
          SOURCE_VAULT_ARN: vault.arn,
          DESTINATION_VAULT_ARN: args.destinationVaultArn,
          COPY_ROLE_ARN: copyRole.arn,
          COPY_DELETE_AFTER_DAYS: String(args.copy.deleteAfterDays),
          COPY_COLD_STORAGE_AFTER_DAYS: args.copy.coldStorageAfterDays !== undefined ? String(args.copy.coldStorageAfterDays) : "",
          COPY_ON_DEMAND: String(args.copy.copyOnDemandBackups),
        },
        statements: [
          {
            Sid: "StartCopyJobsOfThisAccountsRecoveryPoints",
            Effect: "Allow",
            Action: ["backup:StartCopyJob"],
            Resource: recoveryPoints,
            Condition: { StringEquals: { "aws:ResourceAccount": f.accountId } },
          },
          { Sid: "ListCopyJobs", Effect: "Allow", Action: ["backup:ListCopyJobs"], Resource: "*" },
          {
            Sid: "PassTheCopyRoleToAwsBackup",
            Effect: "Allow",
            Action: ["iam:PassRole"],
            Resource: [copyRole.arn],
            Condition: { StringEquals: { "iam:PassedToService": backupPrincipal } },
          },
          queueKeyUse,
        ],
      },
      { parent: this },
    );

    const retentionUpdater = new InlineLambda(
      `${name}-retention-updater`,
      {
        ...lambdaCommon,
        description: `After a copy reaches ${regionName(args.backupRegion)}, shortens the original's retention (never extends it)`,
        callbackFactory: retentionUpdaterFactory,
        environment: {
          SOURCE_VAULT_ARN: vault.arn,
          DESTINATION_VAULT_ARN: args.destinationVaultArn,
          NEW_DELETE_AFTER_DAYS: String(args.retainAfterCopyDays),
        },
        statements: [
          {
            Sid: "ReadAndShortenThisAccountsRecoveryPoints",
            Effect: "Allow",
            Action: ["backup:DescribeRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"],
            Resource: recoveryPoints,
            Condition: { StringEquals: { "aws:ResourceAccount": f.accountId } },
          },
          queueKeyUse,
        ],
      },
      { parent: this },
    );
    this.queueSourceRoles.push(copyStarter.role.arn, retentionUpdater.role.arn);

    this.rule(
      `${name}-copy-on-backup`,
      {
        source: ["aws.backup"],
        "detail-type": ["Backup Job State Change"],
        detail: {
          state: ["COMPLETED"],
          backupVaultArn: [vault.arn],
          ...(args.copy.copyOnDemandBackups ? {} : { createdBy: { backupPlanId: [{ exists: true }] } }),
        },
      },
      `cn-log-backup: a backup completed in the source vault: copy it to ${regionName(args.backupRegion)}`,
      { arn: copyStarter.arn, kind: "lambda", lambda: copyStarter },
      args.tags,
    );
    this.rule(
      `${name}-retention-after-copy`,
      {
        source: ["aws.backup"],
        "detail-type": ["Copy Job State Change"],
        detail: { state: ["COMPLETED"], sourceBackupVaultArn: [vault.arn], destinationBackupVaultArn: [args.destinationVaultArn] },
      },
      `cn-log-backup: a copy reached ${regionName(args.backupRegion)}: shorten the original's retention`,
      { arn: retentionUpdater.arn, kind: "lambda", lambda: retentionUpdater },
      args.tags,
    );

    // Notifications.
    const notify = (suffix: string, pattern: Record<string, unknown>, description: string) =>
      this.rule(`${name}-${suffix}`, pattern, description, { arn: messaging.topic.arn, kind: "topic" }, args.tags);
    notify(
      "backup-failures",
      { source: ["aws.backup"], "detail-type": ["Backup Job State Change"], detail: { state: ["FAILED", "ABORTED", "EXPIRED"], backupVaultArn: [vault.arn] } },
      "cn-log-backup: a backup job failed, was aborted or expired",
    );
    notify(
      "copy-failures",
      { source: ["aws.backup"], "detail-type": ["Copy Job State Change"], detail: { state: ["FAILED"], sourceBackupVaultArn: [vault.arn] } },
      `cn-log-backup: a copy job to ${regionName(args.backupRegion)} failed`,
    );
    if (args.restoreStatuses.length > 0) {
      notify(
        "restore-jobs",
        { source: ["aws.backup"], "detail-type": ["Restore Job State Change"], detail: { status: args.restoreStatuses } },
        "cn-log-backup: restore job status",
      );
    }

    let snapshotExporter: InlineLambda | undefined;
    if (args.snapshotExport) {
      snapshotExporter = this.snapshotExport(name, args, vault, lambdaCommon, queueKeyUse);
    }
    if (args.auditFramework) {
      this.auditFramework(name, args);
    }

    return { vault, copyStarter, retentionUpdater, snapshotExporter, copyRole, serviceRole, plan };
  }

  /**
   * The copy role's statements: copy into the destination vault, and use both vault keys through
   * AWS Backup. An AWS-managed key (given by its alias ARN) is left out: IAM names keys by key
   * ARN, and its own key policy already lets this account's principals use it through AWS Backup.
   */
  private copyRoleStatements(args: PrimaryRoleArgs, source: VaultRef): PolicyStatement[] {
    // Plain statements with Input leaves (infra/iam.ts): the pack reads them during preview. Whether
    // the source key is AWS-managed is known from config; the destination key comes from the backup
    // stack, which refuses aws/backup for anything but an existing vault of the same account (an
    // alias ARN there would only make these statements match nothing).
    const keys: pulumi.Input<string>[] = [...(source.awsManagedKey ? [] : [source.keyArn]), args.destinationVaultKeyArn];
    // Through AWS Backup (or RDS, for RDS/Aurora) in either region, never directly.
    const via = [...this.vaultKeyServices(this.facts.region), ...this.vaultKeyServices(args.backupRegion)];
    return [
      { Sid: "CopyIntoTheDestinationVault", Effect: "Allow", Action: ["backup:CopyIntoBackupVault"], Resource: [args.destinationVaultArn] },
      {
        Sid: "UseTheVaultKeysThroughAwsBackup",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: keys,
        Condition: { StringEquals: { "kms:ViaService": via } },
      },
      {
        Sid: "GrantsForAwsResourcesOnTheVaultKeys",
        Effect: "Allow",
        Action: ["kms:CreateGrant"],
        Resource: keys,
        Condition: { StringEquals: { "kms:ViaService": via }, Bool: { "kms:GrantIsForAWSResource": true } },
      },
    ];
  }

  /**
   * This account's recovery points in this region, as IAM names them: AWS Backup's own
   * `recovery-point:` ARNs and the native snapshot/image ARNs of EBS, EC2 and RDS/Aurora (EC2 ARNs
   * carry no account, so the statements also require aws:ResourceAccount).
   */
  private ownRecoveryPointArns(): pulumi.Output<string>[] {
    const o = { parent: this };
    return [
      arn({ service: "backup", resource: "recovery-point:*" }, o),
      arn({ service: "ec2", account: "", resource: "snapshot/*" }, o),
      arn({ service: "ec2", account: "", resource: "image/*" }, o),
      arn({ service: "rds", resource: "snapshot:awsbackup:*" }, o),
      arn({ service: "rds", resource: "cluster-snapshot:awsbackup:*" }, o),
    ];
  }

  private alarms(name: string, args: PrimaryRoleArgs, vault: VaultRef, messaging: Messaging) {
    const actions = [messaging.topic.arn];
    const common = { alarmActions: actions, okActions: actions, tags: args.tags };
    new aws.cloudwatch.MetricAlarm(
      `${name}-backup-jobs-failed`,
      {
        ...common,
        alarmDescription: "cn-log-backup: backup jobs failed in the source vault",
        namespace: "AWS/Backup",
        metricName: "NumberOfBackupJobsFailed",
        dimensions: { BackupVaultName: vault.name },
        statistic: "Sum",
        period: 3600,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
      },
      { parent: this },
    );
    // Unverified: whether AWS Backup publishes NumberOfCopyJobsFailed under the source or the
    // destination vault's BackupVaultName (AWS's metrics page says only "vault name":
    // https://docs.aws.amazon.com/aws-backup/latest/devguide/cloudwatch.html). The alarm sums both,
    // so it fires whichever AWS uses; the "Copy Job State Change" FAILED rule above is the
    // documented path that does not depend on it.
    const destinationVaultName = pulumi.output(args.destinationVaultArn).apply((a) => a.slice(a.indexOf(":backup-vault:") + ":backup-vault:".length));
    const copyJobsFailed = (id: string, vaultName: pulumi.Input<string>) => ({
      id,
      returnData: false,
      metric: { namespace: "AWS/Backup", metricName: "NumberOfCopyJobsFailed", dimensions: { BackupVaultName: vaultName }, period: 3600, stat: "Sum" },
    });
    new aws.cloudwatch.MetricAlarm(
      `${name}-copy-jobs-failed`,
      {
        ...common,
        alarmDescription: `cn-log-backup: copy jobs to ${regionName(args.backupRegion)} failed (counted under the source or the destination vault)`,
        metricQueries: [
          copyJobsFailed("bySourceVault", vault.name),
          copyJobsFailed("byDestinationVault", destinationVaultName),
          { id: "failed", expression: "FILL(bySourceVault, 0) + FILL(byDestinationVault, 0)", label: "NumberOfCopyJobsFailed", returnData: true },
        ],
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
      },
      { parent: this },
    );
    const hours = args.noBackupAlarmHours;
    new aws.cloudwatch.MetricAlarm(
      `${name}-no-completed-backup`,
      {
        ...common,
        alarmDescription: `cn-log-backup: no backup job completed in the source vault for ${hours} h`,
        namespace: "AWS/Backup",
        metricName: "NumberOfBackupJobsCompleted",
        dimensions: { BackupVaultName: vault.name },
        statistic: "Sum",
        period: 3600,
        evaluationPeriods: hours,
        datapointsToAlarm: hours,
        threshold: 1,
        comparisonOperator: "LessThanThreshold",
        // No data at all (nothing ran) is exactly what this alarm is for.
        treatMissingData: "breaching",
      },
      { parent: this },
    );
    new aws.cloudwatch.MetricAlarm(
      `${name}-errors-queued`,
      {
        ...common,
        alarmDescription: "cn-log-backup: events or invocations failed into the BackupEvents error queue",
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: messaging.queue.name },
        statistic: "Maximum",
        period: 300,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
      },
      { parent: this },
    );
  }

  private snapshotExport(
    name: string,
    args: PrimaryRoleArgs,
    vault: VaultRef,
    lambdaCommon: LambdaCommon,
    queueKeyUse: PolicyStatement,
  ): InlineLambda {
    const archive = args.archive!;
    const o = { parent: this };
    const bucketArn = arn({ service: "s3", region: "", account: "", resource: archive.bucketName }, o);
    const exportsArn = arn({ service: "s3", region: "", account: "", resource: pulumi.interpolate`${archive.bucketName}/exports/*` }, o);
    const exportPrincipal = servicePrincipal("export.rds", o);
    const rdsVia = viaService("rds", this.facts.region, o);
    const exportRole = new aws.iam.Role(
      `${name}-export-role`,
      {
        description: "RDS snapshot export writes cn-log-backup snapshots to the archive's exports/ prefix with this role",
        assumeRolePolicy: serviceTrustPolicy({ principal: exportPrincipal, sourceAccount: this.facts.accountId }),
        tags: args.tags,
      },
      o,
    );
    new aws.iam.RolePolicy(
      `${name}-export-role-policy`,
      {
        role: exportRole.id,
        policy: policyDocument([
          { Sid: "LocateTheBucket", Effect: "Allow", Action: ["s3:GetBucketLocation", "s3:ListBucket"], Resource: [bucketArn] },
          { Sid: "WriteExports", Effect: "Allow", Action: ["s3:PutObject*", "s3:GetObject*", "s3:DeleteObject*"], Resource: [exportsArn] },
          {
            Sid: "EncryptWithTheArchiveKey",
            Effect: "Allow",
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            Resource: [archive.keyArn],
          },
          {
            Sid: "GrantsOnTheArchiveKeyForRds",
            Effect: "Allow",
            Action: ["kms:CreateGrant"],
            Resource: [archive.keyArn],
            Condition: { StringEquals: { "kms:ViaService": rdsVia }, Bool: { "kms:GrantIsForAWSResource": true } },
          },
        ]),
      },
      o,
    );
    const exporter = new InlineLambda(
      `${name}-snapshot-export`,
      {
        ...lambdaCommon,
        description: "Exports completed Aurora/RDS backup snapshots to the archive bucket's exports/ prefix (Parquet)",
        callbackFactory: snapshotExportFactory,
        environment: {
          SOURCE_VAULT_ARN: vault.arn,
          EXPORT_BUCKET: archive.bucketName,
          EXPORT_PREFIX: "exports/",
          EXPORT_KMS_KEY_ARN: archive.keyArn,
          EXPORT_ROLE_ARN: exportRole.arn,
        },
        statements: [
          {
            Sid: "ExportThisAccountsBackupSnapshots",
            Effect: "Allow",
            Action: ["rds:StartExportTask"],
            Resource: [arn({ service: "rds", resource: "snapshot:awsbackup:*" }, o), arn({ service: "rds", resource: "cluster-snapshot:awsbackup:*" }, o)],
          },
          {
            Sid: "PassTheExportRoleToRds",
            Effect: "Allow",
            Action: ["iam:PassRole"],
            Resource: [exportRole.arn],
            Condition: { StringEquals: { "iam:PassedToService": exportPrincipal } },
          },
          // StartExportTask lets RDS create a grant on the export key for the export (an AWS resource):
          // https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ExportSnapshot.html,
          // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource
          { Sid: "LetRdsDescribeTheArchiveKey", Effect: "Allow", Action: ["kms:DescribeKey"], Resource: [archive.keyArn] },
          {
            Sid: "LetRdsUseTheArchiveKey",
            Effect: "Allow",
            Action: ["kms:CreateGrant"],
            Resource: [archive.keyArn],
            Condition: { StringEquals: { "kms:ViaService": rdsVia }, Bool: { "kms:GrantIsForAWSResource": true } },
          },
          queueKeyUse,
        ],
      },
      o,
    );
    this.queueSourceRoles.push(exporter.role.arn);
    this.rule(
      `${name}-export-snapshot`,
      {
        source: ["aws.backup"],
        "detail-type": ["Backup Job State Change"],
        detail: { state: ["COMPLETED"], backupVaultArn: [vault.arn], resourceType: ["Aurora", "RDS"] },
      },
      "cn-log-backup: an Aurora/RDS backup completed: export the snapshot to the archive",
      { arn: exporter.arn, kind: "lambda", lambda: exporter },
      args.tags,
    );
    return exporter;
  }

  private auditFramework(name: string, args: PrimaryRoleArgs) {
    const o = { parent: this };
    const retention = String(Math.min(args.plan.deleteAfterDays, args.retainAfterCopyDays + 1));
    const framework = new aws.backup.Framework(
      `${name}-framework`,
      {
        name: "cn_log_backup_controls",
        description: `cn-log-backup: encrypted, frequent, retained, copied to ${regionName(args.backupRegion)}, locked`,
        controls: [
          { name: "BACKUP_RECOVERY_POINT_ENCRYPTED" },
          {
            name: "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
            inputParameters: [
              { name: "requiredFrequencyUnit", value: "hours" },
              { name: "requiredFrequencyValue", value: "24" },
              { name: "requiredRetentionDays", value: retention },
            ],
          },
          { name: "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", inputParameters: [{ name: "requiredRetentionDays", value: retention }] },
          { name: "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION", inputParameters: [{ name: "crossRegionList", value: args.backupRegion }] },
          { name: "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK" },
        ],
        tags: args.tags,
      },
      o,
    );
    new aws.backup.ReportPlan(
      `${name}-report-plan`,
      {
        name: "cn_log_backup_compliance",
        description: "cn-log-backup: daily control compliance report into the archive bucket",
        reportDeliveryChannel: { s3BucketName: args.archive!.bucketName, s3KeyPrefix: BACKUP_REPORTS_PREFIX, formats: ["CSV", "JSON"] },
        reportSetting: { reportTemplate: "CONTROL_COMPLIANCE_REPORT", frameworkArns: [framework.arn] },
        tags: args.tags,
      },
      o,
    );
  }
}
