/**
 * A small stateful CloudWatch Logs + S3 fake behind aws-sdk-client-mock, shared by the LogArchive
 * function tests (and by the serialized-artifact tests). It answers DescribeLogGroups (prefix +
 * pagination), Describe/PutSubscriptionFilter (2-filter quota), CreateExportTask (one active task per
 * account, LimitExceededException otherwise, plus injectable failures) and DescribeExportTasks, and
 * keeps S3 objects in a Map.
 */
import {
  CloudWatchLogsClient,
  CreateExportTaskCommand,
  DescribeExportTasksCommand,
  DescribeLogGroupsCommand,
  DescribeSubscriptionFiltersCommand,
  ExportTask,
  LogGroup,
  PutSubscriptionFilterCommand,
  SubscriptionFilter,
} from "@aws-sdk/client-cloudwatch-logs";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";

export function awsError(name: string, message = name): Error {
  const e: any = new Error(message);
  e.name = name;
  e.$fault = "client";
  e.$metadata = { httpStatusCode: 400 };
  return e;
}

export interface FakeAws {
  logsMock: ReturnType<typeof mockClient>;
  s3Mock: ReturnType<typeof mockClient>;
  logs: CloudWatchLogsClient;
  s3: S3Client;
  groups: LogGroup[];
  filters: Map<string, SubscriptionFilter[]>;
  tasks: ExportTask[];
  objects: Map<string, string>;
  /** Errors to throw from the next calls of a command, by command name, consumed in order. */
  inject: Record<string, Error[]>;
  /** Errors CreateExportTask throws *after* creating the task (a lost response), consumed in order. */
  createThenThrow: Error[];
  pageSize: number;
}

/**
 * `byClass`: mock every client instance (for serialized handlers that build their own clients);
 * otherwise only the two instances returned here.
 */
export function createFakeAws(opts: { byClass?: boolean } = {}): FakeAws {
  const logs = new CloudWatchLogsClient({ region: "cn-north-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } });
  const s3 = new S3Client({ region: "cn-north-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } });
  const logsMock = opts.byClass ? mockClient(CloudWatchLogsClient) : mockClient(logs);
  const s3Mock = opts.byClass ? mockClient(S3Client) : mockClient(s3);
  const fake: FakeAws = {
    logsMock: logsMock as any,
    s3Mock: s3Mock as any,
    logs,
    s3,
    groups: [],
    filters: new Map(),
    tasks: [],
    objects: new Map(),
    inject: {},
    createThenThrow: [],
    pageSize: 2,
  };
  const maybeThrow = (cmd: string): void => {
    const q = fake.inject[cmd];
    if (q && q.length > 0) throw q.shift();
  };
  const page = <T>(items: T[], token: string | undefined): { items: T[]; nextToken?: string } => {
    const start = token ? Number(token) : 0;
    const slice = items.slice(start, start + fake.pageSize);
    const next = start + fake.pageSize < items.length ? String(start + fake.pageSize) : undefined;
    return { items: slice, nextToken: next };
  };

  logsMock.on(DescribeLogGroupsCommand).callsFake((input: any) => {
    maybeThrow("DescribeLogGroups");
    const all = fake.groups
      .filter((g) => !input.logGroupNamePrefix || g.logGroupName!.startsWith(input.logGroupNamePrefix))
      .sort((a, b) => (a.logGroupName! < b.logGroupName! ? -1 : 1));
    const p = page(all, input.nextToken);
    return { logGroups: p.items, nextToken: p.nextToken };
  });
  logsMock.on(DescribeSubscriptionFiltersCommand).callsFake((input: any) => {
    maybeThrow("DescribeSubscriptionFilters");
    if (!fake.groups.some((g) => g.logGroupName === input.logGroupName)) throw awsError("ResourceNotFoundException", "The specified log group does not exist.");
    return { subscriptionFilters: [...(fake.filters.get(input.logGroupName) ?? [])] };
  });
  logsMock.on(PutSubscriptionFilterCommand).callsFake((input: any) => {
    maybeThrow("PutSubscriptionFilter");
    const list = fake.filters.get(input.logGroupName) ?? [];
    const i = list.findIndex((f) => f.filterName === input.filterName);
    const f: SubscriptionFilter = {
      filterName: input.filterName,
      logGroupName: input.logGroupName,
      destinationArn: input.destinationArn,
      roleArn: input.roleArn,
      filterPattern: input.filterPattern,
    };
    if (i >= 0) list[i] = f;
    else {
      if (list.length >= 2) throw awsError("LimitExceededException", "Resource limit exceeded.");
      list.push(f);
    }
    fake.filters.set(input.logGroupName, list);
    return {};
  });
  logsMock.on(CreateExportTaskCommand).callsFake((input: any) => {
    maybeThrow("CreateExportTask");
    if (fake.tasks.some((t) => t.status?.code === "RUNNING" || t.status?.code === "PENDING")) {
      throw awsError("LimitExceededException", "Resource limit exceeded.");
    }
    if (!fake.groups.some((g) => g.logGroupName === input.logGroupName)) throw awsError("ResourceNotFoundException", "The specified log group does not exist.");
    const taskId = `task-${fake.tasks.length + 1}`;
    fake.tasks.push({ ...input, taskId, status: { code: "PENDING" } });
    const lost = fake.createThenThrow.shift();
    if (lost) throw lost;
    return { taskId };
  });
  logsMock.on(DescribeExportTasksCommand).callsFake((input: any) => {
    maybeThrow("DescribeExportTasks");
    let list = fake.tasks;
    if (input.taskId) list = list.filter((t) => t.taskId === input.taskId);
    if (input.statusCode) list = list.filter((t) => t.status?.code === input.statusCode);
    const p = page(list, input.nextToken);
    return { exportTasks: p.items.map((t) => ({ ...t, status: { ...t.status } })), nextToken: p.nextToken };
  });
  s3Mock.on(GetObjectCommand).callsFake((input: any) => {
    const body = fake.objects.get(`${input.Bucket}/${input.Key}`);
    if (body === undefined) {
      const e: any = awsError("NoSuchKey", "The specified key does not exist.");
      e.$metadata = { httpStatusCode: 404 };
      throw e;
    }
    return { Body: { transformToString: async () => body } };
  });
  s3Mock.on(PutObjectCommand).callsFake((input: any) => {
    fake.objects.set(`${input.Bucket}/${input.Key}`, String(input.Body));
    return { ETag: '"etag"' };
  });
  return fake;
}

/** Move every PENDING/RUNNING task one step: PENDING -> RUNNING -> `final`. */
export function advanceTasks(fake: FakeAws, final: "COMPLETED" | "FAILED" = "COMPLETED"): void {
  for (const t of fake.tasks) {
    if (t.status?.code === "RUNNING") t.status = { code: final };
    else if (t.status?.code === "PENDING") t.status = { code: "RUNNING" };
  }
}

/**
 * Per-test isolation for suites that run the serialized LogArchive Lambdas: the environment is
 * restored after each test, console output is silenced, and the fake set in `state.fake` has its
 * client mocks restored.
 */
export function isolateEachTest(): { fake?: FakeAws } {
  const state: { fake?: FakeAws } = {};
  let savedEnv: NodeJS.ProcessEnv;
  beforeEach(() => {
    savedEnv = { ...process.env };
    for (const level of ["log", "warn", "error"] as const) jest.spyOn(console, level).mockImplementation(() => undefined);
  });
  afterEach(() => {
    process.env = savedEnv;
    state.fake?.logsMock.restore();
    state.fake?.s3Mock.restore();
    state.fake = undefined;
    jest.restoreAllMocks();
  });
  return state;
}
