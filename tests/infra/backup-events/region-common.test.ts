/** infra/backup-events/region-common.ts: the outputs both region components expose, from the vault in use and the messaging. */
import { regionOutputs, registeredRegionOutputs } from "../../../infra/backup-events/region-common";
import type { Messaging } from "../../../infra/backup-events/messaging";
import type { VaultRef } from "../../../infra/backup-events/types";

// Stand-ins: the mapping only moves references, so distinct objects show which went where.
const m = { key: { k: "key" }, topic: { arn: "topic-arn" }, queue: { arn: "queue-arn" } } as unknown as Messaging;
const ref = { arn: "vault-arn", name: "vault-name", keyArn: "vault-key-arn", awsManagedKey: false, vault: { v: 1 }, key: { k: 1 } } as unknown as VaultRef;

describe("regionOutputs", () => {
  test("the vault's ARN, name, key ARN, the created vault and key, the topic and the error queue (not the messaging key)", () => {
    const o = regionOutputs(m, ref);
    expect(o).toEqual({
      vaultArn: "vault-arn",
      vaultName: "vault-name",
      vaultKeyArn: "vault-key-arn",
      vault: ref.vault,
      vaultKey: ref.key,
      topic: m.topic,
      errorQueue: m.queue,
    });
    expect(o.errorQueue).toBe(m.queue);
    expect(registeredRegionOutputs(o)).toEqual({ vaultArn: "vault-arn", vaultKeyArn: "vault-key-arn", topicArn: "topic-arn", errorQueueArn: "queue-arn" });
  });

  test("a brought vault: no vault or key of this component", () => {
    const o = regionOutputs(m, { ...ref, vault: undefined, key: undefined });
    expect(o.vault).toBeUndefined();
    expect(o.vaultKey).toBeUndefined();
  });
});
