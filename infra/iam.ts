/**
 * IAM policy documents as plain data. (We avoid `aws.iam.getPolicyDocument`: an invoke per
 * document, and opaque to the policy pack.)
 *
 * `policyDocument` returns a plain object whose leaves (ARNs, account ids, principals) may be
 * `pulumi.Input`s. Pass it to the fields that take `string | PolicyDocument` (role trust and
 * inline policies, bucket, queue, topic and CloudWatch Logs resource policies): the SDK serializes
 * a plain object leaf by leaf, so during a preview of a new stack only the ARNs of resources not
 * created yet are unknown and the policy pack still reads every Action, Principal and Condition
 * key. Never wrap a whole document or statement in an Output (`pulumi.output(doc)`, `.apply`,
 * `pulumi.jsonStringify`): one unknown leaf would then hide the whole document.
 *
 * `policyDocumentJson` is the JSON string, only for fields that take nothing else (KMS key
 * policies, Backup vault access policies).
 */
import * as pulumi from "@pulumi/pulumi";

/** One string or a list of them. Keep lists plain arrays of Inputs so each ARN stays its own leaf. */
type Inputs<T> = pulumi.Input<T> | pulumi.Input<T>[] | pulumi.Input<T[]>;

/** A principal as IAM writes it: `"*"` or one kind of principal. */
export type Principal = "*" | { AWS: Inputs<string> } | { Service: Inputs<string> } | { Federated: Inputs<string> };

/**
 * One IAM statement, a plain object. Actions are literals (the policy pack relies on it); resources,
 * principals and condition values may be Inputs. `Condition` is a plain map of plain maps, as IAM
 * writes it: operator -> key -> value(s).
 */
export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: Inputs<string>;
  NotResource?: Inputs<string>;
  Principal?: Principal;
  NotPrincipal?: Principal;
  Condition?: Record<string, Record<string, Inputs<string | boolean | number>>>;
}

/** A policy document: a plain object with Input leaves (see the module comment). */
export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

/** A policy document object from statements, for fields typed `pulumi.Input<string | PolicyDocument>`. */
export function policyDocument(statements: PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** A policy document JSON string, for fields that take only a string (`aws.kms.Key.policy`, `aws.backup.VaultPolicy.policy`). */
export function policyDocumentJson(statements: pulumi.Input<PolicyStatement[]>): pulumi.Output<string> {
  return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * Trust policy for a service principal, scoped against the confused deputy: the service may
 * assume the role only on behalf of `sourceAccount` (and, when given, the `sourceArn` resource).
 */
export function serviceTrustPolicy(args: {
  principal: pulumi.Input<string>;
  sourceAccount: pulumi.Input<string>;
  sourceArn?: pulumi.Input<string>;
}): PolicyDocument {
  const condition: Record<string, Record<string, pulumi.Input<string>>> = {
    StringEquals: { "aws:SourceAccount": args.sourceAccount },
  };
  if (args.sourceArn !== undefined) condition.ArnLike = { "aws:SourceArn": args.sourceArn };
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Service: args.principal },
      Action: "sts:AssumeRole",
      Condition: condition,
    },
  ]);
}

/** Denies any request to the resource that does not use TLS (bucket, queue and topic policies). */
export function denyInsecureTransport(resources: pulumi.Input<string>[], action: string): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: action,
    Resource: resources,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}
