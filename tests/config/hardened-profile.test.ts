/** The hardened profile's config: off by default, and every key that contradicts it refused by name. */
import { ConfigError, parseConfig } from "../../stacks/config";
import { BACKUP_ACCOUNT, PRIMARY_ACCOUNT } from "../../tools/variants";

const P = "cn-log-backup:";

/** A hardened backup stack's config that holds; `over` replaces top-level keys (JSON for sections). */
function backup(over: Record<string, unknown> = {}, region = "cn-northwest-1"): Record<string, string> {
  const base: Record<string, unknown> = {
    hardenedProfile: "true",
    breakGlassRoleName: "cn-log-backup-break-glass",
    backupAccountId: BACKUP_ACCOUNT,
    logArchive: { objectLockMode: "COMPLIANCE", objectLockDays: 180, primaryAccountId: PRIMARY_ACCOUNT },
    backupEvents: { vaultLockMode: "compliance", primaryAccountId: PRIMARY_ACCOUNT },
    ...over,
  };
  const out: Record<string, string> = { "aws:region": region };
  for (const [k, v] of Object.entries(base)) if (v !== undefined) out[P + k] = typeof v === "string" ? v : JSON.stringify(v);
  return out;
}

function problems(all: Record<string, string>, stack = "cn-northwest-1"): string[] {
  try {
    parseConfig(all, stack);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => `${p.key}: ${p.message}`);
  }
  return [];
}

describe("hardenedProfile config", () => {
  test("off by default, with no break-glass role", () => {
    const cfg = parseConfig({ "aws:region": "cn-northwest-1" }, "cn-northwest-1");
    expect(cfg.hardenedProfile).toBe(false);
    expect(cfg.breakGlassRoleName).toBeUndefined();
  });

  test("a hardened backup stack that holds is accepted, in both stacks", () => {
    expect(problems(backup())).toEqual([]);
    expect(problems(backup({}, "cn-north-1"), "cn-north-1")).toEqual([]);
    expect(parseConfig(backup({ breakGlassRoleName: "ops/break-glass" }), "cn-northwest-1").breakGlassRoleName).toBe("ops/break-glass");
  });

  test("refuses a missing break-glass role or backup account, in the primary too", () => {
    const primary = problems(backup({ breakGlassRoleName: undefined, backupAccountId: undefined }, "cn-north-1"), "cn-north-1");
    expect(primary).toEqual([
      expect.stringMatching(/^cn-log-backup:breakGlassRoleName: is required under hardenedProfile; expected the name of an existing IAM role/),
      expect.stringMatching(/^cn-log-backup:backupAccountId: is required under hardenedProfile; expected the 12-digit account of the backup stack/),
    ]);
    expect(problems(backup({ breakGlassRoleName: "role/*" }))).toEqual([
      expect.stringMatching(/^cn-log-backup:breakGlassRoleName: "role\/\*" is not allowed; expected an IAM role name/),
    ]);
  });

  test("refuses the backup stack in the primary's account", () => {
    const same = backup({
      logArchive: { objectLockMode: "COMPLIANCE", primaryAccountId: BACKUP_ACCOUNT },
      backupEvents: { vaultLockMode: "compliance", primaryAccountId: BACKUP_ACCOUNT },
    });
    expect(problems(same)).toEqual([
      `${P}logArchive.primaryAccountId: "${BACKUP_ACCOUNT}" equals backupAccountId; under hardenedProfile the backup stack must be in another account than the primary`,
      `${P}backupEvents.primaryAccountId: "${BACKUP_ACCOUNT}" equals backupAccountId; under hardenedProfile the backup stack must be in another account than the primary`,
    ]);
    expect(problems(backup({ logArchive: { objectLockMode: "COMPLIANCE" } }))).toEqual([
      expect.stringMatching(/^cn-log-backup:logArchive.primaryAccountId: is required in the backup stack under hardenedProfile/),
    ]);
  });

  test("refuses Object Lock other than COMPLIANCE, and days below the law's 180", () => {
    for (const mode of ["off", "GOVERNANCE"]) {
      expect(problems(backup({ logArchive: { objectLockMode: mode, primaryAccountId: PRIMARY_ACCOUNT } }))).toEqual([
        expect.stringMatching(new RegExp(`^cn-log-backup:logArchive.objectLockMode: "${mode}" is not allowed under hardenedProfile; expected "COMPLIANCE"`)),
      ]);
    }
    expect(problems(backup({ logArchive: { objectLockMode: "COMPLIANCE", objectLockDays: 179, primaryAccountId: PRIMARY_ACCOUNT } }))).toEqual([
      `${P}logArchive.objectLockDays: 179 is not allowed under hardenedProfile; expected at least 180 (Cybersecurity Law: network logs kept six months)`,
    ]);
  });

  test("refuses governance-mode Vault Lock, a brought vault or vault key, and admin roles", () => {
    const vault = "arn:aws-cn:backup:cn-northwest-1:210987654321:backup-vault:theirs";
    const key = "arn:aws-cn:kms:cn-northwest-1:210987654321:key/0fedcba9-8765-4321-0fed-cba987654321";
    const got = problems(
      backup({
        backupEvents: {
          vaultLockMode: "governance",
          destinationVaultArn: vault,
          destinationVaultKmsKeyArn: key,
          adminRoleArns: ["arn:aws-cn:iam::210987654321:role/admin"],
          primaryAccountId: PRIMARY_ACCOUNT,
        },
      }),
    );
    expect(got).toEqual([
      expect.stringMatching(/^cn-log-backup:backupEvents.vaultLockMode: "governance" is not allowed under hardenedProfile; expected "compliance"/),
      expect.stringMatching(/^cn-log-backup:backupEvents.destinationVaultArn: is set under hardenedProfile; expected unset/),
      expect.stringMatching(/^cn-log-backup:backupEvents.destinationVaultKmsKeyArn: is set under hardenedProfile; expected unset/),
      expect.stringMatching(/^cn-log-backup:backupEvents.adminRoleArns: is not empty under hardenedProfile; expected \[\]/),
    ]);
  });

  test("the same settings without the profile are accepted (the refusals come from the profile alone)", () => {
    const lax = backup({
      hardenedProfile: "false",
      logArchive: { objectLockMode: "GOVERNANCE", objectLockDays: 30, primaryAccountId: BACKUP_ACCOUNT },
      backupEvents: { vaultLockMode: "governance", primaryAccountId: PRIMARY_ACCOUNT },
    });
    expect(problems(lax)).toEqual([]);
  });
});
