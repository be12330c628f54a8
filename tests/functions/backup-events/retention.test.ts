import { execFileSync } from "child_process";
import { computeRetentionAfterCopy, RetentionInput, utcDayNumber } from "../../../functions/backup-events/retention";

/** A decision with sensible defaults: a warm point kept 35 days, copied, to be kept 7 days. */
function decide(over: Partial<RetentionInput>) {
  return computeRetentionAfterCopy({
    creationDate: "2026-02-28T21:40:31.207Z",
    now: "2026-03-01T00:10:00Z",
    lifecycle: { DeleteAfterDays: 35 },
    storageClass: "WARM",
    status: "COMPLETED",
    retainAfterCopyDays: 7,
    ...over,
  });
}

function newRetention(over: Partial<RetentionInput>): number {
  const d = decide(over);
  if (!d.change) throw new Error(`expected a change, got ${JSON.stringify(d)}`);
  return d.deleteAfterDays;
}

describe("days-old counting on UTC calendar days", () => {
  it.each([
    // [creation, now, expected days-old (creation day = 1)]
    ["2026-03-01T00:00:00.000Z", "2026-03-01T23:59:59.999Z", 1], // same UTC day
    ["2026-01-31T23:59:59.999Z", "2026-02-01T00:00:00.000Z", 2], // 1 ms apart across a month end
    ["2026-04-30T12:00:00Z", "2026-05-01T11:00:00Z", 2], // less than 24 h, still a new day
    ["2026-02-28T23:59:59Z", "2026-03-01T00:00:01Z", 2], // no leap day in 2026
    ["2024-02-28T23:59:59Z", "2024-03-01T00:00:01Z", 3], // 2024-02-29 exists
    ["2024-02-29T00:00:00Z", "2025-02-28T00:00:00Z", 366], // leap day to the next year
    ["2100-02-28T10:00:00Z", "2100-03-01T10:00:00Z", 2], // 2100 is not a leap year
    ["2000-02-28T10:00:00Z", "2000-03-01T10:00:00Z", 3], // 2000 is
    ["2026-12-31T23:52:10.020Z", "2027-01-01T00:05:00Z", 2], // year end
    ["2025-12-01T08:00:00Z", "2026-03-01T08:00:00Z", 91], // Dec 31 + Jan 31 + Feb 28 days
    // Offsets: instants are compared in UTC, not in the offset they were written in.
    ["2026-03-01T07:30:00+08:00", "2026-03-01T08:30:00+08:00", 2], // Beijing: same day; UTC: Feb 28 -> Mar 1
    ["2026-02-28T20:00:00-05:00", "2026-03-01T02:00:00Z", 1], // = 2026-03-01T01:00Z, same UTC day
    ["2026-03-01T23:30:00+14:00", "2026-02-28T23:59:00-10:00", 1], // both 2026-03-01 UTC (09:30Z and 09:59Z)
  ])("created %s, now %s: days-old %i", (creationDate, now, daysOld) => {
    // retainAfterCopyDays 1 and no current retention: the result is days-old + 1 exactly.
    expect(newRetention({ creationDate, now, retainAfterCopyDays: 1, lifecycle: {} })).toBe(Math.max(daysOld, 1) + 1);
  });

  it("does not depend on the process time zone (each zone in its own Node process)", () => {
    // Jest's process.env is not the real one, so each zone runs the rule in a child process.
    const script = `
      require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs" } });
      const { computeRetentionAfterCopy } = require(${JSON.stringify(require.resolve("../../../functions/backup-events/retention"))});
      const d = computeRetentionAfterCopy({
        creationDate: new Date("2024-02-29T23:30:00Z"),
        now: new Date("2024-03-01T00:30:00Z"),
        retainAfterCopyDays: 1,
        lifecycle: {},
      });
      process.stdout.write(JSON.stringify({ localDay: new Date("2024-02-29T23:30:00Z").getDate(), deleteAfterDays: d.deleteAfterDays }));
    `;
    const results = ["UTC", "Asia/Shanghai", "America/Los_Angeles", "Pacific/Kiritimati", "Pacific/Pago_Pago"].map((tz) =>
      JSON.parse(execFileSync(process.execPath, ["-e", script], { env: { ...process.env, TZ: tz }, encoding: "utf8" })),
    );
    // The zones really differ: the creation instant falls on Feb 29 or Mar 1 locally...
    expect(results.map((r) => r.localDay)).toEqual([29, 1, 29, 1, 29]);
    // ...and the rule, counting UTC days, gives the same answer in each.
    expect(results.map((r) => r.deleteAfterDays)).toEqual([3, 3, 3, 3, 3]);
  });

  it("utcDayNumber counts whole days since the epoch and rejects bad dates", () => {
    expect(utcDayNumber("1970-01-01T23:59:59.999Z", "x")).toBe(0);
    expect(utcDayNumber("1970-01-02T00:00:00Z", "x")).toBe(1);
    expect(utcDayNumber("1969-12-31T23:59:59Z", "x")).toBe(-1);
    expect(() => utcDayNumber("not a date", "creationDate")).toThrow(/creationDate is not a valid date: not a date/);
    expect(() => utcDayNumber(new Date(NaN), "now")).toThrow(/now is not a valid date/);
  });
});

describe("minima and margin", () => {
  it("takes retainAfterCopyDays + 1 when it is the largest minimum", () => {
    // days-old 2, retainAfterCopyDays 7 -> 8
    const d = decide({});
    expect(d).toEqual({
      change: true,
      lifecycle: { DeleteAfterDays: 8 },
      deleteAfterDays: 8,
      cancelledColdMove: false,
      minima: [2, 1, 7],
    });
  });

  it("takes days-old + 1 when the point is older than retainAfterCopyDays", () => {
    expect(newRetention({ creationDate: "2025-12-01T08:00:00Z", now: "2026-03-01T08:00:00Z", lifecycle: { DeleteAfterDays: 365 } })).toBe(92);
  });

  it("never goes below 2 days (minimum 1 + margin), even with a clock behind the creation date", () => {
    const d = decide({ creationDate: "2026-03-01T00:00:05Z", now: "2026-02-28T23:59:59Z", retainAfterCopyDays: 1 });
    expect(d).toMatchObject({ change: true, deleteAfterDays: 2, minima: [0, 1, 1] });
  });

  it.each([
    [30, 35, 31],
    [33, 35, 34],
  ])("retainAfterCopyDays %i with current %i shortens to %i", (n, current, expected) => {
    expect(newRetention({ retainAfterCopyDays: n, lifecycle: { DeleteAfterDays: current } })).toBe(expected);
  });
});

describe("never extends a retention", () => {
  it.each([
    [34, 35], // result 35 = current: not shorter
    [40, 35], // result 41 > current
  ])("retainAfterCopyDays %i against DeleteAfterDays %i: no change", (n, current) => {
    const d = decide({ retainAfterCopyDays: n, lifecycle: { DeleteAfterDays: current } });
    expect(d).toEqual({ change: false, reason: "not-shorter", proposedDeleteAfterDays: n + 1, currentDeleteAfterDays: current });
  });

  it("leaves a point that already expires sooner than the rule's minimum", () => {
    expect(decide({ lifecycle: { DeleteAfterDays: 5 } })).toMatchObject({ change: false, reason: "not-shorter", proposedDeleteAfterDays: 8 });
  });

  it("shortens a point kept forever (no DeleteAfterDays, or -1)", () => {
    expect(newRetention({ lifecycle: {} })).toBe(8);
    expect(newRetention({ lifecycle: undefined })).toBe(8);
    expect(newRetention({ lifecycle: { DeleteAfterDays: -1 } })).toBe(8);
  });
});

describe("cold storage", () => {
  it("adds the 90-day minimum after the move for a point already in cold storage", () => {
    const d = decide({
      creationDate: "2025-12-01T08:00:00Z",
      now: "2026-03-01T08:00:00Z",
      storageClass: "COLD",
      lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 365 },
    });
    expect(d).toEqual({
      change: true,
      lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 121 },
      deleteAfterDays: 121,
      cancelledColdMove: false,
      minima: [91, 1, 7, 120],
    });
  });

  it("uses today + 90 for a cold point whose move day is unknown", () => {
    const d = decide({ creationDate: "2025-12-01T08:00:00Z", now: "2026-03-01T08:00:00Z", storageClass: "COLD", lifecycle: { DeleteAfterDays: 365 } });
    expect(d).toMatchObject({ change: true, deleteAfterDays: 182, minima: [91, 1, 7, 181] });
  });

  it("cancels a cold move that is more than a day away", () => {
    // created Feb 27, move after 3 days = Mar 2; today Feb 28 (days-old 2 < 3)
    const d = decide({
      creationDate: "2026-02-27T10:00:00Z",
      now: "2026-02-28T23:00:00Z",
      lifecycle: { MoveToColdStorageAfterDays: 3, DeleteAfterDays: 365, OptInToArchiveForSupportedResources: true },
    });
    expect(d).toEqual({
      change: true,
      lifecycle: { MoveToColdStorageAfterDays: -1, OptInToArchiveForSupportedResources: false, DeleteAfterDays: 8 },
      deleteAfterDays: 8,
      cancelledColdMove: true,
      minima: [2, 1, 7],
    });
  });

  it("keeps a cold move due within the day and respects its 90-day minimum", () => {
    // One hour later it is Mar 1: days-old 3, the move (day 3) is due: 3 + 90 + 1
    const d = decide({
      creationDate: "2026-02-27T10:00:00Z",
      now: "2026-03-01T00:30:00Z",
      lifecycle: { MoveToColdStorageAfterDays: 3, DeleteAfterDays: 365 },
    });
    expect(d).toEqual({
      change: true,
      lifecycle: { MoveToColdStorageAfterDays: 3, DeleteAfterDays: 94 },
      deleteAfterDays: 94,
      cancelledColdMove: false,
      minima: [3, 1, 7, 93],
    });
  });

  it("reads the move day from CalculatedLifecycle when the lifecycle has none", () => {
    const d = decide({
      lifecycle: { DeleteAfterDays: 200 },
      calculatedLifecycle: { MoveToColdStorageAt: "2026-03-01T21:40:31.207Z", DeleteAt: "2026-09-16T21:40:31.207Z" },
    });
    expect(d).toMatchObject({ change: true, deleteAfterDays: 92, minima: [2, 1, 7, 91], cancelledColdMove: false });
  });

  it("takes the earlier of the lifecycle and calculated move days", () => {
    const d = decide({
      creationDate: "2026-01-01T00:00:00Z",
      now: "2026-01-20T00:00:00Z", // days-old 20
      lifecycle: { MoveToColdStorageAfterDays: 60, DeleteAfterDays: 365 },
      calculatedLifecycle: { MoveToColdStorageAt: "2026-01-11T00:00:00Z" }, // day 10: already due
    });
    expect(d).toMatchObject({ change: true, deleteAfterDays: 101, minima: [20, 1, 7, 100] });
  });

  it("does not cancel a pending cold move unless the retention is shortened too", () => {
    const d = decide({ lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 5 } });
    expect(d).toMatchObject({ change: false, reason: "not-shorter" });
  });

  it("keeps OptInToArchiveForSupportedResources when nothing is cancelled", () => {
    const d = decide({
      storageClass: "COLD",
      creationDate: "2025-12-01T08:00:00Z",
      now: "2026-03-01T08:00:00Z",
      lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 365, OptInToArchiveForSupportedResources: true },
    });
    expect(d).toMatchObject({ change: true, lifecycle: { MoveToColdStorageAfterDays: 30, OptInToArchiveForSupportedResources: true, DeleteAfterDays: 121 } });
  });
});

describe("deleted points and inputs", () => {
  it.each([[{ storageClass: "DELETED" }], [{ status: "DELETING" }], [{ status: "EXPIRED" }]])("does nothing for %j", (over) => {
    expect(decide(over as Partial<RetentionInput>)).toEqual({ change: false, reason: "deleted", currentDeleteAfterDays: 35 });
  });

  it.each(["COMPLETED", "PARTIAL", "AVAILABLE", undefined])("acts on status %s", (status) => {
    expect(decide({ status })).toMatchObject({ change: true, deleteAfterDays: 8 });
  });

  it("never sends DeleteAfterEvent back (it is output only)", () => {
    const d = decide({ lifecycle: { DeleteAfterDays: 35, DeleteAfterEvent: "DELETE_AFTER_COPY" } });
    expect(d).toMatchObject({ change: true });
    if (d.change) expect(Object.keys(d.lifecycle)).toEqual(["DeleteAfterDays"]);
  });

  it("rejects an invalid creation date", () => {
    expect(() => decide({ creationDate: "2026-02-30T00:00:00Z" })).toThrow(/creationDate is not a valid date/);
  });
});

describe("invariants over a grid of dates around month ends, leap days and year ends", () => {
  /** Days between two UTC calendar dates, counted by stepping the calendar (independent of the rule's arithmetic). */
  function calendarDaysBetween(a: Date, b: Date): number {
    let y = a.getUTCFullYear();
    let m = a.getUTCMonth();
    let d = a.getUTCDate();
    const target = [b.getUTCFullYear(), b.getUTCMonth(), b.getUTCDate()].join("-");
    let n = 0;
    while ([y, m, d].join("-") !== target) {
      const monthLength = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
      d += 1;
      if (d > monthLength) {
        d = 1;
        m += 1;
        if (m > 11) {
          m = 0;
          y += 1;
        }
      }
      n += 1;
      if (n > 5000) throw new Error("runaway");
    }
    return n;
  }

  const creations = [
    "2023-02-28T23:59:59Z",
    "2024-02-28T12:00:00Z",
    "2024-02-29T00:00:00Z",
    "2024-12-31T23:30:00Z",
    "2026-01-31T00:00:01Z",
    "2026-04-30T18:00:00+08:00",
    "2026-06-30T23:59:59.999Z",
  ];
  const ages = [0, 1, 2, 29, 30, 31, 90, 91, 365, 366];
  const hours = [0.01, 11, 23.99];
  const ns = [1, 7, 35];
  const currents = [undefined, -1, 3, 40, 120, 400];
  const colds = [undefined, 1, 30];
  const classes = ["WARM", "COLD"];

  it("holds for every combination", () => {
    let checked = 0;
    let changed = 0;
    const failures: string[] = [];
    const fail = (what: string, ctx: unknown) => failures.length < 20 && failures.push(`${what}: ${JSON.stringify(ctx)}`);
    for (const c of creations) {
      const created = new Date(c);
      for (const age of ages) {
        for (const h of hours) {
          const now = new Date(Date.UTC(created.getUTCFullYear(), created.getUTCMonth(), created.getUTCDate() + age) + h * 3_600_000);
          const daysOld = calendarDaysBetween(created, now) + 1;
          expect(daysOld).toBe(age + 1);
          for (const n of ns)
            for (const current of currents)
              for (const cold of colds)
                for (const storageClass of classes) {
                  const ctx = { c, now, n, current, cold, storageClass };
                  const d = computeRetentionAfterCopy({
                    creationDate: created,
                    now,
                    retainAfterCopyDays: n,
                    storageClass,
                    lifecycle: { DeleteAfterDays: current, MoveToColdStorageAfterDays: cold },
                  });
                  checked++;
                  const coldKept = storageClass === "COLD" || (cold !== undefined && daysOld >= cold);
                  const coldFloor = storageClass === "COLD" ? (cold ?? daysOld) + 90 : cold !== undefined && coldKept ? cold + 90 : 0;
                  const expected = Math.max(daysOld, 1, n, coldFloor) + 1;
                  if (current !== undefined && current >= 0 && expected >= current) {
                    if (d.change || d.reason !== "not-shorter" || d.proposedDeleteAfterDays !== expected) fail("expected no change", { ctx, d });
                    continue;
                  }
                  changed++;
                  if (!d.change) {
                    fail("expected a change", { ctx, d });
                    continue;
                  }
                  if (d.deleteAfterDays !== expected) fail(`expected ${expected}`, { ctx, d });
                  // never extends
                  if (current !== undefined && current >= 0 && !(d.deleteAfterDays < current)) fail("extended", { ctx, d });
                  // the deletion day is at least the day after tomorrow (a full day of margin)
                  const deletionDay = utcDayNumber(created, "c") + d.deleteAfterDays;
                  if (deletionDay < utcDayNumber(now, "n") + 2) fail("no margin", { ctx, d });
                  // the original survives retainAfterCopyDays plus the margin
                  if (d.deleteAfterDays < n + 1) fail("below retainAfterCopyDays", { ctx, d });
                  // cold storage: kept 90 days after the move, or the move is cancelled and was more than a day away
                  if (coldKept && cold !== undefined) {
                    if (d.deleteAfterDays < cold + 91 || d.lifecycle.MoveToColdStorageAfterDays !== cold) fail("cold minimum", { ctx, d });
                  }
                  if (d.cancelledColdMove) {
                    if (storageClass !== "WARM" || cold! - daysOld < 1 || d.lifecycle.MoveToColdStorageAfterDays !== -1) fail("bad cancel", { ctx, d });
                  } else if (cold !== undefined && !coldKept) fail("should have cancelled", { ctx, d });
                }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBe(creations.length * ages.length * hours.length * ns.length * currents.length * colds.length * classes.length);
    expect(changed).toBeGreaterThan(checked / 4);
  });
});
