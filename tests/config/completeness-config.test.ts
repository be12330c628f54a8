/** logArchive.completeness and its keys: refused without the inventories, bad values named. */
import { parseConfig } from "../../stacks/config";
import { configErrorOf } from "../helpers/config";

const problems = (logArchive: unknown, region = "cn-northwest-1"): string =>
  configErrorOf({ "aws:region": region, "cn-log-backup:logArchive": JSON.stringify(logArchive) }, region);

test("completeness without inventory is refused, naming both keys", () => {
  expect(problems({ completeness: true })).toContain(
    "cn-log-backup:logArchive.completeness: true is not allowed while cn-log-backup:logArchive.inventory is false; the report compares the S3 Inventory of both buckets: set cn-log-backup:logArchive.inventory: true",
  );
  expect(() =>
    parseConfig({ "aws:region": "cn-northwest-1", "cn-log-backup:logArchive": JSON.stringify({ completeness: true, inventory: true }) }, "cn-northwest-1"),
  ).not.toThrow();
});

test("grace hours, schedule and the Athena cutoff are checked", () => {
  expect(problems({ inventory: true, completeness: true, completenessGraceHours: 0 })).toMatch(/logArchive\.completenessGraceHours: 0 is not allowed/);
  expect(problems({ inventory: true, completeness: true, completenessSchedule: "daily" })).toMatch(
    /logArchive\.completenessSchedule: "?daily"? is not allowed; expected an EventBridge schedule expression/,
  );
  expect(problems({ athenaBytesScannedCutoffMb: 5 })).toMatch(/logArchive\.athenaBytesScannedCutoffMb: 5 is not allowed/);
});
