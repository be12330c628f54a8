/**
 * CloudWatch embedded-metric-format (EMF) figures from a Lambda function, written by AWS's own
 * library, `aws-embedded-metrics` (bundled into the artifact: the runtime does not provide it).
 *
 * Why not `console.log(JSON.stringify(emf))`: with `logFormat: JSON` the runtime wraps every
 * console line in its envelope (`{"timestamp","level","requestId","message":"<the line>"}`), so the
 * EMF document becomes a string inside `message` and CloudWatch extracts nothing. EMF must be a
 * log event that is itself the JSON object with `_aws`:
 * - https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-logformat.html (JSON
 *   application logs: console methods get the envelope);
 * - https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Libraries.html
 *   ("For Node.js, versions 4.1.1+ ... are required for use with the Lambda JSON log format");
 * - the library's ConsoleSink writes through `new Console(process.stdout)` when
 *   `AWS_LAMBDA_LOG_FORMAT` is `JSON`, which the runtime interface client does not patch
 *   (aws-lambda-nodejs-runtime-interface-client, src/LogPatch.js patches only `console.*`).
 *
 * The library's own environment detection is bypassed (it would probe the EC2 metadata service and
 * fall back to a CloudWatch-agent socket outside Lambda); these functions only run in Lambda.
 */
import { LocalSink, MetricsLogger } from "aws-embedded-metrics";

export interface MetricValue {
  value: number;
  /** A CloudWatch unit name such as `Count`, `Bytes`, `Seconds`. */
  unit: string;
}

/** The Lambda environment as aws-embedded-metrics' LambdaEnvironment describes it, with its console sink. */
function lambdaEnvironment() {
  const sink = new LocalSink();
  const name = process.env.AWS_LAMBDA_FUNCTION_NAME || "Unknown";
  return {
    probe: async () => true,
    getName: () => name,
    getType: () => "AWS::Lambda::Function",
    getLogGroupName: () => name,
    configureContext: () => undefined,
    getSink: () => sink,
  };
}

/**
 * How far from now CloudWatch accepts a metric's timestamp (two weeks back, two hours ahead); the
 * library refuses anything outside it (aws-embedded-metrics lib/utils/Validator.js,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html).
 */
const MAX_PAST_MS = 14 * 86_400_000;
const MAX_FUTURE_MS = 2 * 3_600_000;

/**
 * Writes one EMF document (more when over the library's 100-metric limit): `metrics` in `namespace`
 * under exactly the dimension set `dimensions`, at `timestamp` (epoch ms; a time CloudWatch would
 * not accept, such as a test's fake clock, is replaced by the time of writing). Never throws: a
 * metric that cannot be written is reported on stderr and must not fail the records of a batch.
 */
export async function emitMetrics(
  namespace: string,
  dimensions: Record<string, string>,
  metrics: Record<string, MetricValue>,
  timestamp: number,
): Promise<void> {
  const names = Object.keys(metrics);
  if (names.length === 0) return;
  try {
    const environment = lambdaEnvironment();
    const logger = new MetricsLogger(async () => environment as never);
    logger.setNamespace(namespace);
    // Exactly our dimension set (no library defaults such as ServiceName): the alarms name it.
    logger.setDimensions(dimensions, false);
    for (const n of names) logger.putMetric(n, metrics[n].value, metrics[n].unit as never);
    const age = Date.now() - timestamp;
    if (age <= MAX_PAST_MS && -age <= MAX_FUTURE_MS) logger.setTimestamp(new Date(timestamp));
    await logger.flush();
  } catch (err) {
    const e = err as { name?: string; message?: string };
    console.error(JSON.stringify({ msg: "metrics not written", namespace, metrics: names, error: `${e?.name}: ${e?.message}` }));
  }
}
