/**
 * IAM policy documents as plain data. Statements take `pulumi.Input` values so ARNs of resources
 * not yet created can be used; `policyJson` resolves them into the JSON string AWS wants.
 * (We avoid `aws.iam.getPolicyDocument`: an invoke per document, and opaque to the policy pack.)
 */
import * as pulumi from "@pulumi/pulumi";

type Inputs<T> = pulumi.Input<T> | pulumi.Input<T>[] | pulumi.Input<T[]>;

/** One IAM statement. Use `Action`/`Resource` arrays; `Condition` as IAM writes it. */
export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: Inputs<string>;
  NotAction?: Inputs<string>;
  Resource?: Inputs<string>;
  NotResource?: Inputs<string>;
  Principal?: pulumi.Input<Record<string, Inputs<string>> | "*">;
  NotPrincipal?: pulumi.Input<Record<string, Inputs<string>>>;
  Condition?: pulumi.Input<Record<string, pulumi.Input<Record<string, Inputs<string | boolean | number>>>>>;
}

/** A policy document JSON string from statements. */
export function policyJson(statements: pulumi.Input<pulumi.Input<PolicyStatement>[]>): pulumi.Output<string> {
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
}): pulumi.Output<string> {
  const condition: Record<string, Record<string, pulumi.Input<string>>> = {
    StringEquals: { "aws:SourceAccount": args.sourceAccount },
  };
  if (args.sourceArn !== undefined) condition.ArnLike = { "aws:SourceArn": args.sourceArn };
  return policyJson([
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
