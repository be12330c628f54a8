/**
 * Resource types RestoreTesting selects (RestoreTestingSelection ProtectedResourceType values,
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/API_RestoreTestingSelectionForCreate.html),
 * without the Pulumi SDK so that the config can validate against them.
 */
export const RESTORE_TEST_RESOURCE_TYPES = ["Aurora", "RDS", "DynamoDB", "EBS", "EFS", "S3"] as const;
export type RestoreTestResourceType = (typeof RESTORE_TEST_RESOURCE_TYPES)[number];
