/**
 * Pulumi entry point (Pulumi.yaml `main`). Pulumi calls the exported function and publishes what it
 * returns as the stack outputs. The program itself lives in `program.ts`, so the offline harness
 * can run it for either stack in one process.
 */
import { program } from "./program";

export = program;
