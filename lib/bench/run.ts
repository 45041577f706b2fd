// `npm run bench -- <name> [options]`: each benchmark is lib/bench/<name>.ts exporting run(argv).
import { readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const DIR = fileURLToPath(new URL("./", import.meta.url));
const NAME = /^[a-z][a-z0-9-]*$/;

async function listBenchmarks(): Promise<string[]> {
  const files = await readdir(DIR);
  return files
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts") && file !== "run.ts")
    .map((file) => file.slice(0, -".ts".length))
    .filter((name) => NAME.test(name))
    .sort();
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const available = await listBenchmarks();
  if (name === undefined || !available.includes(name)) {
    process.stderr.write(`Usage: npm run bench -- <${available.join("|")}> [options]\n`);
    return 2;
  }
  const bench = (await import(`./${name}.ts`)) as { run(argv: string[]): Promise<number> };
  return bench.run(rest);
}

process.exitCode = await main(process.argv.slice(2));
