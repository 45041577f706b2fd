#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, with the project's tsconfig (for the `@/` alias) whatever the cwd.
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../../tsconfig.json", import.meta.url)) });
const { main } = await import("./main.ts");
process.exitCode = await main(process.argv.slice(2));
