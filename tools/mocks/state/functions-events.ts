/** Resource state the provider returns for Lambda functions, log groups, EventBridge rules, Scheduler schedules, Firehose streams, CloudTrail trails and SSM parameters. */
import { PARTITION } from "../aws-cn";
import type { StateRules } from "./context";

export const functionsEventsState: StateRules = {
  "aws:lambda/function:Function": ({ inputs, region, autoname, arnOf }) => {
    const fn = autoname();
    const arn = arnOf("lambda", `function:${fn}`);
    return {
      id: fn,
      state: {
        name: fn,
        arn,
        qualifiedArn: `${arn}:$LATEST`,
        invokeArn: `arn:${PARTITION}:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
        version: "$LATEST",
        // The archive itself is not echoed back: tests read it from InlineLambda.code.
        code: undefined,
      },
      knownInPreview: {},
      idUnknownInPreview: !inputs.name,
    };
  },
  "aws:cloudwatch/logGroup:LogGroup": ({ inputs, autoname, arnOf }) => {
    const n = autoname(512);
    return { id: n, state: { name: n, arn: arnOf("logs", `log-group:${n}`) }, knownInPreview: inputs.name ? { name: n } : {} };
  },
  "aws:cloudwatch/eventRule:EventRule": ({ inputs, autoname, arnOf }) => {
    const n = autoname();
    const bus = (inputs.eventBusName as string | undefined) ?? "default";
    return { id: `${bus}/${n}`, state: { name: n, arn: arnOf("events", bus === "default" ? `rule/${n}` : `rule/${bus}/${n}`) }, knownInPreview: {} };
  },
  "aws:scheduler/schedule:Schedule": ({ inputs, autoname, arnOf }) => {
    const n = autoname();
    const group = (inputs.groupName as string | undefined) ?? "default";
    return { id: `${group}/${n}`, state: { name: n, groupName: group, arn: arnOf("scheduler", `schedule/${group}/${n}`) }, knownInPreview: {} };
  },
  "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": ({ autoname, arnOf }) => {
    const n = autoname();
    const arn = arnOf("firehose", `deliverystream/${n}`);
    return { id: arn, state: { name: n, arn }, knownInPreview: {} };
  },
  "aws:cloudtrail/trail:Trail": ({ region, autoname, arnOf }) => {
    const n = autoname(128);
    const arn = arnOf("cloudtrail", `trail/${n}`);
    return { id: arn, state: { name: n, arn, homeRegion: region }, knownInPreview: {} };
  },
  "aws:ssm/parameter:Parameter": ({ name, inputs, suffix, arnOf }) => {
    const n: string = inputs.name ?? `${name}-${suffix}`;
    return { id: n, state: { name: n, arn: arnOf("ssm", `parameter${n.startsWith("/") ? "" : "/"}${n}`), version: 1 }, knownInPreview: {} };
  },
};
