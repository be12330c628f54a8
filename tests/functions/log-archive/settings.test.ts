/**
 * functions/log-archive/settings.ts: the variables infra/log-archive sets (named as their config
 * keys / Args fields), validated, and named with what they allow on bad input.
 */
import { exportTaskSettings, subscriberSettings } from "../../../functions/log-archive/settings";

describe("log-archive settings", () => {
  const subscriberEnv = {
    destinationArn: "arn:aws-cn:firehose:cn-north-1:111122223333:deliverystream/s",
    roleArn: "arn:aws-cn:iam::111122223333:role/r",
    filterName: "cn-log-backup",
    logGroupPatterns: '["/ec2/", "!/ec2/noisy"]',
  };
  const exportEnv = {
    archiveBucketName: "b",
    exportPeriod: "hour",
    cursorKey: "state/log-archive/export-cursor.json",
    logGroupPatterns: '["/aws/rds/cluster/"]',
  };

  test("subscriber: every variable under its Args name, the patterns as a JSON list", () => {
    expect(subscriberSettings(subscriberEnv)).toEqual({
      destinationArn: subscriberEnv.destinationArn,
      roleArn: subscriberEnv.roleArn,
      filterName: "cn-log-backup",
      logGroupPatterns: ["/ec2/", "!/ec2/noisy"],
    });
  });

  test.each(["destinationArn", "roleArn", "filterName", "logGroupPatterns"])("subscriber: %s missing or empty names the variable", (k) => {
    const { [k as keyof typeof subscriberEnv]: _, ...without } = subscriberEnv;
    expect(() => subscriberSettings(without)).toThrow(`environment variable ${k} is not set (a non-empty string is required)`);
    expect(() => subscriberSettings({ ...subscriberEnv, [k]: "" })).toThrow(`environment variable ${k} is not set`);
  });

  test("subscriber: patterns that are not a JSON list of strings are refused, naming logGroupPatterns", () => {
    for (const bad of ["/ec2/", '"/ec2/"', "[1]", '{"a":"/ec2/"}']) {
      expect(() => subscriberSettings({ ...subscriberEnv, logGroupPatterns: bad })).toThrow(
        /^environment variable logGroupPatterns must be a JSON array of strings, got /,
      );
    }
  });

  test("subscriber: today's upper-case names are not read", () => {
    const old = { DESTINATION_ARN: subscriberEnv.destinationArn, CWL_ROLE_ARN: subscriberEnv.roleArn, FILTER_NAME: "f", LOG_GROUP_PATTERNS: '["/ec2/"]' };
    expect(() => subscriberSettings(old)).toThrow("environment variable destinationArn is not set");
  });

  test("export chain: every variable under its config key / Args name", () => {
    expect(exportTaskSettings(exportEnv)).toEqual({
      bucket: "b",
      period: "hour",
      cursorKey: "state/log-archive/export-cursor.json",
      logGroupPatterns: ["/aws/rds/cluster/"],
    });
    expect(exportTaskSettings({ ...exportEnv, exportPeriod: "day" }).period).toBe("day");
  });

  test("export chain: the period is hour or day, and the message says so", () => {
    expect(() => exportTaskSettings({ ...exportEnv, exportPeriod: "week" })).toThrow(
      'environment variable exportPeriod must be one of "hour", "day", got "week"',
    );
    expect(() => exportTaskSettings({ ...exportEnv, exportPeriod: "Hour" })).toThrow(/exportPeriod must be one of "hour", "day"/);
    const { exportPeriod: _, ...without } = exportEnv;
    expect(() => exportTaskSettings(without)).toThrow('environment variable exportPeriod is not set (one of "hour", "day" is required)');
  });

  test.each(["archiveBucketName", "cursorKey", "logGroupPatterns"])("export chain: %s missing names the variable", (k) => {
    const { [k as keyof typeof exportEnv]: _, ...without } = exportEnv;
    expect(() => exportTaskSettings(without)).toThrow(`environment variable ${k} is not set`);
  });
});
