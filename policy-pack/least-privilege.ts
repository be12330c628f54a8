/**
 * Least privilege: IAM statements name real actions, no wildcards where a resource can be named,
 * PassRole is pinned, no admin managed policies, and services acting on our behalf are pinned to
 * our account (confused deputy).
 *
 * Documents are read from every resource that carries one (roles, role policies, bucket, key,
 * queue, topic, vault and log policies ...), as JSON strings or as objects. During preview parts of
 * an object document may be unknown (ARNs of resources not created yet); the checks decide from the
 * known parts: an unknown `Resource` is the ARN of a real resource, never `*`, and an unknown part
 * that the program writes as a literal (Effect, Action, the principal, condition keys) is taken as
 * the worst case for the check. The rule in full: lib/iam-document.ts.
 */
import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { fsbp } from "./lib/controls";
import { isWildcardOnly, resolveAction } from "./lib/iam-catalog";
import {
    conditionHasKey,
    conditionsOf,
    DocKind,
    DocRef,
    DOCUMENT_TYPES,
    documentsOf,
    InvalidDocumentError,
    KEY_POLICY_TYPES,
    labelOf,
    mayAllow,
    parseDocument,
    principalsOf,
    statementsOf,
    valuesOf,
} from "./lib/iam-document";
import { allowListSchema, describe, isSet, isUnknownError, knownString, MANDATORY, T, validateMatching, validateTypes } from "./lib/kit";

type StatementVisitor = (stmt: Record<string, any>, index: number, doc: DocRef) => void | Promise<void>;

/**
 * Visits the statements of a resource's documents of the given kinds. A document that is entirely
 * unknown does not stop the others from being checked; its unknown error is re-thrown at the end so
 * the engine reports the policy as not decidable during preview.
 */
export async function forEachStatement(
    args: ResourceValidationArgs,
    kinds: readonly DocKind[],
    visit: StatementVisitor,
    onInvalid?: (doc: DocRef, error: Error) => void,
): Promise<void> {
    let pending: unknown;
    for (const doc of documentsOf(args.type, args.props)) {
        if (!kinds.includes(doc.kind)) {
            continue;
        }
        try {
            const parsed = parseDocument(doc.get());
            const statements = statementsOf(parsed);
            for (let i = 0; i < statements.length; i++) {
                await visit(statements[i], i, doc);
            }
        } catch (e) {
            if (isUnknownError(e)) {
                pending = pending ?? e;
            } else if ((e as Error) instanceof InvalidDocumentError) {
                onInvalid?.(doc, e as Error);
            } else {
                throw e;
            }
        }
    }
    if (pending) {
        throw pending;
    }
}

export function where(args: ResourceValidationArgs, doc: DocRef, stmt: Record<string, any>, index: number): string {
    return `${describe(args)} ${doc.path}: ${labelOf(stmt, index)}`;
}

const docTypesExceptKeyPolicies = (type: string) => DOCUMENT_TYPES.includes(type) && !KEY_POLICY_TYPES.includes(type);

export const iamNoWildcardActions: ResourceValidationPolicy = {
    name: "iam-no-wildcard-actions",
    description: "No IAM statement allows `*` or `service:*` actions (or everything but a NotAction list). KMS key policies are judged by kms-key-policy-no-wildcard-grants.",
    remediationSteps: "List the exact actions the principal needs, e.g. [\"s3:PutObject\", \"s3:GetObject\"] instead of \"s3:*\".",
    enforcementLevel: MANDATORY,
    severity: "high",
    framework: fsbp("IAM.21", "IAM customer managed policies that you create should not allow wildcard actions for services"),
    validateResource: validateMatching(docTypesExceptKeyPolicies, async (_props, args, report) => {
        await forEachStatement(args, ["identity", "trust", "resource"], (stmt, i, doc) => {
            if (!mayAllow(stmt)) {
                return;
            }
            const actions = valuesOf(() => stmt.Action);
            const wild = actions.values.filter((a) => a === "*" || /^[^:]+:\*$/.test(a));
            if (wild.length > 0) {
                report(`${where(args, doc, stmt, i)} allows ${wild.map((a) => JSON.stringify(a)).join(", ")}; list the exact actions instead.`);
            }
            if (actions.unknown) {
                // Actions are literals; one that is unknown during preview could be "*".
                report(`${where(args, doc, stmt, i)} allows actions that are unknown during preview (they could be "*"); write the exact actions as literals.`);
            }
            if (valuesOf(() => stmt.NotAction).present) {
                report(`${where(args, doc, stmt, i)} allows everything except its NotAction list; use Action with the exact actions instead.`);
            }
        });
    }),
};

export interface WildcardResourceConfig {
    allowedActions?: string[];
}

export const iamWildcardResourceOnlyForUnscopedActions: ResourceValidationPolicy = {
    name: "iam-wildcard-resource-only-for-unscoped-actions",
    description:
        "An identity policy statement uses `Resource: \"*\"` only when every action in it has no resource-level permission in AWS's IAM catalogue (e.g. logs:DescribeLogGroups, rds:DescribeDBInstances is scoped and must name resources).",
    remediationSteps:
        "Name the resources (ARNs built with infra/partition.ts) for the actions that support them, and keep only the actions without resource-level permissions in a `Resource: \"*\"` statement. " +
        "An action AWS scopes but that is only ever used with \"*\" and a condition (e.g. cloudwatch:PutMetricData with cloudwatch:namespace) can be added to this policy's `allowedActions`.",
    enforcementLevel: MANDATORY,
    configSchema: {
        properties: {
            allowedActions: allowListSchema("Actions allowed with Resource \"*\" although AWS supports a resource for them (e.g. cloudwatch:PutMetricData, limited by a condition)."),
        },
    },
    validateResource: validateMatching(
        (type) => DOCUMENT_TYPES.includes(type),
        async (_props, args, report) => {
            const allowed = (args.getConfig<WildcardResourceConfig>().allowedActions ?? []).map((a) => a.toLowerCase());
            await forEachStatement(args, ["identity"], async (stmt, i, doc) => {
                // An unknown Resource leaf is the ARN of a resource this deployment creates, never "*".
                if (!mayAllow(stmt) || !valuesOf(() => stmt.Resource).values.includes("*")) {
                    return;
                }
                const scoped: string[] = [];
                const actions = valuesOf(() => stmt.Action);
                if (actions.unknown) {
                    // An action unknown during preview may support resource-level permissions.
                    scoped.push("actions unknown during preview");
                }
                for (const written of actions.values) {
                    if (written === "*") {
                        scoped.push(written);
                        continue;
                    }
                    const resolved = await resolveAction(written);
                    for (const action of resolved.actions) {
                        if (!allowed.includes(action.toLowerCase()) && !allowed.includes(written.toLowerCase()) && !(await isWildcardOnly(action))) {
                            scoped.push(written === action ? action : `${written} (${action})`);
                        }
                    }
                }
                if (scoped.length > 0) {
                    const shown = scoped.length > 5 ? `${scoped.slice(0, 5).join(", ")} and ${scoped.length - 5} more` : scoped.join(", ");
                    report(`${where(args, doc, stmt, i)} uses Resource "*" for actions that support resource-level permissions: ${shown}; name their resources.`);
                }
            });
        },
    ),
};

export const iamActionsExist: ResourceValidationPolicy = {
    name: "iam-actions-exist",
    description: "Every action named in an IAM document (Action or NotAction, Allow or Deny) exists in AWS's IAM catalogue: a typo silently grants or denies nothing.",
    remediationSteps: "Fix the spelling of the action (service prefix and name, as in the Service Authorization Reference), or remove it.",
    enforcementLevel: MANDATORY,
    validateResource: validateMatching(
        (type) => DOCUMENT_TYPES.includes(type),
        async (_props, args, report) => {
            await forEachStatement(
                args,
                ["identity", "trust", "resource"],
                async (stmt, i, doc) => {
                    for (const field of ["Action", "NotAction"]) {
                        const actions = valuesOf(() => stmt[field]);
                        if (actions.unknown) {
                            report(`${where(args, doc, stmt, i)}: ${field} is unknown during preview, so it cannot be checked against AWS's IAM catalogue; write the actions as literals.`);
                        }
                        for (const written of actions.values) {
                            const resolved = await resolveAction(written);
                            if (resolved.problem) {
                                report(`${where(args, doc, stmt, i)}: ${resolved.problem}.`);
                            }
                        }
                    }
                },
                (doc, e) => report(`${describe(args)} ${doc.path} ${e.message}.`),
            );
        },
    ),
};

const PASS_ROLE = "iam:passrole";

function coversPassRole(action: string): boolean {
    const re = new RegExp(`^${action.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
    return re.test(PASS_ROLE);
}

export const iamPassRoleRestricted: ResourceValidationPolicy = {
    name: "iam-passrole-restricted",
    description: "iam:PassRole is allowed only on named roles and only with an iam:PassedToService condition.",
    remediationSteps:
        "Give iam:PassRole its own statement with Resource set to the role ARN(s) (no wildcards) and Condition { StringEquals: { \"iam:PassedToService\": <service principal from infra/partition.ts> } }.",
    enforcementLevel: MANDATORY,
    severity: "high",
    validateResource: validateMatching(
        (type) => DOCUMENT_TYPES.includes(type),
        async (_props, args, report) => {
            await forEachStatement(args, ["identity"], (stmt, i, doc) => {
                const actions = valuesOf(() => stmt.Action);
                const notAction = valuesOf(() => stmt.NotAction);
                // A NotAction that does not exclude iam:PassRole allows it.
                const viaNotAction = notAction.present && !notAction.unknown && !notAction.values.some(coversPassRole);
                // An action unknown during preview may be iam:PassRole: the statement must then meet the rule too.
                if (!mayAllow(stmt) || !(actions.values.some(coversPassRole) || actions.unknown || viaNotAction)) {
                    return;
                }
                const what = actions.values.some(coversPassRole) || viaNotAction ? "iam:PassRole" : "actions unknown during preview (possibly iam:PassRole)";
                const passed = conditionsOf(stmt).tests.filter((t) => t.key === "iam:passedtoservice");
                if (passed.length === 0) {
                    report(`${where(args, doc, stmt, i)} allows ${what} without an iam:PassedToService condition.`);
                }
                for (const t of passed) {
                    // Unknown values are service principals from infra/partition.ts; a written wildcard or a negation passes the role to anyone.
                    if (/Not/.test(t.operator) || t.values.values.some((v) => v.includes("*") || v.includes("?"))) {
                        report(`${where(args, doc, stmt, i)} allows ${what} with ${t.operator} iam:PassedToService ${JSON.stringify(t.values.values)}, which does not name the service; use StringEquals with the service principal.`);
                    }
                }
                // Unknown Resource leaves are ARNs of resources in this deployment: named, not wildcards.
                const resources = valuesOf(() => stmt.Resource);
                const wild = resources.values.filter((r) => r.includes("*") || r.includes("?") || !/:role\//.test(r));
                if (wild.length > 0) {
                    report(`${where(args, doc, stmt, i)} allows iam:PassRole on ${wild.map((r) => JSON.stringify(r)).join(", ")}; name the role ARN(s).`);
                }
            });
        },
    ),
};

export interface ManagedPolicyConfig {
    allowedPolicies?: string[];
}

/** An AWS managed policy (arn:<partition>:iam::aws:policy/...) granting admin or full access. */
export function adminManagedPolicyName(arn: string): string | undefined {
    const m = /^arn:[a-z-]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
    if (!m) {
        return undefined;
    }
    const name = m[1];
    // Read-everything policies too: ReadOnlyAccess, ViewOnlyAccess, SecurityAudit and every <Service>ReadOnlyAccess.
    const admin = /^AdministratorAccess/i.test(name) || /PowerUserAccess$/i.test(name) || /FullAccess/i.test(name);
    const readAll = /ReadOnlyAccess$/i.test(name) || /^ViewOnlyAccess$/i.test(name) || /^SecurityAudit$/i.test(name) || /^DatabaseAdministrator$/i.test(name);
    return admin || readAll ? name : undefined;
}

export const iamNoAdminManagedPolicies: ResourceValidationPolicy = {
    name: "iam-no-admin-managed-policies",
    description: "No AWS managed policy that grants admin or full access (AdministratorAccess, PowerUserAccess, *FullAccess ...) or reads everything (ReadOnlyAccess, ViewOnlyAccess, SecurityAudit, *ReadOnlyAccess) is attached to a role, user or group.",
    remediationSteps: "Replace the managed policy with an inline policy that lists the exact actions and resources the principal uses.",
    enforcementLevel: MANDATORY,
    severity: "high",
    framework: fsbp("IAM.1", "IAM policies should not allow full \"*\" administrative privileges"),
    configSchema: {
        properties: {
            allowedPolicies: allowListSchema("AWS managed policy names that may be attached even though they grant full access."),
        },
    },
    validateResource: validateTypes(
        [T.iamRolePolicyAttachment, T.iamUserPolicyAttachment, T.iamGroupPolicyAttachment, T.iamPolicyAttachment, T.iamRole, T.iamRolePoliciesExclusive],
        (props, args, report) => {
            const allowed = args.getConfig<ManagedPolicyConfig>().allowedPolicies ?? [];
            const arns =
                args.type === T.iamRole
                    ? valuesOf(() => props.managedPolicyArns).values
                    : args.type === T.iamRolePoliciesExclusive
                      ? valuesOf(() => props.policyArns).values
                      : valuesOf(() => props.policyArn).values;
            for (const arn of arns) {
                const name = adminManagedPolicyName(arn);
                if (name && !allowed.includes(name)) {
                    report(`${describe(args)} attaches the AWS managed policy ${name}, which grants admin, full or read-everything access; use an inline least-privilege policy instead.`);
                }
            }
        },
    ),
};

export interface ConfusedDeputyConfig {
    exemptServices?: string[];
}

/** The service a principal names: its first DNS label (`logs` for logs.cn-north-1.amazonaws.com.cn). */
export function serviceOf(principal: string): string {
    return principal.split(".")[0];
}

/**
 * In a KMS key policy, a `kms:EncryptionContext:aws:<service>:arn` condition whose every value is
 * an ARN with a concrete account id pins the service's calls to that account's resources: this is
 * how AWS documents the CloudWatch Logs and CloudTrail key statements, where the service does not
 * send aws:SourceAccount on its KMS calls.
 */
export function encryptionContextPinsAccount(stmt: Record<string, any>): boolean {
    const tests = conditionsOf(stmt).tests.filter((t) => /^kms:encryptioncontext:aws:[a-z0-9-]+:arn$/.test(t.key));
    return tests.some((t) => !t.values.unknown && t.values.values.length > 0 && t.values.values.every((v) => /^\d{12}$/.test(v.split(":")[4] ?? "")));
}

/**
 * In a trust policy, an `sts:ExternalId` condition whose every value is an account id: the form
 * AWS documents for Kinesis Data Firehose, which assumes the role with the owning account's id as
 * external id.
 */
export function externalIdPinsAccount(stmt: Record<string, any>): boolean {
    const tests = conditionsOf(stmt).tests.filter((t) => t.key === "sts:externalid" && t.operator.startsWith("StringEquals"));
    return tests.some((t) => !t.values.unknown && t.values.values.length > 0 && t.values.values.every((v) => /^\d{12}$/.test(v)));
}

export const serviceConfusedDeputy: ResourceValidationPolicy = {
    name: "service-principal-confused-deputy",
    description:
        "Trust and resource policy statements that allow a service principal carry an aws:SourceAccount or aws:SourceArn condition, so the service acts only for our account or resource " +
        "(in KMS key policies an encryption-context ARN condition naming our account, and in trust policies an sts:ExternalId equal to our account id, also count).",
    remediationSteps:
        "Add Condition { StringEquals: { \"aws:SourceAccount\": <account id> } } (or ArnLike aws:SourceArn: <the source resource ARN>) to the statement. " +
        "A service that does not send these keys can be listed in this policy's `exemptServices` (by its first name label, e.g. \"ec2\").",
    enforcementLevel: MANDATORY,
    configSchema: {
        properties: {
            exemptServices: {
                type: "array",
                items: { type: "string", pattern: "^[a-z0-9-]+$" },
                uniqueItems: true,
                default: [],
                description: "Services (first label of the principal, e.g. \"ec2\") that do not send aws:SourceAccount/aws:SourceArn.",
            },
        },
    },
    validateResource: validateMatching(
        (type) => DOCUMENT_TYPES.includes(type),
        async (_props, args, report) => {
            const exempt = args.getConfig<ConfusedDeputyConfig>().exemptServices ?? [];
            await forEachStatement(args, ["trust", "resource"], (stmt, i, doc) => {
                if (!mayAllow(stmt)) {
                    return;
                }
                const principals = principalsOf(stmt);
                const services = principals.service.values.filter((s) => !exempt.includes(serviceOf(s)));
                // A principal unknown during preview may be a service, and an unknown Service value
                // cannot be matched against exemptServices: both need the condition.
                if (principals.wholeUnknown) {
                    services.push("a principal unknown during preview");
                } else if (principals.service.unknown) {
                    services.push("a service principal unknown during preview");
                }
                if (services.length === 0) {
                    return;
                }
                if (conditionHasKey(stmt, ["aws:SourceAccount", "aws:SourceArn"])) {
                    return;
                }
                if (KEY_POLICY_TYPES.includes(args.type) && encryptionContextPinsAccount(stmt)) {
                    return;
                }
                if (doc.kind === "trust" && externalIdPinsAccount(stmt)) {
                    return;
                }
                const why = conditionsOf(stmt).unknown ? " (its Condition is unknown during preview: build it from known keys)" : "";
                report(`${where(args, doc, stmt, i)} allows ${services.join(", ")} without an aws:SourceAccount or aws:SourceArn condition${why}.`);
            });
        },
    ),
};

/** Condition keys that limit who may use a statement that names Principal "*". */
export const RESTRICTING_KEYS = [
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOwner",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalServiceName",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceIp",
    "aws:userid",
    "kms:CallerAccount",
];

export const noUnrestrictedPublicPrincipal: ResourceValidationPolicy = {
    name: "no-unrestricted-public-principal",
    description: "No trust or resource policy allows Principal \"*\" (or uses NotPrincipal in an Allow) without a condition that restricts the caller (account, organization, source, network).",
    remediationSteps: "Name the principal, or add a condition on aws:PrincipalAccount, aws:PrincipalOrgID, aws:SourceAccount, aws:SourceArn, aws:SourceVpce or kms:CallerAccount.",
    enforcementLevel: MANDATORY,
    validateResource: validateMatching(
        (type) => DOCUMENT_TYPES.includes(type),
        async (_props, args, report) => {
            await forEachStatement(args, ["trust", "resource"], (stmt, i, doc) => {
                if (!mayAllow(stmt)) {
                    return;
                }
                // A principal unknown during preview may be "*"; unknown AWS values are ARNs of real principals.
                const p = principalsOf(stmt);
                const notPrincipal = principalsOf(stmt, "NotPrincipal").present;
                if (!p.anyone && !p.wholeUnknown && !notPrincipal) {
                    return;
                }
                if (!conditionHasKey(stmt, RESTRICTING_KEYS)) {
                    const cond = conditionsOf(stmt);
                    const why = cond.unknown ? " (its Condition is unknown during preview: build it from known values)" : "";
                    const whom = notPrincipal ? "everyone but its NotPrincipal" : p.anyone ? "Principal \"*\"" : "a Principal unknown during preview (possibly \"*\")";
                    report(`${where(args, doc, stmt, i)} allows ${whom} without a restricting condition${why}.`);
                }
            });
        },
    ),
};

export const lambdaPermissionSourceArn: ResourceValidationPolicy = {
    name: "lambda-permission-source-arn",
    description: "A Lambda permission for a service principal names the sourceArn allowed to invoke the function.",
    remediationSteps: "Set sourceArn (the rule, bucket, topic or log group that invokes the function) on the aws.lambda.Permission, and sourceAccount for S3.",
    enforcementLevel: MANDATORY,
    validateResource: validateTypes([T.lambdaPermission], (perm, args, report) => {
        const principal = knownString(() => perm.principal);
        if (principal !== undefined && !principal.includes(".")) {
            args.notApplicable("the principal is an account, not a service");
        }
        if (!isSet(() => perm.sourceArn)) {
            report(`${describe(args)} lets ${principal ?? "a service"} invoke the function from any source: set sourceArn.`);
        }
    }),
};

export const leastPrivilegePolicies = [
    iamNoWildcardActions,
    iamWildcardResourceOnlyForUnscopedActions,
    iamActionsExist,
    iamPassRoleRestricted,
    iamNoAdminManagedPolicies,
    serviceConfusedDeputy,
    noUnrestrictedPublicPrincipal,
    lambdaPermissionSourceArn,
];
