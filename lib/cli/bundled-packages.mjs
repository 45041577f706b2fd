// The few packages the compiled CLI bundles instead of loading from node_modules at run time (build.mjs bundles
// the project's code and keeps every other package external). Plain JavaScript, as build.mjs is.
import { readFileSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import path from "node:path";

/**
 * zod and yaml are plain JavaScript spread over about 100 and 70 files, as are docker-modem's dependencies: loaded
 * as chunks they cost a third of the CPU. dockerode and docker-modem are bundled so that what Rampart never calls
 * loads on first use (REWRITES).
 */
export const BUNDLED_PACKAGES = [
  "dockerode",
  "docker-modem",
  "debug",
  "ms",
  "supports-color",
  "has-flag",
  "readable-stream",
  "inherits",
  "util-deprecate",
  "string_decoder",
  "safe-buffer",
  "split-ca",
  "zod",
  "yaml",
];

const lazyCall = (specifier) => `function () { return require(${specifier}).apply(this, arguments); }`;

/**
 * Work done for what Rampart never uses, skipped, as exact text: a package update that changes one fails the build
 * instead of doing it again. Top-level requires made lazy: session (BuildKit's gRPC and protobuf stack), tar-fs and
 * dockerignore serve buildImage only, ssh2 ssh:// engines only. docker-modem formats every request's options
 * (agent and sockets included) for its debug log even when the log is off (it is on with DEBUG=modem).
 */
const REWRITES = {
  "dockerode/lib/docker.js": [["withSession = require('./session'),", `withSession = ${lazyCall("'./session'")},`]],
  "dockerode/lib/util.js": [
    [
      "var DockerIgnore = require('@balena/dockerignore');",
      `var DockerIgnore = ${lazyCall("'@balena/dockerignore'")};`,
    ],
    [
      "var tar = require('tar-fs');",
      "var tar = { pack: function () { return require('tar-fs').pack.apply(this, arguments); } };",
    ],
  ],
  "docker-modem/lib/modem.js": [
    ["ssh = require('./ssh'),", `ssh = ${lazyCall("'./ssh'")},`],
    ["debug('Sending: %s', util.inspect(", "if (debug.enabled) debug('Sending: %s', util.inspect("],
  ],
};

function packageName(specifier) {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** The bundled package a file belongs to (its own files, not its nested node_modules), or undefined. */
function bundledPackageOf(root, file) {
  const relative = path.relative(path.join(root, "node_modules"), file).split(path.sep);
  if (relative[0] === ".." || relative.includes("node_modules")) return undefined;
  const name = relative[0]?.startsWith("@") ? relative.slice(0, 2).join("/") : relative[0];
  return BUNDLED_PACKAGES.includes(name) ? name : undefined;
}

function rewrite(file, contents, replacements) {
  let result = contents;
  for (const [from, to] of replacements) {
    if (!result.includes(from))
      throw new Error(`${file} no longer holds \`${from}\`: update REWRITES in bundled-packages.mjs`);
    result = result.replace(from, to);
  }
  return result;
}

/**
 * esbuild plugin: bundles BUNDLED_PACKAGES and keeps every other package external. What a bundled package requires
 * is resolved as Node resolves it for that package (dockerode has its own tar-fs): bundled when it is one of
 * BUNDLED_PACKAGES at the top of node_modules, else external under its path relative to the chunks in buildDir
 * (the build's banner gives the chunks the `require` that loads it).
 */
export function bundledPackagesPlugin(root, buildDir) {
  return {
    name: "rampart-bundled-packages",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith("@/") || isBuiltin(args.path)) return undefined;
        const owner = args.importer ? bundledPackageOf(root, args.importer) : undefined;
        if (!owner)
          return BUNDLED_PACKAGES.includes(packageName(args.path)) ? undefined : { path: args.path, external: true };
        const resolved = createRequire(args.importer).resolve(args.path);
        if (bundledPackageOf(root, resolved)) return { path: resolved };
        const fromChunk = path.relative(buildDir, resolved).split(path.sep).join("/");
        return { path: fromChunk.startsWith(".") ? fromChunk : `./${fromChunk}`, external: true };
      });
      build.onLoad({ filter: /\.c?js$/ }, (args) => {
        if (!bundledPackageOf(root, args.path)) return undefined;
        const key = path.relative(path.join(root, "node_modules"), args.path).split(path.sep).join("/");
        let contents = readFileSync(args.path, "utf8");
        if (REWRITES[key]) contents = rewrite(key, contents, REWRITES[key]);
        // BuildKit's .proto files stay in node_modules: __dirname names the file's folder there. The chunk's URL
        // comes from the banner: import.meta in this file would make esbuild treat it as an ES module.
        const dir = path.relative(buildDir, path.dirname(args.path)).split(path.sep).join("/");
        const dirname = `require("node:url").fileURLToPath(new URL(${JSON.stringify(dir)}, ${CHUNK_URL}))`;
        return { contents: contents.replace(/\b__dirname\b/g, dirname), loader: "js" };
      });
    },
  };
}

/** The manifests of the packages bundled from these esbuild inputs: reinstalling one makes the bundle stale. */
export function bundledManifests(root, inputs) {
  const names = inputs.map((input) => bundledPackageOf(root, path.join(root, input))).filter(Boolean);
  return [...new Set(names)].sort().map((name) => `node_modules/${name}/package.json`);
}

const CHUNK_URL = "__rampartChunkUrl";

/**
 * Gives bundled CommonJS code a `require` for the externals it loads (esbuild's ESM output has none), and the URL
 * of the chunk it runs in.
 */
export const REQUIRE_BANNER =
  'import { createRequire as __rampartCreateRequire } from "node:module";\n' +
  `const ${CHUNK_URL} = import.meta.url;\n` +
  `const require = __rampartCreateRequire(${CHUNK_URL});`;
