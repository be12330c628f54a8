/**
 * infra/aurora-lab/parameters.ts: the address plan.
 */
import { quarterCidr } from "../../../infra/aurora-lab";

describe("AuroraLab helpers", () => {
  test("quarterCidr splits on the right boundaries", () => {
    expect(quarterCidr("10.42.0.0/16")).toEqual(["10.42.0.0/18", "10.42.64.0/18", "10.42.128.0/18", "10.42.192.0/18"]);
    expect(quarterCidr("192.168.4.0/24")).toEqual(["192.168.4.0/26", "192.168.4.64/26", "192.168.4.128/26", "192.168.4.192/26"]);
  });
});
