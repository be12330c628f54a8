/** Resource state the provider returns for AWS Backup vaults, plans and selections; RDS clusters, instances, parameter and subnet groups, replicated automated backups. */
import { DNS_SUFFIX } from "../aws-cn";
import { hex, uuid } from "../ids";
import { StateRules, sameState } from "./context";

export const backupRdsState: StateRules = {
  "aws:backup/vault:Vault": ({ autoname, arnOf }) => {
    const n = autoname(50);
    return { id: n, state: { name: n, arn: arnOf("backup", `backup-vault:${n}`), recoveryPoints: 0 }, knownInPreview: {} };
  },
  "aws:backup/plan:Plan": ({ seed, arnOf }) => {
    const id = uuid(seed);
    return { id, state: { arn: arnOf("backup", `backup-plan:${id}`), version: hex(seed, 32) }, knownInPreview: {}, idUnknownInPreview: true };
  },
  "aws:backup/selection:Selection": ({ seed }) => ({ id: uuid(seed), state: {}, knownInPreview: {} }),
  "aws:rds/cluster:Cluster": ({ name, inputs, region, seed, suffix, arnOf }) => {
    const cid: string = inputs.clusterIdentifier ?? `${name}-${suffix}`;
    return {
      id: cid,
      state: {
        clusterIdentifier: cid,
        arn: arnOf("rds", `cluster:${cid}`),
        endpoint: `${cid}.cluster-c${hex(seed, 11)}.${region}.rds.${DNS_SUFFIX}`,
        readerEndpoint: `${cid}.cluster-ro-c${hex(seed, 11)}.${region}.rds.${DNS_SUFFIX}`,
        clusterResourceId: `cluster-${hex(seed, 26).toUpperCase()}`,
        masterUserSecrets: inputs.manageMasterUserPassword
          ? [
              {
                secretArn: arnOf("secretsmanager", `secret:rds!cluster-${uuid(seed)}-AbCdEf`),
                secretStatus: "active",
                kmsKeyId: inputs.masterUserSecretKmsKeyId,
              },
            ]
          : [],
        port: 3306,
      },
      knownInPreview: inputs.clusterIdentifier ? { clusterIdentifier: cid } : {},
    };
  },
  "aws:rds/clusterInstance:ClusterInstance": ({ name, inputs, region, seed, suffix, arnOf }) => {
    const iid: string = inputs.identifier ?? `${name}-${suffix}`;
    return {
      id: iid,
      state: {
        identifier: iid,
        arn: arnOf("rds", `db:${iid}`),
        endpoint: `${iid}.c${hex(seed, 11)}.${region}.rds.${DNS_SUFFIX}`,
        dbiResourceId: `db-${hex(seed, 26).toUpperCase()}`,
        writer: false,
      },
      knownInPreview: {},
    };
  },
  ...sameState(
    ["aws:rds/clusterParameterGroup:ClusterParameterGroup", "aws:rds/parameterGroup:ParameterGroup", "aws:rds/subnetGroup:SubnetGroup"],
    ({ type, autoname, arnOf }) => {
      const n = autoname(255).toLowerCase();
      const kind = type.includes("cluster") ? "cluster-pg" : type.includes("subnet") ? "subgrp" : "pg";
      return { id: n, state: { name: n, arn: arnOf("rds", `${kind}:${n}`) }, knownInPreview: {} };
    },
  ),
  "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": ({ region, seed, arnOf }) => {
    // The replicated automated backup lives in the destination region, keyed by the source's resource id.
    const arn = arnOf("rds", `auto-backup:ab-${hex(seed, 26)}`);
    return { id: arn, state: {}, knownInPreview: {}, idUnknownInPreview: true };
  },
};
