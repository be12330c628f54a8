/** functions/shared/env.ts: each reader names the variable and what it allows. */
import {
  deferUntilFirstEvent,
  optionalInteger,
  optionalOneOf,
  optionalString,
  requiredOneOf,
  requiredString,
  requiredStringList,
} from "../../../functions/shared/env";

describe("environment settings", () => {
  test("a required string: present is returned, unset or empty names the variable", () => {
    expect(requiredString({ queueUrl: "https://q" }, "queueUrl")).toBe("https://q");
    expect(() => requiredString({}, "queueUrl")).toThrow("environment variable queueUrl is not set (a non-empty string is required)");
    expect(() => requiredString({ queueUrl: "" }, "queueUrl")).toThrow(/queueUrl is not set/);
  });
  test("an optional string: empty counts as unset", () => {
    expect(optionalString({ keyPrefix: "" }, "keyPrefix")).toBeUndefined();
    expect(optionalString({ keyPrefix: "audit-logs/" }, "keyPrefix")).toBe("audit-logs/");
  });
  test("an integer: in range is a number, out of range or not a whole number names the range", () => {
    const range = { min: 5, max: 512 };
    expect(optionalInteger({ partSizeMb: "8" }, "partSizeMb", range)).toBe(8);
    expect(optionalInteger({}, "partSizeMb", range)).toBeUndefined();
    expect(() => optionalInteger({ partSizeMb: "4" }, "partSizeMb", range)).toThrow(
      'environment variable partSizeMb must be an integer from 5 to 512, got "4"',
    );
    expect(() => optionalInteger({ partSizeMb: "513" }, "partSizeMb", range)).toThrow(/from 5 to 512/);
    expect(() => optionalInteger({ partSizeMb: "8.5" }, "partSizeMb", range)).toThrow(/partSizeMb must be an integer/);
    expect(() => optionalInteger({ partSizeMb: "8388608" }, "partSizeMb", range)).toThrow(/got "8388608"/);
    expect(() => optionalInteger({ days: "0" }, "days", { min: 1 })).toThrow('environment variable days must be an integer >= 1, got "0"');
  });
  test("one of a list: names the allowed values", () => {
    expect(optionalOneOf({ restPathVersion: "v19" }, "restPathVersion", ["v13", "v19"])).toBe("v19");
    expect(optionalOneOf({}, "restPathVersion", ["v13", "v19"])).toBeUndefined();
    expect(() => optionalOneOf({ restPathVersion: "v20" }, "restPathVersion", ["v13", "v19"])).toThrow(
      'environment variable restPathVersion must be one of "v13", "v19", got "v20"',
    );
    expect(() => requiredOneOf({}, "exportPeriod", ["hour", "day"])).toThrow('environment variable exportPeriod is not set (one of "hour", "day" is required)');
  });
  test("a JSON list of strings", () => {
    expect(requiredStringList({ logGroupPatterns: '["/ec2/","!/x"]' }, "logGroupPatterns")).toEqual(["/ec2/", "!/x"]);
    expect(() => requiredStringList({ logGroupPatterns: "/ec2/" }, "logGroupPatterns")).toThrow(/logGroupPatterns must be a JSON array of strings/);
    expect(() => requiredStringList({ logGroupPatterns: "[1]" }, "logGroupPatterns")).toThrow(/JSON array of strings/);
  });

  test("deferUntilFirstEvent: a setting that fails to read rejects that invocation's promise, and the next one tries again", async () => {
    let makes = 0;
    const env: Record<string, string | undefined> = {};
    const h = deferUntilFirstEvent((): ((e: number) => Promise<number>) => {
      makes++;
      const add = Number(requiredString(env, "add"));
      return async (e: number) => e + add;
    });
    let result: Promise<number> | undefined;
    expect(() => {
      result = h(1);
    }).not.toThrow();
    await expect(result).rejects.toThrow("environment variable add is not set");
    env.add = "2";
    await expect(h(1)).resolves.toBe(3);
    await expect(h(5)).resolves.toBe(7);
    expect(makes).toBe(2);
  });
});
