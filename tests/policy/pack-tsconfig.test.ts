/**
 * policy-pack/tsconfig.json's "ts-node" section compiles each file alone (noCheck, isolatedModules,
 * noLib, noResolve: the options TypeScript's transpileModule forces), so that Pulumi's policy host, which registers
 * ts-node with `typeCheck: true` (@pulumi/pulumi cmd/run-policy-pack/run.js), does not build a
 * program over every declaration the pack reaches. This checks that those options change no byte
 * of what the host runs: every pack file, compiled as the host compiles it, against the same
 * compile without that section (the whole program resolved, as before).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tsnode from "ts-node";
import { PACK_DIR, TRANSPILE_OPTIONS, copyPack, packFiles, packTsconfig, wholeProgram } from "../../tools/pack-tsconfig";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { loadTypeScriptCompilerOptions } = require("@pulumi/pulumi/tsutils");

/**
 * ts-node as run-policy-pack/run.js registers it, from `dir`'s tsconfig.json: type checking on,
 * nodenext for TypeScript 4.7 and later, then the tsconfig's top-level compilerOptions over that.
 */
function hostService(dir: string): tsnode.Service {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    return tsnode.create({
      typeCheck: true,
      compiler: "typescript",
      compilerOptions: {
        target: "ES2020",
        module: "nodenext",
        moduleResolution: "nodenext",
        sourceMap: "true",
        ...loadTypeScriptCompilerOptions("tsconfig.json"),
      },
    });
  } finally {
    process.chdir(cwd);
  }
}

const compileAll = (service: tsnode.Service, files: string[]) =>
  files.map((f) => service.compile(fs.readFileSync(f, "utf8"), f).replace(/\n\/\/# sourceMappingURL=.*$/, ""));

test("the pack's tsconfig sets the transpile options, and with them the host compiles every pack file to the same JavaScript", () => {
  const tsconfig = packTsconfig();
  for (const o of TRANSPILE_OPTIONS) expect([o, tsconfig["ts-node"].compilerOptions[o]]).toEqual([o, true]);
  expect(tsconfig["ts-node"].files).toBe(true);

  // The same pack, its tsconfig without the section: TypeScript resolves the whole program.
  const wholeProgramDir = fs.mkdtempSync(path.join(os.tmpdir(), "cn-log-backup-pack-"));
  try {
    copyPack(wholeProgramDir, wholeProgram(tsconfig));

    const files = packFiles(PACK_DIR);
    expect(files.length).toBeGreaterThan(50);
    const asHost = compileAll(hostService(PACK_DIR), files);
    const asBefore = compileAll(
      hostService(wholeProgramDir),
      files.map((f) => path.join(wholeProgramDir, path.relative(PACK_DIR, f))),
    );
    const differing = files.filter((_, i) => asHost[i] !== asBefore[i]).map((f) => path.relative(PACK_DIR, f));
    expect(differing).toEqual([]);
    expect(asHost.every((js) => js.includes("use strict"))).toBe(true);
  } finally {
    fs.rmSync(wholeProgramDir, { recursive: true, force: true });
  }
}, 120_000);

test('the pack pins the ts-node (10, which reads the "ts-node" section) and TypeScript the project runs it with', () => {
  const read = (p: string) => JSON.parse(fs.readFileSync(p, "utf8"));
  const root = read(path.join(PACK_DIR, "..", "package.json")).devDependencies;
  const pack = read(path.join(PACK_DIR, "package.json")).devDependencies;
  expect({ "ts-node": pack["ts-node"], typescript: pack.typescript }).toEqual({ "ts-node": root["ts-node"], typescript: root.typescript });
  expect(pack["ts-node"]).toMatch(/^10\./);
});
