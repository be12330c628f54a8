/** functions/log-archive/settings.ts: the variables infra/log-archive sets today, validated and named on bad input. */
import { exportTaskSettings, subscriberSettings } from "../../../functions/log-archive/settings";

describe("log-archive settings", () => {
  test("subscriber: every variable, the patterns as a JSON list", () => {
    const env = {
      DESTINATION_ARN: "arn:aws-cn:firehose:cn-north-1:111122223333:deliverystream/s",
      CWL_ROLE_ARN: "arn:aws-cn:iam::111122223333:role/r",
      FILTER_NAME: "cn-log-backup",
      LOG_GROUP_PATTERNS: '["/ec2/"]',
    };
    expect(subscriberSettings(env)).toEqual({
      destinationArn: env.DESTINATION_ARN,
      roleArn: env.CWL_ROLE_ARN,
      filterName: "cn-log-backup",
      logGroupPatterns: ["/ec2/"],
    });
    expect(() => subscriberSettings({ ...env, FILTER_NAME: "" })).toThrow(/FILTER_NAME is not set/);
    expect(() => subscriberSettings({ ...env, LOG_GROUP_PATTERNS: "/ec2/" })).toThrow(/LOG_GROUP_PATTERNS must be a JSON array of strings/);
  });
  test("export chain: the period is hour or day", () => {
    const env = { ARCHIVE_BUCKET: "b", EXPORT_PERIOD: "hour", CURSOR_KEY: "state/log-archive/export-cursor.json", LOG_GROUP_PATTERNS: '["/aws/rds/cluster/"]' };
    expect(exportTaskSettings(env)).toEqual({
      bucket: "b",
      period: "hour",
      cursorKey: "state/log-archive/export-cursor.json",
      logGroupPatterns: ["/aws/rds/cluster/"],
    });
    expect(() => exportTaskSettings({ ...env, EXPORT_PERIOD: "week" })).toThrow('environment variable EXPORT_PERIOD must be one of "hour", "day", got "week"');
  });
});
