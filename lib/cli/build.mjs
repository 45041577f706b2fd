// Compiles the rampart command (lib/cli/main.ts and everything it imports from the project) into one ESM bundle
// split per command, for production runs without tsx. Packages stay external but for a few (bundled-packages.mjs).
// Plain JavaScript, so bin.mjs can run it before anything is compiled. `node lib/cli/build.mjs [--out DIR]`; bin.mjs calls buildCli().
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const DEFAULT_OUT = path.join(ROOT, "dist", "cli");
const ENTRY = path.join(ROOT, "lib", "cli", "main.ts");
/** Files that shape the bundle besides its inputs: a change to one of them also makes it stale. */
const BUILD_FILES = ["lib/cli/build.mjs", "lib/cli/bundled-packages.mjs", "tsconfig.json", "package.json"];
const STAMP = "stamp.json";

/**
 * Bundled code still resolves `new URL(…, import.meta.url)` from its source file (migrations, package.json, the
 * Next app, Prisma's generated client): each source's `import.meta.url` becomes its own URL, relative to the chunk.
 */
function sourceUrlPlugin(outDir) {
  return {
    name: "rampart-source-url",
    setup(build) {
      build.onLoad({ filter: /\.tsx?$/ }, (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const contents = readFileSync(args.path, "utf8");
        const loader = args.path.endsWith(".tsx") ? "tsx" : "ts";
        if (/\bimport\.meta\.(dirname|filename)\b/.test(contents)) {
          const file = path.relative(ROOT, args.path);
          return { errors: [{ text: `${file}: use new URL(…, import.meta.url), which the compiled CLI keeps exact` }] };
        }
        if (!contents.includes("import.meta.url")) return { contents, loader };
        const relative = path.relative(outDir, args.path).split(path.sep).join("/");
        const expression = `new URL(${JSON.stringify(relative)}, import.meta.url).href`;
        return { contents: contents.replace(/\bimport\.meta\.url\b/g, expression), loader };
      });
    },
  };
}

const WASM_IMPORT =
  /const \{ wasm \} = await import\("(@prisma\/client\/runtime\/([\w.-]+)\.wasm-base64\.mjs)"\)\s*return await decodeBase64AsWasm\(wasm\)/;

/**
 * Prisma's generated client loads its query compiler from a module holding the WebAssembly as base64 text, which
 * stays in memory twice for the life of the process (the module's source and its string: 9 MB of live heap, more at
 * the heap's peak). The bundle reads the bytes from a file written beside it instead; another shape of the generated
 * client is bundled as it is (compiled.test.ts notices).
 */
function wasmFilePlugin(outDir) {
  return {
    name: "rampart-wasm-file",
    setup(build) {
      build.onLoad({ filter: /[\\/]lib[\\/]db[\\/]generated[\\/]internal[\\/]class\.ts$/ }, async (args) => {
        const contents = readFileSync(args.path, "utf8");
        const match = WASM_IMPORT.exec(contents);
        if (!match) return undefined;
        const [, specifier, name] = match;
        const { wasm } = await import(specifier);
        writeFileSync(path.join(outDir, `${name}.wasm`), Buffer.from(wasm, "base64"));
        const load = `const { readFile } = await import("node:fs/promises")
    return new WebAssembly.Module(await readFile(new URL(${JSON.stringify(`./${name}.wasm`)}, import.meta.url)))`;
        return { contents: contents.replace(WASM_IMPORT, load), loader: "ts" };
      });
    },
  };
}

/** Reads the stamp of the last build in outDir, or undefined. */
export function readStamp(outDir = DEFAULT_OUT) {
  try {
    return JSON.parse(readFileSync(path.join(outDir, STAMP), "utf8"));
  } catch {
    return undefined;
  }
}

/** The entry module of a fresh build in outDir, or undefined when there is none or a source changed since. */
export function freshEntry(outDir = DEFAULT_OUT) {
  const stamp = readStamp(outDir);
  if (!stamp || !Array.isArray(stamp.inputs)) return undefined;
  for (const input of stamp.inputs) {
    try {
      if (statSync(path.join(ROOT, input)).mtimeMs > stamp.startedAt) return undefined;
    } catch {
      return undefined;
    }
  }
  return path.join(outDir, stamp.build, "main.mjs");
}

/** Keeps the newest builds (a running process may still load chunks of the previous one). */
function removeOldBuilds(outDir, keep) {
  for (const entry of readdirSync(outDir, { withFileTypes: true })) {
    if (entry.isDirectory() && !keep.includes(entry.name)) {
      rmSync(path.join(outDir, entry.name), { recursive: true, force: true });
    }
  }
}

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

function lockHolder(lock) {
  try {
    return Number(readFileSync(lock, "utf8").trim()) || 0;
  } catch {
    return 0;
  }
}

/** One build at a time per outDir (workers started together all find the bundle stale); a dead holder's lock is taken over. */
async function withBuildLock(outDir, build) {
  mkdirSync(outDir, { recursive: true });
  const lock = path.join(outDir, "build.lock");
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const fd = openSync(lock, "wx");
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      const holder = lockHolder(lock);
      if (holder > 0 && !isRunning(holder)) rmSync(lock, { force: true });
      else if (Date.now() > deadline) throw new Error(`${lock} is held by process ${holder}`);
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await build();
  } finally {
    rmSync(lock, { force: true });
  }
}

/**
 * Builds into a new folder of outDir, then points the stamp at it; resolves with the entry module's path. With
 * `ifStale`, a build that another process finished while this one waited for the lock is used as it is.
 */
export function buildCli(outDir = DEFAULT_OUT, { ifStale = false } = {}) {
  return withBuildLock(outDir, async () => (ifStale && freshEntry(outDir)) || compile(outDir));
}

async function compile(outDir) {
  if (path.relative(ROOT, outDir).startsWith("..")) {
    throw new Error(`${outDir} is outside ${ROOT}: the compiled CLI finds its packages in the project's node_modules`);
  }
  // Loaded here, not at the top: bin.mjs imports this file on every run for freshEntry.
  const [esbuild, { bundledManifests, bundledPackagesPlugin, REQUIRE_BANNER }] = await Promise.all([
    import("esbuild"),
    import("./bundled-packages.mjs"),
  ]);
  const startedAt = Date.now();
  const previous = readStamp(outDir)?.build;
  const build = `${startedAt.toString(36)}-${process.pid}`;
  const buildDir = path.join(outDir, build);
  mkdirSync(buildDir, { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    outdir: buildDir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20.19",
    outExtension: { ".js": ".mjs" },
    entryNames: "[name]",
    chunkNames: "[name]-[hash]",
    tsconfig: path.join(ROOT, "tsconfig.json"),
    metafile: true,
    logLevel: "silent",
    banner: { js: REQUIRE_BANNER },
    plugins: [wasmFilePlugin(buildDir), bundledPackagesPlugin(ROOT, buildDir), sourceUrlPlugin(buildDir)],
  });
  const all = Object.keys(result.metafile.inputs);
  const inputs = [...all.filter((f) => !f.startsWith("node_modules")), ...BUILD_FILES, ...bundledManifests(ROOT, all)];
  const stampFile = path.join(outDir, STAMP);
  writeFileSync(`${stampFile}.${process.pid}`, JSON.stringify({ build, startedAt, inputs }) + "\n");
  renameSync(`${stampFile}.${process.pid}`, stampFile);
  removeOldBuilds(outDir, [build, previous].filter(Boolean));
  return path.join(buildDir, "main.mjs");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const outIndex = process.argv.indexOf("--out");
  const outDir = outIndex > 0 ? path.resolve(process.argv[outIndex + 1] ?? "") : DEFAULT_OUT;
  const started = Date.now();
  const entry = await buildCli(outDir);
  console.log(`rampart: compiled the CLI to ${path.relative(process.cwd(), entry)} in ${Date.now() - started} ms`);
}
