import { rdsNotPubliclyAccessible } from "../../../policy-pack/rds/instance-not-publicly-accessible";
import { res, runOne } from "../helpers";

const CI = "aws:rds/clusterInstance:ClusterInstance";

describe("rds-instance-not-publicly-accessible", () => {
  it("passes private instances and reports public ones, in both modes", async () => {
    for (const preview of [false, true]) {
      expect((await runOne(rdsNotPubliclyAccessible, [res(CI, "w", { publiclyAccessible: false }), res(CI, "r", {})], { preview })).messages).toEqual([]);
      expect(
        (
          await runOne(
            rdsNotPubliclyAccessible,
            [res(CI, "w", { publiclyAccessible: true }), res("aws:rds/instance:Instance", "db", { publiclyAccessible: true })],
            { preview },
          )
        ).messages,
      ).toEqual([
        'ClusterInstance "w" is publiclyAccessible: it gets a public DNS address reachable from the internet.',
        'Instance "db" is publiclyAccessible: it gets a public DNS address reachable from the internet.',
      ]);
    }
  });
});
