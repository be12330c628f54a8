import {
    iamActionsExist,
    iamNoAdminManagedPolicies,
    iamNoWildcardActions,
    iamPassRoleRestricted,
    iamWildcardResourceOnlyForUnscopedActions,
    lambdaPermissionSourceArn,
    noUnrestrictedPublicPrincipal,
    serviceConfusedDeputy,
} from "../../policy-pack/least-privilege";
import { ACCOUNT, res, roleArn, runOne, UNKNOWN } from "./helpers";

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy";

const doc = (...Statement: any[]) => ({ Version: "2012-10-17", Statement });
const rolePolicy = (d: any, name = "fn-policy") => res(ROLE_POLICY, name, { role: "fn-role", policy: d });
const lambdaTrust = (condition?: any) =>
    doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) });
const sourceAccount = { StringEquals: { "aws:SourceAccount": ACCOUNT } };

describe("iam-no-wildcard-actions", () => {
    it("passes exact actions, and Deny statements with wildcards", async () => {
        const { result, messages } = await runOne(iamNoWildcardActions, [
            rolePolicy(doc({ Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: "arn:aws-cn:s3:::archive/*" })),
            res(BUCKET_POLICY, "bp", { bucket: "archive", policy: doc({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }) }),
        ]);
        expect(messages).toEqual([]);
        expect(result.examined).toBe(2);
    });

    it("reports *, service:* and NotAction in Allow statements", async () => {
        const { messages } = await runOne(iamNoWildcardActions, [
            rolePolicy(doc({ Sid: "All", Effect: "Allow", Action: ["s3:*", "logs:PutLogEvents"], Resource: "*" }, { Effect: "Allow", Action: "*", Resource: "*" }, { Effect: "Allow", NotAction: "iam:*", Resource: "*" })),
        ]);
        expect(messages).toEqual([
            'RolePolicy "fn-policy" policy: statement "All" allows "s3:*"; list the exact actions instead.',
            'RolePolicy "fn-policy" policy: statement #2 allows "*"; list the exact actions instead.',
            'RolePolicy "fn-policy" policy: statement #3 allows everything except its NotAction list; use Action with the exact actions instead.',
        ]);
    });

    it("in preview, decides from the known actions when the resources are unknown", async () => {
        const { result, messages } = await runOne(
            iamNoWildcardActions,
            [rolePolicy(doc({ Effect: "Allow", Action: ["sqs:*"], Resource: [UNKNOWN] }, { Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [UNKNOWN] }))],
            { preview: true },
        );
        expect(result.skipped).toEqual([]);
        expect(messages).toEqual(['RolePolicy "fn-policy" policy: statement #1 allows "sqs:*"; list the exact actions instead.']);
    });

    it("checks a role's inline policies and leaves KMS key policies to the KMS policy", async () => {
        const { result, messages } = await runOne(iamNoWildcardActions, [
            res(ROLE, "r", { assumeRolePolicy: JSON.stringify(lambdaTrust(sourceAccount)), inlinePolicies: [{ name: "p", policy: JSON.stringify(doc({ Effect: "Allow", Action: "dynamodb:*", Resource: "*" })) }] }),
            res("aws:kms/key:Key", "k", { policy: doc({ Effect: "Allow", Principal: { AWS: `arn:aws-cn:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }) }),
        ]);
        expect(messages).toEqual(['Role "r" inlinePolicies[0].policy: statement #1 allows "dynamodb:*"; list the exact actions instead.']);
        expect(result.examinedResources).toEqual([`${ROLE} r`]);
    });
});

describe("iam-wildcard-resource-only-for-unscoped-actions", () => {
    it("passes Resource * for actions without resource-level permissions (from AWS's catalogue)", async () => {
        const { result, messages } = await runOne(iamWildcardResourceOnlyForUnscopedActions, [
            rolePolicy(doc({ Effect: "Allow", Action: ["logs:DescribeLogGroups", "ec2:DescribeInstances", "s3:ListAllMyBuckets", "kms:ListAliases"], Resource: "*" })),
        ]);
        expect(messages).toEqual([]);
        expect(result.examined).toBe(1);
    });

    it("reports actions that support resource-level permissions, including those a wildcard expands to", async () => {
        const { messages } = await runOne(iamWildcardResourceOnlyForUnscopedActions, [
            rolePolicy(doc({ Sid: "Scan", Effect: "Allow", Action: ["rds:DescribeDBInstances", "logs:DescribeLogGroups", "backup:StartCopyJob"], Resource: "*" })),
        ]);
        expect(messages).toEqual([
            'RolePolicy "fn-policy" policy: statement "Scan" uses Resource "*" for actions that support resource-level permissions: rds:DescribeDBInstances, backup:StartCopyJob; name their resources.',
        ]);
        const wild = await runOne(iamWildcardResourceOnlyForUnscopedActions, [rolePolicy(doc({ Effect: "Allow", Action: "rds:DescribeDBLog*", Resource: "*" }))]);
        expect(wild.messages).toEqual([expect.stringContaining("rds:DescribeDBLog* (rds:DescribeDBLogFiles)")]);
    });

    it("accepts an allow-listed action and ignores statements with named resources (unknown in preview)", async () => {
        const cfg = { "iam-wildcard-resource-only-for-unscoped-actions": { allowedActions: ["cloudwatch:PutMetricData"] } };
        expect((await runOne(iamWildcardResourceOnlyForUnscopedActions, [rolePolicy(doc({ Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*" }))], { config: cfg })).messages).toEqual([]);
        const preview = await runOne(iamWildcardResourceOnlyForUnscopedActions, [rolePolicy(doc({ Effect: "Allow", Action: "rds:DescribeDBLogFiles", Resource: [UNKNOWN] }))], { preview: true });
        expect(preview.messages).toEqual([]);
        expect(preview.result.skipped).toEqual([]);
        expect(preview.result.examined).toBe(1);
    });
});

describe("iam-actions-exist", () => {
    it("passes real actions in identity, trust and resource policies", async () => {
        const { result, messages } = await runOne(iamActionsExist, [
            rolePolicy(doc({ Effect: "Allow", Action: ["s3:PutObject", "s3:Get*", "kms:GenerateDataKey*"], Resource: "*" })),
            res(ROLE, "r", { assumeRolePolicy: lambdaTrust(sourceAccount) }),
            res(QUEUE_POLICY, "qp", { queueUrl: "u", policy: doc({ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sqs:SendMessage", Resource: "*" }) }),
        ]);
        expect(messages).toEqual([]);
        expect(result.examined).toBe(3);
    });

    it("reports a typo, an unknown service, a wildcard matching nothing and invalid JSON, in Allow and Deny", async () => {
        const { messages } = await runOne(iamActionsExist, [
            rolePolicy(doc({ Effect: "Allow", Action: ["s3:GetObjekt", "s4:GetObject", "s3:Frobnicate*"], Resource: "*" }, { Effect: "Deny", NotAction: "backup:DeleteRecoveryPoints", Resource: "*" })),
            res(ROLE_POLICY, "bad-json", { role: "r", policy: "{not json" }),
        ]);
        expect(messages).toEqual([
            'RolePolicy "fn-policy" policy: statement #1: action "s3:GetObjekt" does not exist in AWS\'s IAM catalogue.',
            'RolePolicy "fn-policy" policy: statement #1: service prefix "s4" does not exist in AWS\'s IAM catalogue.',
            'RolePolicy "fn-policy" policy: statement #1: "s3:Frobnicate*" matches no s3 action in AWS\'s IAM catalogue.',
            'RolePolicy "fn-policy" policy: statement #2: action "backup:DeleteRecoveryPoints" does not exist in AWS\'s IAM catalogue.',
            'RolePolicy "bad-json" policy is not valid JSON.',
        ]);
    });

    it("in preview, checks a known document next to an unknown one and reports the unknown one as skipped", async () => {
        const { result, messages } = await runOne(
            iamActionsExist,
            [res(ROLE, "r", { assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRol" }), inlinePolicies: [{ name: "p", policy: UNKNOWN }] })],
            { preview: true },
        );
        expect(messages).toEqual(['Role "r" assumeRolePolicy: statement #1: action "sts:AssumeRol" does not exist in AWS\'s IAM catalogue.']);
        expect(result.skipped).toEqual([
            {
                urn: expect.stringContaining("Role::r"),
                resourceName: "r",
                message: "can't run policy 'iam-actions-exist' from policy pack 'cn-log-backup' during preview: string value at .inlinePolicies.0.policy can't be known during preview",
            },
        ]);
    });
});

describe("iam-passrole-restricted", () => {
    it("passes PassRole on a named role with iam:PassedToService (role ARN unknown in preview)", async () => {
        const st = { Effect: "Allow", Action: "iam:PassRole", Resource: roleArn("backup-role"), Condition: { StringEquals: { "iam:PassedToService": "backup.amazonaws.com" } } };
        expect((await runOne(iamPassRoleRestricted, [rolePolicy(doc(st))])).messages).toEqual([]);
        const preview = await runOne(iamPassRoleRestricted, [rolePolicy(doc({ ...st, Resource: UNKNOWN }))], { preview: true });
        expect(preview.messages).toEqual([]);
        expect(preview.result.examined).toBe(1);
    });

    it("reports PassRole without the condition and on wildcard roles, also through iam:Pass*", async () => {
        const { messages } = await runOne(iamPassRoleRestricted, [rolePolicy(doc({ Effect: "Allow", Action: "iam:Pass*", Resource: `arn:aws-cn:iam::${ACCOUNT}:role/*` }))]);
        expect(messages).toEqual([
            'RolePolicy "fn-policy" policy: statement #1 allows iam:PassRole without an iam:PassedToService condition.',
            `RolePolicy "fn-policy" policy: statement #1 allows iam:PassRole on "arn:aws-cn:iam::${ACCOUNT}:role/*"; name the role ARN(s).`,
        ]);
    });
});

describe("iam-no-admin-managed-policies", () => {
    const ATTACH = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
    it("passes narrow managed policies", async () => {
        const { result, messages } = await runOne(iamNoAdminManagedPolicies, [
            res(ATTACH, "ssm", { role: "r", policyArn: "arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore" }),
            res(ROLE, "r", { assumeRolePolicy: "{}", managedPolicyArns: ["arn:aws-cn:iam::aws:policy/CloudWatchAgentServerPolicy"] }),
        ]);
        expect(messages).toEqual([]);
        expect(result.examined).toBe(2);
    });

    it("reports AdministratorAccess, PowerUserAccess and *FullAccess unless allow-listed", async () => {
        const records = [
            res(ATTACH, "admin", { role: "r", policyArn: "arn:aws-cn:iam::aws:policy/AdministratorAccess" }),
            res(ATTACH, "s3full", { role: "r", policyArn: "arn:aws-cn:iam::aws:policy/AmazonS3FullAccess" }),
            res(ROLE, "r", { assumeRolePolicy: "{}", managedPolicyArns: ["arn:aws-cn:iam::aws:policy/PowerUserAccess"] }),
        ];
        expect((await runOne(iamNoAdminManagedPolicies, records)).messages).toEqual([
            'RolePolicyAttachment "admin" attaches the AWS managed policy AdministratorAccess, which grants admin, full or read-everything access; use an inline least-privilege policy instead.',
            'RolePolicyAttachment "s3full" attaches the AWS managed policy AmazonS3FullAccess, which grants admin, full or read-everything access; use an inline least-privilege policy instead.',
            'Role "r" attaches the AWS managed policy PowerUserAccess, which grants admin, full or read-everything access; use an inline least-privilege policy instead.',
        ]);
        expect((await runOne(iamNoAdminManagedPolicies, records, { config: { "iam-no-admin-managed-policies": { allowedPolicies: ["AmazonS3FullAccess", "PowerUserAccess"] } } })).messages).toHaveLength(1);
    });

    it("in preview, an unknown policy ARN is a customer-managed policy created in this deployment, not an AWS managed one", async () => {
        const { result, messages } = await runOne(iamNoAdminManagedPolicies, [res(ATTACH, "custom", { role: UNKNOWN, policyArn: UNKNOWN })], { preview: true });
        expect(messages).toEqual([]);
        expect(result.skipped).toEqual([]);
        expect(result.examined).toBe(1);
    });
});

describe("service-principal-confused-deputy", () => {
    it("passes service statements with aws:SourceAccount or aws:SourceArn (value unknown in preview)", async () => {
        const { result, messages } = await runOne(serviceConfusedDeputy, [
            res(ROLE, "r", { assumeRolePolicy: lambdaTrust(sourceAccount) }),
            res(QUEUE_POLICY, "qp", { queueUrl: "u", policy: doc({ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sqs:SendMessage", Resource: UNKNOWN, Condition: { ArnEquals: { "aws:SourceArn": UNKNOWN } } }) }),
        ], { preview: true });
        expect(messages).toEqual([]);
        expect(result.skipped).toEqual([]);
        expect(result.examined).toBe(2);
    });

    it("reports a trust policy and a resource policy without the condition; exempt services by config", async () => {
        const records = [
            res(ROLE, "r", { assumeRolePolicy: JSON.stringify(lambdaTrust()) }),
            res(ROLE, "ec2", { assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: ["ec2.amazonaws.com.cn"] }, Action: "sts:AssumeRole" }) }),
        ];
        expect((await runOne(serviceConfusedDeputy, records)).messages).toEqual([
            'Role "r" assumeRolePolicy: statement #1 allows lambda.amazonaws.com without an aws:SourceAccount or aws:SourceArn condition.',
            'Role "ec2" assumeRolePolicy: statement #1 allows ec2.amazonaws.com.cn without an aws:SourceAccount or aws:SourceArn condition.',
        ]);
        expect((await runOne(serviceConfusedDeputy, records, { config: { "service-principal-confused-deputy": { exemptServices: ["ec2"] } } })).messages).toHaveLength(1);
    });
});

describe("service-principal-confused-deputy in KMS key policies", () => {
    const KEY = "aws:kms/key:Key";
    const logsStatement = (arn: any) => ({
        Sid: "Logs",
        Effect: "Allow",
        Principal: { Service: "logs.cn-north-1.amazonaws.com.cn" },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": arn } },
    });

    it("accepts an encryption-context ARN condition naming our account (AWS's documented guard for CloudWatch Logs)", async () => {
        const { messages } = await runOne(serviceConfusedDeputy, [res(KEY, "k", { policy: doc(logsStatement(`arn:aws-cn:logs:cn-north-1:${ACCOUNT}:log-group:*`)) })]);
        expect(messages).toEqual([]);
    });

    it("reports an encryption-context condition with a wildcard account, an unknown one, and the same condition outside a key policy", async () => {
        const wild = await runOne(serviceConfusedDeputy, [res(KEY, "k", { policy: doc(logsStatement("arn:aws-cn:logs:cn-north-1:*:log-group:*")) })]);
        expect(wild.messages).toEqual(['Key "k" policy: statement "Logs" allows logs.cn-north-1.amazonaws.com.cn without an aws:SourceAccount or aws:SourceArn condition.']);
        const unknown = await runOne(serviceConfusedDeputy, [res(KEY, "k", { policy: doc(logsStatement(UNKNOWN)) })], { preview: true });
        expect(unknown.messages).toHaveLength(1);
        const queue = await runOne(serviceConfusedDeputy, [res(QUEUE_POLICY, "qp", { queueUrl: "u", policy: doc(logsStatement(`arn:aws-cn:logs:cn-north-1:${ACCOUNT}:log-group:*`)) })]);
        expect(queue.messages).toHaveLength(1);
    });
});

describe("service-principal-confused-deputy with sts:ExternalId in trust policies", () => {
    const firehoseTrust = (externalId: any) =>
        doc({ Effect: "Allow", Principal: { Service: "firehose.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": externalId } } });

    it("accepts an external id equal to an account id (Firehose's documented form)", async () => {
        expect((await runOne(serviceConfusedDeputy, [res(ROLE, "firehose", { assumeRolePolicy: JSON.stringify(firehoseTrust(ACCOUNT)) })])).messages).toEqual([]);
    });

    it("reports an external id that is not an account id, or one outside a trust policy", async () => {
        expect((await runOne(serviceConfusedDeputy, [res(ROLE, "firehose", { assumeRolePolicy: firehoseTrust("shared-secret") })])).messages).toEqual([
            'Role "firehose" assumeRolePolicy: statement #1 allows firehose.amazonaws.com without an aws:SourceAccount or aws:SourceArn condition.',
        ]);
        expect((await runOne(serviceConfusedDeputy, [res(QUEUE_POLICY, "qp", { queueUrl: "u", policy: firehoseTrust(ACCOUNT) })])).messages).toHaveLength(1);
    });
});

describe("no-unrestricted-public-principal", () => {
    it("passes Principal * with an account condition, and Deny statements", async () => {
        const { messages } = await runOne(noUnrestrictedPublicPrincipal, [
            res("aws:backup/vaultPolicy:VaultPolicy", "vp", {
                backupVaultName: "v",
                policy: doc(
                    { Effect: "Deny", Principal: "*", Action: "backup:DeleteRecoveryPoint", Resource: "*" },
                    { Effect: "Allow", Principal: { AWS: "*" }, Action: "backup:CopyIntoBackupVault", Resource: "*", Condition: { StringEquals: { "aws:PrincipalAccount": ACCOUNT } } },
                ),
            }),
        ]);
        expect(messages).toEqual([]);
    });

    it("in preview, accepts a restricting condition whose value is unknown and still reports a non-restricting one", async () => {
        const { result, messages } = await runOne(
            noUnrestrictedPublicPrincipal,
            [
                res(QUEUE_POLICY, "ok", { queueUrl: UNKNOWN, policy: doc({ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: UNKNOWN, Condition: { ArnEquals: { "aws:SourceArn": UNKNOWN } } }) }),
                res(QUEUE_POLICY, "bad", { queueUrl: UNKNOWN, policy: doc({ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: UNKNOWN, Condition: { Bool: { "aws:SecureTransport": UNKNOWN } } }) }),
            ],
            { preview: true },
        );
        expect(result.skipped).toEqual([]);
        expect(messages).toEqual(['QueuePolicy "bad" policy: statement #1 allows Principal "*" without a restricting condition.']);
    });

    it("reports Principal * and NotPrincipal without a restricting condition", async () => {
        const { messages } = await runOne(noUnrestrictedPublicPrincipal, [
            res(BUCKET_POLICY, "bp", { bucket: "b", policy: doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws-cn:s3:::b/*", Condition: { Bool: { "aws:SecureTransport": "true" } } }) }),
            res("aws:sns/topicPolicy:TopicPolicy", "tp", { arn: "t", policy: doc({ Effect: "Allow", NotPrincipal: { AWS: roleArn("x") }, Action: "sns:Publish", Resource: "*" }) }),
        ]);
        expect(messages).toEqual([
            'BucketPolicy "bp" policy: statement #1 allows Principal "*" without a restricting condition.',
            'TopicPolicy "tp" policy: statement #1 allows everyone but its NotPrincipal without a restricting condition.',
        ]);
    });
});

describe("lambda-permission-source-arn", () => {
    const PERM = "aws:lambda/permission:Permission";
    it("passes a service permission with sourceArn (unknown in preview) and ignores account principals", async () => {
        const { result, messages } = await runOne(lambdaPermissionSourceArn, [
            res(PERM, "events", { action: "lambda:InvokeFunction", function: "f", principal: "events.amazonaws.com", sourceArn: UNKNOWN }),
            res(PERM, "account", { action: "lambda:InvokeFunction", function: "f", principal: ACCOUNT }),
        ], { preview: true });
        expect(messages).toEqual([]);
        expect(result.examinedResources).toEqual([`${PERM} events`]);
    });
    it("reports a service permission without sourceArn", async () => {
        expect((await runOne(lambdaPermissionSourceArn, [res(PERM, "p", { action: "lambda:InvokeFunction", function: "f", principal: "s3.amazonaws.com" })])).messages).toEqual([
            'Permission "p" lets s3.amazonaws.com invoke the function from any source: set sourceArn.',
        ]);
    });
});

/**
 * Preview of a new stack: documents built with infra/iam.ts `policyDocument` reach the pack as
 * objects whose ARN leaves are unknown. Each check must decide (nothing skipped), report the same
 * violations as with the ARNs known, and take the worst case for parts the program writes as
 * literals (Effect, Action, the principal, the condition) when one is unknown anyway.
 */
describe("least privilege during preview (object documents with unknown leaves)", () => {
    const preview = { preview: true };
    const decided = (r: { result: { skipped: unknown[]; examined: number } }) => {
        expect(r.result.skipped).toEqual([]);
        expect(r.result.examined).toBe(1);
    };

    it("iam-no-wildcard-actions: s3:* with an unknown Resource is still a violation; unknown actions or Effect are the worst case", async () => {
        const bp = res(BUCKET_POLICY, "bp", { bucket: UNKNOWN, policy: doc({ Effect: "Allow", Principal: { AWS: roleArn("reader") }, Action: "s3:*", Resource: [UNKNOWN, UNKNOWN] }) });
        const wild = await runOne(iamNoWildcardActions, [bp], preview);
        decided(wild);
        expect(wild.messages).toEqual(['BucketPolicy "bp" policy: statement #1 allows "s3:*"; list the exact actions instead.']);

        const exact = await runOne(iamNoWildcardActions, [rolePolicy(doc({ Effect: "Allow", Action: ["s3:GetObject"], Resource: [UNKNOWN] }))], preview);
        decided(exact);
        expect(exact.messages).toEqual([]);

        const unknownAction = await runOne(iamNoWildcardActions, [rolePolicy(doc({ Effect: "Allow", Action: ["s3:GetObject", UNKNOWN], Resource: [UNKNOWN] }))], preview);
        decided(unknownAction);
        expect(unknownAction.messages).toEqual(['RolePolicy "fn-policy" policy: statement #1 allows actions that are unknown during preview (they could be "*"); write the exact actions as literals.']);

        const unknownEffect = await runOne(iamNoWildcardActions, [rolePolicy(doc({ Effect: UNKNOWN, Action: "dynamodb:*", Resource: [UNKNOWN] }))], preview);
        decided(unknownEffect);
        expect(unknownEffect.messages).toEqual(['RolePolicy "fn-policy" policy: statement #1 allows "dynamodb:*"; list the exact actions instead.']);
    });

    it("iam-wildcard-resource-only-for-unscoped-actions: an unknown Resource is never \"*\"; Resource \"*\" with unknown actions is a violation", async () => {
        const named = await runOne(iamWildcardResourceOnlyForUnscopedActions, [rolePolicy(doc({ Effect: "Allow", Action: "rds:DescribeDBInstances", Resource: UNKNOWN }))], preview);
        decided(named);
        expect(named.messages).toEqual([]);

        const scoped = await runOne(
            iamWildcardResourceOnlyForUnscopedActions,
            [rolePolicy(doc({ Effect: "Allow", Action: ["logs:PutLogEvents"], Resource: [UNKNOWN] }, { Effect: "Allow", Action: ["backup:StartCopyJob"], Resource: "*" }))],
            preview,
        );
        decided(scoped);
        expect(scoped.messages).toEqual(['RolePolicy "fn-policy" policy: statement #2 uses Resource "*" for actions that support resource-level permissions: backup:StartCopyJob; name their resources.']);

        const unknownActions = await runOne(iamWildcardResourceOnlyForUnscopedActions, [rolePolicy(doc({ Effect: "Allow", Action: UNKNOWN, Resource: "*" }))], preview);
        decided(unknownActions);
        expect(unknownActions.messages).toEqual([
            'RolePolicy "fn-policy" policy: statement #1 uses Resource "*" for actions that support resource-level permissions: actions unknown during preview; name their resources.',
        ]);
    });

    it("iam-actions-exist: a typo next to unknown ARNs is a violation, and so is an Action it cannot read", async () => {
        const typo = await runOne(
            iamActionsExist,
            [res(QUEUE_POLICY, "qp", { queueUrl: UNKNOWN, policy: doc({ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sqs:SendMesage", Resource: [UNKNOWN], Condition: { ArnEquals: { "aws:SourceArn": [UNKNOWN] } } }) })],
            preview,
        );
        decided(typo);
        expect(typo.messages).toEqual(['QueuePolicy "qp" policy: statement #1: action "sqs:SendMesage" does not exist in AWS\'s IAM catalogue.']);

        const fine = await runOne(iamActionsExist, [res(ROLE, "r", { assumeRolePolicy: lambdaTrust({ StringEquals: { "aws:SourceAccount": UNKNOWN } }) })], preview);
        decided(fine);
        expect(fine.messages).toEqual([]);

        const unread = await runOne(iamActionsExist, [rolePolicy(doc({ Effect: "Deny", NotAction: [UNKNOWN], Resource: [UNKNOWN] }))], preview);
        decided(unread);
        expect(unread.messages).toEqual([
            "RolePolicy \"fn-policy\" policy: statement #1: NotAction is unknown during preview, so it cannot be checked against AWS's IAM catalogue; write the actions as literals.",
        ]);
    });

    it("iam-passrole-restricted: PassRole on an unknown role ARN still needs iam:PassedToService; unknown actions may be PassRole", async () => {
        const condition = { StringEquals: { "iam:PassedToService": "backup.amazonaws.com" } };
        const ok = await runOne(iamPassRoleRestricted, [rolePolicy(doc({ Effect: "Allow", Action: "iam:PassRole", Resource: [UNKNOWN], Condition: condition }))], preview);
        decided(ok);
        expect(ok.messages).toEqual([]);

        const bad = await runOne(iamPassRoleRestricted, [rolePolicy(doc({ Effect: "Allow", Action: "iam:PassRole", Resource: [UNKNOWN, `arn:aws-cn:iam::${ACCOUNT}:role/*`] }))], preview);
        decided(bad);
        expect(bad.messages).toEqual([
            'RolePolicy "fn-policy" policy: statement #1 allows iam:PassRole without an iam:PassedToService condition.',
            `RolePolicy "fn-policy" policy: statement #1 allows iam:PassRole on "arn:aws-cn:iam::${ACCOUNT}:role/*"; name the role ARN(s).`,
        ]);

        const unknownAction = await runOne(iamPassRoleRestricted, [rolePolicy(doc({ Effect: "Allow", Action: [UNKNOWN], Resource: [UNKNOWN] }))], preview);
        decided(unknownAction);
        expect(unknownAction.messages).toEqual([
            'RolePolicy "fn-policy" policy: statement #1 allows actions unknown during preview (possibly iam:PassRole) without an iam:PassedToService condition.',
        ]);
    });

    it("service-principal-confused-deputy: a service principal without aws:SourceAccount is reported although the Resource is unknown", async () => {
        const queue = (statement: any) => res(QUEUE_POLICY, "qp", { queueUrl: UNKNOWN, policy: doc(statement) });
        const events = { Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: ["sqs:SendMessage"], Resource: [UNKNOWN] };

        const bad = await runOne(serviceConfusedDeputy, [queue(events)], preview);
        decided(bad);
        expect(bad.messages).toEqual(['QueuePolicy "qp" policy: statement #1 allows events.amazonaws.com without an aws:SourceAccount or aws:SourceArn condition.']);

        const ok = await runOne(serviceConfusedDeputy, [queue({ ...events, Condition: { ArnEquals: { "aws:SourceArn": [UNKNOWN, UNKNOWN] } } })], preview);
        decided(ok);
        expect(ok.messages).toEqual([]);

        // The S3 replication role's trust: aws:SourceArn is the (unknown) bucket ARN.
        const trust = await runOne(
            serviceConfusedDeputy,
            [res(ROLE, "replication", { assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { ArnLike: { "aws:SourceArn": UNKNOWN } } }) })],
            preview,
        );
        decided(trust);
        expect(trust.messages).toEqual([]);
    });

    it("service-principal-confused-deputy: an unknown principal, Service value or Condition is the worst case", async () => {
        const queue = (name: string, statement: any) => res(QUEUE_POLICY, name, { queueUrl: UNKNOWN, policy: doc(statement) });
        const { result, messages } = await runOne(
            serviceConfusedDeputy,
            [
                queue("whole", { Effect: "Allow", Principal: UNKNOWN, Action: "sqs:SendMessage", Resource: [UNKNOWN] }),
                queue("service", { Effect: "Allow", Principal: { Service: [UNKNOWN] }, Action: "sqs:SendMessage", Resource: [UNKNOWN] }),
                queue("condition", { Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sqs:SendMessage", Resource: [UNKNOWN], Condition: UNKNOWN }),
                queue("account", { Effect: "Allow", Principal: { AWS: [UNKNOWN] }, Action: "sqs:SendMessage", Resource: [UNKNOWN] }),
            ],
            preview,
        );
        expect(result.skipped).toEqual([]);
        expect(result.examined).toBe(4);
        expect(messages).toEqual([
            'QueuePolicy "whole" policy: statement #1 allows a principal unknown during preview without an aws:SourceAccount or aws:SourceArn condition.',
            'QueuePolicy "service" policy: statement #1 allows a service principal unknown during preview without an aws:SourceAccount or aws:SourceArn condition.',
            'QueuePolicy "condition" policy: statement #1 allows events.amazonaws.com without an aws:SourceAccount or aws:SourceArn condition (its Condition is unknown during preview: build it from known keys).',
        ]);
    });

    it("no-unrestricted-public-principal: Principal \"*\" with unknown ARNs still needs a restricting condition; an unknown principal may be \"*\"", async () => {
        const topic = (name: string, statement: any) => res("aws:sns/topicPolicy:TopicPolicy", name, { arn: UNKNOWN, policy: doc(statement) });
        const { result, messages } = await runOne(
            noUnrestrictedPublicPrincipal,
            [
                topic("open", { Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: [UNKNOWN] }),
                topic("pinned", { Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: [UNKNOWN], Condition: { StringEquals: { "aws:SourceAccount": UNKNOWN } } }),
                topic("unknown", { Effect: "Allow", Principal: UNKNOWN, Action: "sns:Publish", Resource: [UNKNOWN] }),
                topic("role", { Effect: "Allow", Principal: { AWS: [UNKNOWN] }, Action: "sns:Publish", Resource: [UNKNOWN] }),
                topic("tls", { Effect: "Deny", Principal: "*", Action: "sns:Publish", Resource: [UNKNOWN], Condition: { Bool: { "aws:SecureTransport": "false" } } }),
            ],
            preview,
        );
        expect(result.skipped).toEqual([]);
        expect(result.examined).toBe(5);
        expect(messages).toEqual([
            'TopicPolicy "open" policy: statement #1 allows Principal "*" without a restricting condition.',
            'TopicPolicy "unknown" policy: statement #1 allows a Principal unknown during preview (possibly "*") without a restricting condition.',
        ]);
    });
});
