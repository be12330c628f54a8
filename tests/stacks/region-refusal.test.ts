/**
 * A non-China `aws:region` is refused with the key and what is allowed, by the program under the
 * harness and by `npm run plan`, as a new user would meet it: `aws:region: us-east-1` written into
 * Pulumi.cn-northwest-1.yaml (it once crashed with "Maximum call stack size exceeded").
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT, runStack } from "../../tools/harness";
import { main } from "../../tools/plan";
import { AwsCnMocks } from "../../tools/mocks";

const REFUSAL = 'aws:region: "us-east-1" is not allowed; expected one of cn-north-1, cn-northwest-1';

let dir: string;
/** A copy of a stack file with its `aws:region` line changed, as a user would edit it. */
function editedStackFile(stack: string, region: string): string {
  const text = fs.readFileSync(path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`), "utf8");
  const edited = text.replace(/^(\s*aws:region:\s*).*$/m, `$1${region}`);
  expect(edited).not.toBe(text);
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  fs.writeFileSync(file, edited);
  return file;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cn-log-backup-region-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("a non-China aws:region is refused, naming the key and what is allowed", () => {
  test("the backup stack's file with us-east-1: the program refuses (no recursion)", async () => {
    await expect(runStack("cn-northwest-1", { configFile: editedStackFile("cn-northwest-1", "us-east-1") })).rejects.toThrow(REFUSAL);
  });

  test("the primary stack's file with us-east-1: the program refuses", async () => {
    await expect(runStack("cn-north-1", { configFile: editedStackFile("cn-north-1", "us-east-1") })).rejects.toThrow(REFUSAL);
  });

  test("npm run plan refuses the edited backup stack file with the same message", async () => {
    const errors: string[] = [];
    const spy = jest.spyOn(console, "log").mockImplementation(() => undefined);
    let thrown: unknown;
    try {
      await main(["--stack", "cn-northwest-1", "--config-file", editedStackFile("cn-northwest-1", "us-east-1")]);
    } catch (e) {
      thrown = e;
    } finally {
      spy.mockRestore();
    }
    expect(thrown).toBeInstanceOf(Error);
    errors.push((thrown as Error).message);
    expect(errors[0]).toContain(REFUSAL);
    expect(errors[0]).toContain("Fix these in Pulumi.cn-northwest-1.yaml");
    expect(errors[0]).not.toMatch(/call stack/);
  });

  test("--config-file needs one --stack", async () => {
    await expect(main(["--config-file", "x.yaml"])).rejects.toThrow("--config-file needs --stack");
  });

  test("the mocks answer only for the aws-cn regions", () => {
    const mocks = new AwsCnMocks({ region: "us-east-1" });
    expect(() => mocks.call({ token: "aws:index/getPartition:getPartition", inputs: {} } as any)).toThrow('region "us-east-1" is not in aws-cn');
  });
});
