/** functions/audit-log/backup-records.ts: which stream records are work, and what is already covered. */
import { alreadyCovered, jobFromRecord } from "../../../functions/audit-log/backup-records";
import { logFileImage as img } from "../../helpers/audit-log-records";

describe("backup records", () => {
  test("jobFromRecord skips removes, bookkeeping items and the downloader's own writes", () => {
    expect(jobFromRecord({ eventName: "INSERT", dynamodb: { NewImage: img(1, 2) as never } })).toEqual({
      DBInstanceIdentifier: "db1",
      LogFileName: "audit/a",
      Size: 2,
      LastWritten: 1,
    });
    expect(
      jobFromRecord({ eventName: "MODIFY", dynamodb: { NewImage: img(1, 2, { LastBackup: { N: "9" } }) as never, OldImage: img(1, 2) as never } }),
    ).toEqual({ skip: expect.any(String) });
    expect(jobFromRecord({ eventName: "MODIFY", dynamodb: { NewImage: img(2, 3) as never, OldImage: img(1, 2) as never } })).toMatchObject({
      Size: 3,
      LastWritten: 2,
    });
    expect(jobFromRecord({ eventName: "REMOVE", dynamodb: { OldImage: img(1, 2) as never } })).toEqual({ skip: "removed" });
    expect(
      jobFromRecord({ eventName: "INSERT", dynamodb: { NewImage: { DBInstanceIdentifier: { S: "db1" }, LogFileName: { S: "#watermark" } } as never } }),
    ).toEqual({ skip: "bookkeeping record" });
  });
  test("alreadyCovered compares the recorded backup with the detection", () => {
    const job = { DBInstanceIdentifier: "db1", LogFileName: "audit/a", Size: 10, LastWritten: 5 };
    expect(alreadyCovered(undefined, job)).toBe("record gone");
    expect(alreadyCovered({ BackupLastWritten: { N: "5" }, BackupSize: { N: "10" } }, job)).toBe("already backed up");
    expect(alreadyCovered({ BackupLastWritten: { N: "5" }, BackupSize: { N: "9" } }, job)).toBeUndefined();
    expect(alreadyCovered({ MissedLastWritten: { N: "5" } }, job)).toBe("already recorded as missed");
  });
});
