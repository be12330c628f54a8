/**
 * tools/harness-memo.ts: runs with the same stack and options share one evaluation; runs whose
 * options mean something different never do.
 */
import { memoized } from "../../tools/harness-memo";
import type { RunOptions, StackRun } from "../../tools/harness";

let n = 0;
const fresh = (): Promise<StackRun> => Promise.resolve({ stack: "s", preview: false, resources: [], invokes: [], outputs: { n: ++n }, lambdas: [] });
const runOf = (options: RunOptions) => memoized("cn-north-1", options, false, fresh);

test("the same options, an explicit preview: false and an empty config share one evaluation", async () => {
  const a = await memoized("cn-north-1", { config: { logArchive: { inventory: true } } }, false, fresh);
  const b = await runOf({ preview: false, config: { logArchive: { inventory: true } } });
  expect(b).toBe(a);
  const c = await memoized("cn-northwest-1", {}, false, fresh);
  expect(await memoized("cn-northwest-1", { preview: false, config: {} }, true, fresh)).toBe(c);
  expect(await memoized("cn-northwest-1", { config: undefined }, true, fresh)).toBe(c);
});

test("removing a key (undefined) is not the same as leaving it, and an empty backupConfig is not none", async () => {
  const plain = await runOf({});
  expect(await runOf({ config: { logArchive: undefined } })).not.toBe(plain);
  const withShared = await runOf({ config: { backupAccountId: "210987654321" } });
  expect(await runOf({ config: { backupAccountId: "210987654321" }, backupConfig: {} })).not.toBe(withShared);
  expect(await runOf({ preview: true })).not.toBe(plain);
});

test("a shared run's records are frozen", async () => {
  const r = await memoized("cn-north-1", { config: { frozen: 1 } }, false, () =>
    Promise.resolve({
      stack: "s",
      preview: false,
      resources: [{ type: "t", name: "n", urn: "u", custom: true, inputs: { a: [1] }, state: {}, propertyDependencies: {} }],
      invokes: [],
      outputs: {},
      lambdas: [],
    }),
  );
  expect(() => (r.resources[0].inputs.a as number[]).push(2)).toThrow(TypeError);
});
