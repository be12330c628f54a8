/**
 * Customer-managed KMS keys. Every key: rotation on, a deletion window from config, and a key
 * policy whose only `kms:*` grant is the owning account's root (so IAM policies decide for the
 * account's principals), plus exactly the service statements a caller passes.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement, policyDocumentJson } from "./iam";
import { accountRootArn, logGroupArn, servicePrincipal } from "./partition";

export interface KeyArgs {
  description: string;
  /** Statements added after the account-root statement. */
  statements?: PolicyStatement[];
  deletionWindowInDays: number;
  /** Alias without the `alias/` prefix, e.g. `cn-log-backup/lambda-logs`. */
  alias?: string;
  tags?: Record<string, string>;
}

/** A customer-managed key (and alias) with the key policy described above. */
export function customerManagedKey(name: string, args: KeyArgs, opts: pulumi.CustomResourceOptions): aws.kms.Key {
  const key = new aws.kms.Key(
    name,
    {
      description: args.description,
      enableKeyRotation: true,
      deletionWindowInDays: args.deletionWindowInDays,
      // Key policies take only a JSON string; they name no resource of this stack, so it is known at preview.
      policy: policyDocumentJson([
        {
          Sid: "AccountRootAdministers",
          Effect: "Allow",
          Principal: { AWS: accountRootArn(undefined, opts) },
          Action: "kms:*",
          Resource: "*",
        },
        ...(args.statements ?? []),
      ]),
      tags: args.tags,
    },
    opts,
  );
  if (args.alias) {
    new aws.kms.Alias(`${name}-alias`, { name: `alias/${args.alias}`, targetKeyId: key.keyId }, { ...opts, parent: key });
  }
  return key;
}

/**
 * Lets CloudWatch Logs in `region` use the key for log groups of this account only, the way AWS
 * documents it: the regional logs principal, limited by the log-group ARN encryption context. That
 * ARN carries this account's id, so it is the confused-deputy guard here (CloudWatch Logs does not
 * document `aws:SourceAccount` on its KMS calls).
 */
export function cloudWatchLogsKeyStatement(region: pulumi.Input<string>): PolicyStatement {
  return {
    Sid: "CloudWatchLogsEncryptsThisAccountsLogGroups",
    Effect: "Allow",
    Principal: { Service: servicePrincipal("logs", { region }) },
    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
    Resource: "*",
    Condition: {
      ArnLike: {
        "kms:EncryptionContext:aws:logs:arn": logGroupArn("*", { region }),
      },
    },
  };
}
