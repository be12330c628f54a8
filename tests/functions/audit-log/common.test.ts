/** functions/audit-log/common.ts: the REST endpoint and the archive's object keys. */
import { objectKeyFor, rdsRestEndpointFor } from "../../../functions/audit-log/common";
import { partitionOf } from "../../../functions/shared/partition";

describe("common", () => {
  test("the REST endpoint host follows the region's partition DNS suffix", () => {
    expect(rdsRestEndpointFor("cn-north-1")).toBe("https://rds.cn-north-1.amazonaws.com.cn");
    expect(rdsRestEndpointFor("cn-northwest-1")).toBe("https://rds.cn-northwest-1.amazonaws.com.cn");
    expect(rdsRestEndpointFor("eu-west-1")).toBe("https://rds.eu-west-1.amazonaws.com");
    expect(partitionOf("cn-northwest-1")).toBe("aws-cn");
    expect(() => rdsRestEndpointFor("evil.example.com/x")).toThrow(/not an AWS region/);
  });
  test("object keys are audit-logs/{instance}/{file} and refuse path tricks", () => {
    expect(objectKeyFor("db-1", "audit/audit.log.0.2026-11-22-00-00.0")).toBe("audit-logs/db-1/audit/audit.log.0.2026-11-22-00-00.0");
    expect(() => objectKeyFor("db-1", "audit/../../x")).toThrow();
    expect(() => objectKeyFor("a/b", "audit/x")).toThrow();
  });
});
