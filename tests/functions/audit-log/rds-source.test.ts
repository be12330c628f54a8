/** functions/audit-log/rds-source.ts: truncation markers, the REST path and DownloadDBLogFilePortion paging (aws-sdk-client-mock). */
import { DownloadDBLogFilePortionCommand, RDSClient } from "@aws-sdk/client-rds";
import { mockClient } from "aws-sdk-client-mock";
import { completeFilePath, hasTruncationMarker, portionStream } from "../../../functions/audit-log/rds-source";

describe("rds source", () => {
  test("truncation markers and the REST path", () => {
    expect(hasTruncationMarker("line\n [Your log file was truncated]\n")).toBe(true);
    expect(hasTruncationMarker("line\n[Your log message was truncated]")).toBe(true);
    expect(hasTruncationMarker("a line that mentions [Your log file was truncated] then goes on\n")).toBe(false);
    expect(completeFilePath("db-1", "audit/audit.log.0")).toBe("/v13/downloadCompleteLogFile/db-1/audit/audit.log.0");
  });
  test("portion paging: Marker chaining, halving NumberOfLines on truncation, stopping when no data is pending", async () => {
    const rds = mockClient(RDSClient);
    rds
      .on(DownloadDBLogFilePortionCommand, { Marker: "0", NumberOfLines: 100 })
      .resolves({ LogFileData: "aaaa\n [Your log file was truncated]\n", Marker: "9", AdditionalDataPending: true })
      .on(DownloadDBLogFilePortionCommand, { Marker: "0", NumberOfLines: 50 })
      .resolves({ LogFileData: "one\n", Marker: "4", AdditionalDataPending: true })
      .on(DownloadDBLogFilePortionCommand, { Marker: "4", NumberOfLines: 100 })
      .resolves({ LogFileData: "two\n", Marker: "8", AdditionalDataPending: false });
    const counter = { calls: 0 };
    const chunks: string[] = [];
    for await (const c of portionStream(new RDSClient({}), { DBInstanceIdentifier: "db1", LogFileName: "audit/a", Size: 8, LastWritten: 1 }, 100, counter))
      chunks.push(String(c));
    expect(chunks.join("")).toBe("one\ntwo\n");
    // 3 pages, then the first page again (50 lines, as it was read) to check the file was not rotated meanwhile.
    expect(counter.calls).toBe(4);
    expect(rds.commandCalls(DownloadDBLogFilePortionCommand)[3].args[0].input).toMatchObject({ Marker: "0", NumberOfLines: 50 });
    rds.restore();
  });
});
