/**
 * A Lambda function's output as the nodejs22.x managed runtime turns it into log events.
 *
 * The runtime interface client (`aws-lambda-ric`, https://github.com/aws/aws-lambda-nodejs-runtime-interface-client,
 * src/LogPatch.js) patches `console.*` at start-up; with `AWS_LAMBDA_LOG_FORMAT=JSON` each call
 * becomes one line `{"timestamp","level","requestId","message"}` (`message` is the single argument
 * as is, or `util.format` of several; newlines become `\r`), TRACE..FATAL filtered by
 * `AWS_LAMBDA_LOG_LEVEL`; `process.stdout.write` is not patched and reaches the log stream as written.
 * Documented at https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-logformat.html
 * ("JSON format for application logs") and https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html.
 *
 * We reproduce it here rather than use the package: aws-lambda-ric 3.3.0 (the last release for
 * Node 20; 4.x needs Node 22) does not install on this machine: its preinstall script builds curl
 * and aws-lambda-cpp from source and fails without autoreconf/cmake, and its JS bundle exports only
 * `run` (the RAPID loop), not the console patch. The code below follows LogPatch.js of 3.3.0
 * (`formatJsonMessage`, `logJsonToStdout`, `_patchConsoleWith`) line for line.
 */
import * as util from "util";

const LEVELS = { TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6 } as const;
type Level = keyof typeof LEVELS;

function jsonErrorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    return Object.assign(
      {
        errorType: value.constructor?.name ?? "UnknownError",
        errorMessage: value.message,
        stackTrace: typeof value.stack === "string" ? value.stack.split("\n") : value.stack,
      },
      value,
    );
  }
  return value;
}

function formatJsonMessage(requestId: string, timestamp: string, level: Level, ...params: unknown[]): string {
  const result: Record<string, unknown> = { timestamp, level, requestId };
  if (params.length === 1) {
    result.message = params[0];
    try {
      return JSON.stringify(result, jsonErrorReplacer);
    } catch {
      result.message = util.format(result.message);
      return JSON.stringify(result);
    }
  }
  result.message = util.format(...params);
  for (const p of params) {
    if (p instanceof Error) {
      result.errorType = p.constructor?.name ?? "UnknownError";
      result.errorMessage = p.message;
      result.stackTrace = typeof p.stack === "string" ? p.stack.split("\n") : [];
      break;
    }
  }
  return JSON.stringify(result);
}

export interface RuntimeLogOptions {
  /** `JSON` (what infra/lambda.ts configures) or `Text`. */
  logFormat?: "JSON" | "Text";
  /** `applicationLogLevel`; default INFO as in infra/lambda.ts. */
  logLevel?: Level;
  requestId?: string;
  functionName?: string;
}

/**
 * Runs `fn` as inside the managed runtime: the environment variables Lambda sets, `console.*`
 * patched as LogPatch.js does, and everything written to stdout captured as log-stream lines.
 * Restores console, stdout and the environment afterwards.
 */
export async function runInLambdaRuntime<T>(fn: () => Promise<T>, opts: RuntimeLogOptions = {}): Promise<{ result: T; lines: string[] }> {
  const format = opts.logFormat ?? "JSON";
  const level = opts.logLevel ?? "INFO";
  const requestId = opts.requestId ?? "8f507cfc-example-4697-b07a-ac58fc914c95";
  const env: Record<string, string> = {
    AWS_LAMBDA_LOG_FORMAT: format,
    AWS_LAMBDA_LOG_LEVEL: level,
    AWS_LAMBDA_FUNCTION_NAME: opts.functionName ?? "fn",
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x",
  };
  const savedEnv: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    savedEnv[k] = process.env[k];
    process.env[k] = v;
  }
  const lines: string[] = [];
  let partial = "";
  const originalWrite = process.stdout.write;
  (process.stdout as any).write = (chunk: unknown, ...rest: unknown[]) => {
    partial += typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
    const parts = partial.split("\n");
    partial = parts.pop()!;
    lines.push(...parts);
    const cb = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    cb?.();
    return true;
  };
  const saved = { trace: console.trace, debug: console.debug, info: console.info, log: console.log, warn: console.warn, error: console.error };
  const write = (lvl: Level, ...params: unknown[]) => {
    const time = new Date().toISOString();
    const line = format === "JSON" ? formatJsonMessage(requestId, time, lvl, ...params) : `${time}\t${requestId}\t${lvl}\t${util.format(...params)}`;
    process.stdout.write(line.replace(/\n/g, "\r") + "\n");
  };
  const at = (lvl: Level) => (LEVELS[lvl] >= LEVELS[level] ? (...p: unknown[]) => write(lvl, ...p) : () => undefined);
  console.trace = at("TRACE");
  console.debug = at("DEBUG");
  console.info = at("INFO");
  console.log = console.info;
  console.warn = at("WARN");
  console.error = at("ERROR");
  try {
    const result = await fn();
    return { result, lines };
  } finally {
    Object.assign(console, saved);
    process.stdout.write = originalWrite;
    if (partial) lines.push(partial);
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
