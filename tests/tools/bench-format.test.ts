/** tools/bench.ts formatFigure: a goal given as an absolute difference prints the difference and (met)/(NOT met). */
import { formatFigure } from "../../tools/bench";

const figure = { name: "peak (VmHWM)", floorName: "16 MB file", unit: "MiB", goalDelta: 32, goalDeltaText: "32 MiB" };

describe("formatFigure", () => {
  test("goalDelta: met at or under the difference, NOT met over it", () => {
    expect(formatFigure({ ...figure, value: 200, floor: 170 })).toContain("30 MiB over the floor, goal within 32 MiB (met)");
    expect(formatFigure({ ...figure, value: 202, floor: 170 })).toContain("32 MiB over the floor, goal within 32 MiB (met)");
    const over = formatFigure({ ...figure, value: 202.5, floor: 170 });
    expect(over).toContain("32.50 MiB over the floor, goal within 32 MiB (NOT met)");
    expect(over).not.toContain("(met)");
  });
  test("goalRatio still prints as before", () => {
    expect(formatFigure({ ...figure, goalDelta: undefined, goalRatio: 1.5, value: 100, floor: 50 })).toContain("2.00x  goal <= 1.5x (NOT met)");
  });
});
