/** What the AuroraLab tests share: the mocks' answers, record lookups and the component's Args. */
import * as zlib from "zlib";
import * as pulumi from "@pulumi/pulumi";
import { one, runStack } from "../../helpers/pulumi";
import type { AuroraLabArgs } from "../../../infra/aurora-lab";

/** Stands in for a log group LogArchive's factory would make. */
export class Marker extends pulumi.CustomResource {
  constructor(name: string, opts: pulumi.CustomResourceOptions) {
    super("test:index:Marker", name, {}, opts);
  }
}

export const AMI = "ami-0a1b2c3d4e5f60718"; // the mocks' answer for the AL2023 arm64 parameter
export const R = "cn-north-1";

export type Run = Awaited<ReturnType<typeof runStack>>;
export const byUrn = (run: Run, urn: string) => run.resources.find((r) => r.urn === urn)!;
export const labResources = (run: Run) => run.resources.filter((r) => r.type.startsWith("aws:") && /aurora-lab|cn-log-backup-lab/.test(r.name));
export function userDataOf(run: Run): string {
  const instance = one(run, "aws:ec2/instance:Instance", "aurora-lab-client");
  return zlib.gunzipSync(Buffer.from(instance.inputs.userDataBase64, "base64")).toString("utf8");
}

/** The component's Args as the stack would pass them, from fakes. */
export const baseArgs = (over: Partial<AuroraLabArgs> = {}): AuroraLabArgs => ({
  stack: R,
  region: R,
  vpcCidr: "10.50.0.0/16",
  natGateway: false,
  client: { instanceType: "t4g.micro", rootVolumeGiB: 16 },
  database: {
    clusterIdentifier: "lab-x",
    engineVersion: "8.0.mysql_aurora.3.08.2",
    instanceClass: "db.t4g.medium",
    masterUsername: "labadmin",
    backupRetentionDays: 7,
    deletionProtection: true,
    finalSnapshot: true,
    auditExcludedUsers: ["rdsadmin"],
    slowQuerySeconds: 2,
  },
  backupSelectionTag: { key: "cn-log-backup:backup", value: "daily" },
  logs: { retentionInDays: 365 },
  kmsKeyDeletionWindowDays: 30,
  tags: { project: "t" },
  ...over,
});
