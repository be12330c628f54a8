/**
 * The subscriber's logic against the project's CloudWatch Logs fake (fake-logs.ts), for what moto
 * cannot give: injected throttling and races (a group deleted between Describe and Put, a foreign
 * filter added in between), exact call counts, and pagination at a chosen page size. The
 * serialized artifact runs against moto in moto.test.ts.
 */
import { DescribeLogGroupsCommand, DescribeSubscriptionFiltersCommand, PutSubscriptionFilterCommand } from "@aws-sdk/client-cloudwatch-logs";
import * as fs from "fs";
import * as path from "path";
import { compilePatterns, listingPrefixes, matchesPatterns } from "../../../functions/log-archive/common";
import { withRetry } from "../../../functions/shared/retry";
import { createdLogGroupName, createSubscriberHandler, SubscriberDeps } from "../../../functions/log-archive/subscriber";
import { awsError, createFakeAws, FakeAws } from "./fake-logs";

const fixture = (name: string): any => JSON.parse(fs.readFileSync(path.join(__dirname, "../../fixtures/log-archive", name), "utf8"));

const DEST = "arn:aws-cn:firehose:cn-north-1:123456789012:deliverystream/log-archive-cloudwatch";
const ROLE = "arn:aws-cn:iam::123456789012:role/log-archive-cwl-to-firehose";
const FILTER = "cn-log-backup-archive";
const PATTERNS = ["/aws/rds/cluster/", "/ec2/", "/aws/lambda/*-prod", "!/ec2/scratch/"];

function deps(fake: FakeAws, extra: Partial<SubscriberDeps> = {}): SubscriberDeps {
  return {
    logs: fake.logs,
    destinationArn: DEST,
    roleArn: ROLE,
    filterName: FILTER,
    logGroupPatterns: PATTERNS,
    retry: { attempts: 4, baseDelayMs: 1, sleep: async () => undefined },
    ...extra,
  };
}

let errSpy: jest.SpyInstance;
beforeEach(() => {
  jest.spyOn(console, "log").mockImplementation(() => undefined);
  jest.spyOn(console, "warn").mockImplementation(() => undefined);
  errSpy = jest.spyOn(console, "error").mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

describe("pattern syntax", () => {
  const p = compilePatterns(PATTERNS);
  it.each([
    ["/aws/rds/cluster/lab-aurora/audit", true],
    ["/aws/rds/cluster/", true],
    ["/aws/rds/instance/db1/error", false],
    ["/ec2/app/messages", true],
    ["/ec2/scratch/tmp", false], // excluded
    ["/ec2", false], // prefix "/ec2/" needs the slash
    ["/aws/lambda/orders-prod", true], // glob over the whole name
    ["/aws/lambda/orders-prod-canary", false],
    ["/aws/lambda/orders-dev", false],
    ["/AWS/rds/cluster/x", false], // case-sensitive
  ])("%s -> %s", (name, expected) => {
    expect(matchesPatterns(p, name)).toBe(expected);
  });
  it("regex metacharacters are literal", () => {
    const q = compilePatterns(["/app.v1/*"]);
    expect(matchesPatterns(q, "/app.v1/x")).toBe(true);
    expect(matchesPatterns(q, "/appXv1/x")).toBe(false);
  });
  it("rejects empty patterns naming them", () => {
    expect(() => compilePatterns(["/ok/", "!"])).toThrow('log-group pattern "!" is empty');
    expect(() => compilePatterns([""])).toThrow('log-group pattern "" is empty');
  });
  it("lists by the literal prefixes, collapsing overlaps, or fully for a leading glob", () => {
    expect(listingPrefixes(compilePatterns(["/ec2/", "/aws/rds/cluster/", "/aws/", "/ec2/app/", "!/x"]))).toEqual(["/aws/", "/ec2/"]);
    expect(listingPrefixes(compilePatterns(["/ec2/", "*-prod"]))).toEqual([undefined]);
  });
  it("withRetry retries throttling only, bounded", async () => {
    let n = 0;
    const sleeps: number[] = [];
    const opts = { attempts: 3, baseDelayMs: 100, sleep: async (ms: number) => void sleeps.push(ms) };
    await expect(
      withRetry(async () => {
        n++;
        throw awsError("ThrottlingException");
      }, opts),
    ).rejects.toMatchObject({ name: "ThrottlingException" });
    expect(n).toBe(3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]).toBeLessThanOrEqual(200);
    n = 0;
    await expect(
      withRetry(async () => {
        n++;
        throw awsError("InvalidParameterException");
      }, opts),
    ).rejects.toMatchObject({ name: "InvalidParameterException" });
    expect(n).toBe(1);
  });
});

describe("subscriber: CreateLogGroup events", () => {
  it("reads the group name from the CloudTrail event", () => {
    expect(createdLogGroupName(fixture("create-log-group-rds.json"))).toBe("/aws/rds/cluster/lab-aurora/audit");
    const failed = fixture("create-log-group-rds.json");
    failed.detail.errorCode = "ResourceAlreadyExistsException";
    expect(createdLogGroupName(failed)).toBeUndefined();
  });

  it("subscribes a new matching group once, with the exact parameters, and is idempotent on redelivery", async () => {
    const fake = createFakeAws();
    fake.groups.push({ logGroupName: "/aws/rds/cluster/lab-aurora/audit", creationTime: 1 });
    const handler = createSubscriberHandler(deps(fake));
    const event = fixture("create-log-group-rds.json");

    const first = await handler(event);
    expect(first).toMatchObject({ trigger: "createLogGroup", subscribed: ["/aws/rds/cluster/lab-aurora/audit"] });
    const puts = fake.logsMock.commandCalls(PutSubscriptionFilterCommand);
    expect(puts).toHaveLength(1);
    expect(puts[0].args[0].input).toEqual({
      logGroupName: "/aws/rds/cluster/lab-aurora/audit",
      filterName: FILTER,
      filterPattern: "",
      destinationArn: DEST,
      roleArn: ROLE,
    });
    expect(fake.logsMock.commandCalls(DescribeSubscriptionFiltersCommand)[0].args[0].input).toEqual({ logGroupName: "/aws/rds/cluster/lab-aurora/audit" });

    // EventBridge delivers at least once: the same event again.
    const second = await handler(event);
    expect(second).toMatchObject({ subscribed: [], alreadySubscribed: ["/aws/rds/cluster/lab-aurora/audit"] });
    expect(fake.logsMock.commandCalls(PutSubscriptionFilterCommand)).toHaveLength(1);
    expect(fake.filters.get("/aws/rds/cluster/lab-aurora/audit")).toHaveLength(1);
  });

  // A call that failed is in CloudTrail too, with `errorCode`/`errorMessage` and null
  // `responseElements` (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html);
  // EventBridge delivers it like any other "AWS API Call via CloudTrail" event
  // (https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-cloudtrail.html). The CloudWatch
  // agent calls CreateLogGroup on every start, for groups that exist: ResourceAlreadyExistsException.
  it("ignores a CreateLogGroup call that failed (the group was not created): no API call, no error", async () => {
    const fake = createFakeAws();
    fake.groups.push({ logGroupName: "/ec2/app/messages" });
    const handler = createSubscriberHandler(deps(fake));
    const event = fixture("create-log-group-failed.json");
    expect(event.detail.errorCode).toBe("ResourceAlreadyExistsException");
    const res = await handler(event);
    expect(res).toMatchObject({ trigger: "createLogGroup", ignored: ["/ec2/app/messages"], subscribed: [], failed: [] });
    expect(fake.logsMock.calls()).toHaveLength(0);
  });

  it("ignores a non-matching group without any API call", async () => {
    const fake = createFakeAws();
    fake.groups.push({ logGroupName: "/app/orders/debug" });
    const handler = createSubscriberHandler(deps(fake));
    const res = await handler(fixture("create-log-group-nonmatching.json"));
    expect(res).toMatchObject({ ignored: ["/app/orders/debug"], subscribed: [] });
    expect(fake.logsMock.calls()).toHaveLength(0);
  });

  it("reports a group that already has two foreign filters with an ERROR log and leaves them alone", async () => {
    const fake = createFakeAws();
    const name = "/aws/rds/cluster/lab-aurora/audit";
    fake.groups.push({ logGroupName: name });
    fake.filters.set(name, [
      { filterName: "siem", destinationArn: "arn:aws-cn:logs:cn-north-1:123456789012:destination:siem" },
      { filterName: "metrics", destinationArn: "arn:aws-cn:lambda:cn-north-1:123456789012:function:m" },
    ]);
    const res = await createSubscriberHandler(deps(fake))(fixture("create-log-group-rds.json"));
    expect(res.filterLimit).toEqual([name]);
    expect(fake.logsMock.commandCalls(PutSubscriptionFilterCommand)).toHaveLength(0);
    expect(errSpy).toHaveBeenCalledTimes(1);
    const line = JSON.parse(errSpy.mock.calls[0][0]);
    expect(line).toMatchObject({ logGroupName: name, limit: 2 });
    expect(line.message).toMatch(/maximum number of subscription filters/);
    expect(line.existingFilters.map((f: any) => f.filterName)).toEqual(["siem", "metrics"]);
  });

  it("updates our own filter by name even when the group is at the quota (re-pointing it)", async () => {
    const fake = createFakeAws();
    const name = "/ec2/app/messages";
    fake.groups.push({ logGroupName: name });
    fake.filters.set(name, [
      { filterName: "siem", destinationArn: "arn:aws-cn:logs:cn-north-1:123456789012:destination:siem" },
      { filterName: FILTER, destinationArn: "arn:aws-cn:firehose:cn-north-1:123456789012:deliverystream/old" },
    ]);
    const event = fixture("create-log-group-rds.json");
    event.detail.requestParameters.logGroupName = name;
    const res = await createSubscriberHandler(deps(fake))(event);
    expect(res.subscribed).toEqual([name]);
    expect(fake.filters.get(name)!.map((f) => f.destinationArn)).toEqual(["arn:aws-cn:logs:cn-north-1:123456789012:destination:siem", DEST]);
  });

  it("retries throttling and then subscribes", async () => {
    const fake = createFakeAws();
    fake.groups.push({ logGroupName: "/aws/rds/cluster/lab-aurora/audit" });
    fake.inject.DescribeSubscriptionFilters = [awsError("ThrottlingException", "Rate exceeded")];
    fake.inject.PutSubscriptionFilter = [awsError("ThrottlingException", "Rate exceeded"), awsError("ThrottlingException", "Rate exceeded")];
    const res = await createSubscriberHandler(deps(fake))(fixture("create-log-group-rds.json"));
    expect(res.subscribed).toEqual(["/aws/rds/cluster/lab-aurora/audit"]);
    expect(fake.logsMock.commandCalls(PutSubscriptionFilterCommand)).toHaveLength(3);
    expect(fake.filters.get("/aws/rds/cluster/lab-aurora/audit")).toHaveLength(1);
  });

  it("fails the invocation (so it is retried) when throttling outlasts the retries", async () => {
    const fake = createFakeAws();
    fake.groups.push({ logGroupName: "/aws/rds/cluster/lab-aurora/audit" });
    fake.inject.PutSubscriptionFilter = Array.from({ length: 4 }, () => awsError("ThrottlingException"));
    await expect(createSubscriberHandler(deps(fake))(fixture("create-log-group-rds.json"))).rejects.toMatchObject({ name: "ThrottlingException" });
  });

  it("treats a group deleted before subscription as gone, not an error", async () => {
    const fake = createFakeAws();
    const res = await createSubscriberHandler(deps(fake))(fixture("create-log-group-rds.json"));
    expect(res.gone).toEqual(["/aws/rds/cluster/lab-aurora/audit"]);
  });

  it("rejects events it does not understand", async () => {
    const fake = createFakeAws();
    await expect(createSubscriberHandler(deps(fake))({ "detail-type": "Something", source: "aws.s3" })).rejects.toThrow(/unexpected event/);
  });
});

describe("subscriber: scheduled re-check", () => {
  function seed(fake: FakeAws): void {
    for (const n of [
      "/aws/rds/cluster/a/audit",
      "/aws/rds/cluster/a/error",
      "/aws/rds/cluster/b/slowquery",
      "/aws/rds/instance/x/error",
      "/ec2/app/messages",
      "/ec2/app/secure",
      "/ec2/scratch/tmp",
      "/aws/lambda/orders-prod",
      "/aws/lambda/orders-dev",
      "/other",
    ])
      fake.groups.push({ logGroupName: n });
  }

  it("paginates, subscribes only unsubscribed matching groups, respects the quota", async () => {
    const fake = createFakeAws();
    seed(fake);
    fake.filters.set("/ec2/app/secure", [{ filterName: FILTER, destinationArn: DEST }]);
    fake.filters.set("/aws/rds/cluster/a/error", [
      { filterName: "one", destinationArn: "arn:aws-cn:lambda:cn-north-1:123456789012:function:one" },
      { filterName: "two", destinationArn: "arn:aws-cn:lambda:cn-north-1:123456789012:function:two" },
    ]);
    const res = await createSubscriberHandler(deps(fake))(fixture("scheduled-event.json"));
    expect(res.trigger).toBe("schedule");
    expect(res.subscribed).toEqual(["/aws/lambda/orders-prod", "/aws/rds/cluster/a/audit", "/aws/rds/cluster/b/slowquery", "/ec2/app/messages"]);
    expect(res.alreadySubscribed).toEqual(["/ec2/app/secure"]);
    expect(res.filterLimit).toEqual(["/aws/rds/cluster/a/error"]);
    // One prefix query per literal pattern start, each paginated 2 at a time.
    const lists = fake.logsMock.commandCalls(DescribeLogGroupsCommand).map((c) => c.args[0].input as any);
    expect(lists).toEqual([
      { limit: 50, logGroupNamePrefix: "/aws/lambda/" },
      { limit: 50, logGroupNamePrefix: "/aws/rds/cluster/" },
      { limit: 50, logGroupNamePrefix: "/aws/rds/cluster/", nextToken: "2" },
      { limit: 50, logGroupNamePrefix: "/ec2/" },
      { limit: 50, logGroupNamePrefix: "/ec2/", nextToken: "2" },
    ]);
    expect(res.subscribed.concat(res.alreadySubscribed, res.filterLimit)).not.toContain("/ec2/scratch/tmp");
    // /aws/lambda/orders-prod matches the glob too.
    expect(fake.filters.get("/aws/lambda/orders-prod")?.[0]).toMatchObject({ filterName: FILTER, destinationArn: DEST, roleArn: ROLE });
    expect(fake.filters.has("/aws/lambda/orders-dev")).toBe(false);
    expect(fake.filters.has("/other")).toBe(false);

    // A second run changes nothing.
    const before = fake.logsMock.commandCalls(PutSubscriptionFilterCommand).length;
    const again = await createSubscriberHandler(deps(fake))(fixture("scheduled-event.json"));
    expect(again.subscribed).toEqual([]);
    expect(fake.logsMock.commandCalls(PutSubscriptionFilterCommand).length).toBe(before);
  });

  it("lists every group, paginated, when a glob has no literal start", async () => {
    const fake = createFakeAws();
    seed(fake);
    const res = await createSubscriberHandler(deps(fake, { logGroupPatterns: ["*/error", "/ec2/app/"] }))(fixture("scheduled-event.json"));
    const lists = fake.logsMock.commandCalls(DescribeLogGroupsCommand).map((c) => c.args[0].input as any);
    expect(lists).toEqual([
      { limit: 50 },
      { limit: 50, nextToken: "2" },
      { limit: 50, nextToken: "4" },
      { limit: 50, nextToken: "6" },
      { limit: 50, nextToken: "8" },
    ]);
    expect(res.subscribed).toEqual(["/aws/rds/cluster/a/error", "/aws/rds/instance/x/error", "/ec2/app/messages", "/ec2/app/secure"]);
    expect([...fake.filters.keys()].sort()).toEqual(["/aws/rds/cluster/a/error", "/aws/rds/instance/x/error", "/ec2/app/messages", "/ec2/app/secure"]);
  });

  it("keeps going past a failing group, then fails the run naming it", async () => {
    const fake = createFakeAws();
    seed(fake);
    fake.inject.DescribeSubscriptionFilters = [awsError("AccessDeniedException", "denied")];
    await expect(createSubscriberHandler(deps(fake))(fixture("scheduled-event.json"))).rejects.toThrow(
      /failed to subscribe 1 log group\(s\): \/aws\/lambda\/orders-prod; first error: AccessDeniedException/,
    );
    // every other matching group was still subscribed
    expect(fake.filters.has("/ec2/app/secure")).toBe(true);
    expect(fake.filters.has("/aws/rds/cluster/b/slowquery")).toBe(true);
  });
});
