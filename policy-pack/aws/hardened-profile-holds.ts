/**
 * Where a stack's resources carry the hardened profile's tags (the program tags every resource of
 * a stack under `hardenedProfile` with `cn-log-backup:profile: hardened`), the profile holds:
 * - each such bucket has Object Lock enabled with a COMPLIANCE default retention of at least
 *   `minimumObjectLockDays` (180: Cybersecurity Law Art. 21(3), six months), and its policy and its
 *   key's policy deny the profile's actions to everyone but one break-glass role;
 * - each such backup vault has a compliance-mode Vault Lock (changeableForDays set), and its access
 *   policy and its key's policy deny the same way;
 * - all those denies name the same break-glass role.
 * Sources: https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html (retention modes),
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html (Vault Lock modes).
 */
import { PolicyResource } from "@pulumi/policy";
import { attachedBy } from "../lib/attach";
import { design } from "../lib/controls";
import { InvalidDocumentError, parseDocument, statementsOf, valuesOf } from "../lib/iam-document";
import { BUCKET_TYPES, CMK_TYPES, dependenciesOf, describe, isUnknownError, knownString, MANDATORY, read, T, validateStackOf } from "../lib/kit";
import { BACKUP_VAULT_ACTIONS, coverage, Coverage, KMS_ACTIONS, KMS_GRANT_ACTION, S3_BUCKET_ACTIONS, S3_OBJECT_ACTIONS } from "../lib/hardened-statements";
import { PackStackPolicy } from "../lib/meta";

export const DEFAULT_HARDENED_TAGS = { "cn-log-backup:profile": "hardened", "cn-log-backup:role": "backup" };
export const DEFAULT_MINIMUM_OBJECT_LOCK_DAYS = 180;

interface Config {
  hardenedTags?: Record<string, string>;
  minimumObjectLockDays?: number;
}

const GRANT_EXTRA = { "kms:grantisforawsresource": { operators: ["BoolIfExists", "Bool"], value: "false" } };
const anyResource = (s: Record<string, any>) => valuesOf(() => s.Resource).values.includes("*");

function hardened(r: PolicyResource, want: [string, string][]): boolean {
  const t = read(() => r.props.tags);
  return t.known && !!t.value && want.every(([k, v]) => t.value[k] === v);
}

/** The statements of a resource's policy document, or why there are none to judge. */
function documentOf(owner: PolicyResource, property = "policy"): Record<string, any>[] | { unknown: unknown } | string {
  try {
    return statementsOf(parseDocument(owner.props[property]));
  } catch (e) {
    if (isUnknownError(e)) {
      return { unknown: e };
    }
    if ((e as Error) instanceof InvalidDocumentError) {
      return `its ${property} ${(e as Error).message}`;
    }
    throw e;
  }
}

export const hardenedProfileHolds: PackStackPolicy = {
  name: "aws-hardened-profile-holds",
  description:
    "Under the hardened profile (resources tagged cn-log-backup:profile=hardened in the backup stack): the replica has COMPLIANCE Object Lock of at least 180 days, the destination vault a compliance-mode Vault Lock, and the bucket, vault and key policies deny policy, lifecycle, Object Lock, replication and deletion changes to everyone but one break-glass role.",
  remediationSteps:
    "Keep logArchive.objectLockMode COMPLIANCE with objectLockDays >= 180, backupEvents.vaultLockMode compliance, and the statements of infra/hardened-profile.ts in the replica bucket policy, the replica key policy, the vault access policy and the vault key policy, each with the single aws:PrincipalArn exception of breakGlassRoleName.",
  enforcementLevel: MANDATORY,
  severity: "critical",
  topics: ["retention", "replication", "key-management", "least-privilege"],
  framework: design("Hardened profile", "Copies that survive a compromised administrator (issue 17, item 5)."),
  configSchema: {
    properties: {
      hardenedTags: { type: "object", default: DEFAULT_HARDENED_TAGS, description: "Tags (key: value) that mark a resource as under the hardened profile." },
      minimumObjectLockDays: {
        type: "integer",
        default: DEFAULT_MINIMUM_OBJECT_LOCK_DAYS,
        description: "Shortest COMPLIANCE default retention (days) the profile accepts.",
      },
    },
  },
  validateStack: validateStackOf(
    [
      ...BUCKET_TYPES,
      T.bucketPolicy,
      T.bucketObjectLock,
      T.bucketObjectLockV2,
      T.bucketSse,
      T.bucketSseV2,
      T.kmsKey,
      T.backupVault,
      T.backupVaultPolicy,
      T.backupVaultLock,
    ],
    (args, report) => {
      const cfg = args.getConfig<Config>();
      const want = Object.entries(cfg.hardenedTags ?? DEFAULT_HARDENED_TAGS);
      const minDays = cfg.minimumObjectLockDays ?? DEFAULT_MINIMUM_OBJECT_LOCK_DAYS;
      const roles = new Set<string>();
      let pending: unknown;
      const judge = (
        target: PolicyResource,
        owner: PolicyResource,
        what: string,
        parts: [readonly string[], (s: Record<string, any>) => boolean, Record<string, any>?][],
        property = "policy",
      ) => {
        const doc = documentOf(owner, property);
        if (!Array.isArray(doc) && typeof doc === "object") {
          pending = pending ?? doc.unknown;
          return;
        }
        if (typeof doc === "string") {
          report(`${describe(target)}: ${what} ${describe(owner)}: ${doc}.`, owner.urn);
          return;
        }
        const missing: string[] = [];
        for (const [actions, resourceOk, extra] of parts) {
          const c: Coverage = coverage(doc, actions, resourceOk, extra);
          c.roles.forEach((r) => roles.add(r));
          c.problems.forEach((p) => report(`${describe(target)}: ${what} ${describe(owner)}, ${p}.`, owner.urn));
          missing.push(...actions.filter((a) => !c.covered.has(a)));
        }
        if (missing.length > 0) {
          report(
            `${describe(target)}: ${what} ${describe(owner)} does not deny ${missing.join(", ")} to Principal "*" with only the break-glass exception.`,
            owner.urn,
          );
        }
      };
      const judgeKeys = (target: PolicyResource, keys: PolicyResource[], what: string) => {
        if (keys.length === 0) {
          report(`${describe(target)}: ${what} is not a key this stack manages, so its key policy cannot carry the profile's denies.`, target.urn);
        }
        for (const k of keys) {
          judge(target, k, `${what}`, [
            [KMS_ACTIONS, anyResource],
            [[KMS_GRANT_ACTION], anyResource, GRANT_EXTRA],
          ]);
        }
      };
      const keysOf = (r: PolicyResource, property: string, arnOf: () => unknown): PolicyResource[] => {
        const arn = knownString(arnOf);
        return args.resources.filter(
          (k) =>
            CMK_TYPES.includes(k.type) &&
            k.type !== T.kmsAlias &&
            (dependenciesOf(r, property).some((d) => d.urn === k.urn) || (!!arn && knownString(() => k.props.arn) === arn)),
        );
      };

      for (const bucket of args.resources.filter((r) => BUCKET_TYPES.includes(r.type) && hardened(r, want))) {
        const on = read(() => bucket.props.objectLockEnabled);
        if (on.known && on.value !== true && on.value !== "Enabled") {
          report(
            `${describe(bucket)} is under the hardened profile without Object Lock: objectLockEnabled must be true (it can only be set when the bucket is created).`,
            bucket.urn,
          );
        }
        const locks = attachedBy(bucket, args.resources, [T.bucketObjectLock, T.bucketObjectLockV2], "bucket", ["bucket", "id"]);
        if (locks.length === 0) {
          report(`${describe(bucket)} is under the hardened profile without an Object Lock configuration (COMPLIANCE, at least ${minDays} days).`, bucket.urn);
        }
        for (const l of locks) {
          const d = read(() => l.props.rule?.defaultRetention);
          if (!d.known) {
            continue;
          }
          const days = Number(d.value?.days) > 0 ? Number(d.value.days) : Number(d.value?.years) * 365;
          if (d.value?.mode !== "COMPLIANCE" || !(days >= minDays)) {
            report(
              `${describe(bucket)}: its Object Lock ${describe(l)} keeps ${d.value?.mode ?? "no mode"} for ${days || 0} days; the hardened profile needs COMPLIANCE for at least ${minDays} days.`,
              l.urn,
            );
          }
        }
        const arn = knownString(() => bucket.props.arn);
        const bucketRes = (s: Record<string, any>) => {
          const v = valuesOf(() => s.Resource);
          return v.unknown || v.values.some((r) => r === "*" || (arn ? r === arn : /^arn:[a-z-]+:s3:::[^/]+$/.test(r)));
        };
        const objectRes = (s: Record<string, any>) => {
          const v = valuesOf(() => s.Resource);
          return v.unknown || v.values.some((r) => r === "*" || (arn ? r === `${arn}/*` : /^arn:[a-z-]+:s3:::[^/]+\/\*$/.test(r)));
        };
        const policies = attachedBy(bucket, args.resources, [T.bucketPolicy], "bucket", ["bucket", "id"]);
        if (policies.length === 0) {
          report(`${describe(bucket)} is under the hardened profile without a bucket policy.`, bucket.urn);
        }
        policies.forEach((p) =>
          judge(bucket, p, "its bucket policy", [
            [S3_BUCKET_ACTIONS, bucketRes],
            [S3_OBJECT_ACTIONS, objectRes],
          ]),
        );
        for (const sse of attachedBy(bucket, args.resources, [T.bucketSse, T.bucketSseV2], "bucket", ["bucket", "id"])) {
          judgeKeys(
            bucket,
            keysOf(sse, "rules", () => sse.props.rules?.[0]?.applyServerSideEncryptionByDefault?.kmsMasterKeyId),
            "its default encryption key",
          );
        }
      }

      for (const vault of args.resources.filter((r) => r.type === T.backupVault && hardened(r, want))) {
        const locks = attachedBy(vault, args.resources, [T.backupVaultLock], "backupVaultName", ["name"]);
        if (locks.length === 0) {
          report(`${describe(vault)} is under the hardened profile without a Vault Lock (compliance mode).`, vault.urn);
        }
        for (const l of locks) {
          const grace = read(() => l.props.changeableForDays);
          if (grace.known && !(Number(grace.value) > 0)) {
            report(
              `${describe(vault)}: its Vault Lock ${describe(l)} is in governance mode (no changeableForDays); the hardened profile needs compliance mode.`,
              l.urn,
            );
          }
        }
        const policies = attachedBy(vault, args.resources, [T.backupVaultPolicy], "backupVaultName", ["name"]);
        if (policies.length === 0) {
          report(`${describe(vault)} is under the hardened profile without an access policy.`, vault.urn);
        }
        policies.forEach((p) => judge(vault, p, "its access policy", [[BACKUP_VAULT_ACTIONS, anyResource]]));
        judgeKeys(
          vault,
          keysOf(vault, "kmsKeyArn", () => vault.props.kmsKeyArn),
          "its key",
        );
      }

      if (roles.size > 1) {
        const anyTarget = args.resources.find((r) => hardened(r, want));
        report(`The hardened profile's denies name ${roles.size} different break-glass roles (${[...roles].join(", ")}); expected one.`, anyTarget?.urn);
      }
      if (pending) {
        // A policy document unknown during preview: the engine reports it as not judged.
        throw pending;
      }
    },
  ),
};
