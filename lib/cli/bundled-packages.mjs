// The few packages the compiled CLI bundles instead of loading from node_modules at run time (build.mjs bundles
// the project's code and keeps every other package external). Plain JavaScript, as build.mjs is.
import { readFileSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import path from "node:path";

/**
 * zod and yaml are plain JavaScript spread over about 100 and 70 files: loaded as one chunk they cost a third of
 * the CPU. dockerode and docker-modem are bundled so that what Rampart never calls loads on first use (LAZY).
 */
export const BUNDLED_PACKAGES = ["dockerode", "docker-modem", "zod", "yaml"];

/** Packages whose own dependencies stay external, each loaded from where Node would load it for that package. */
const OWN_DEPENDENCIES_EXTERNAL = new Set(["dockerode", "docker-modem"]);

const lazyCall = (specifier) => `function () { return require(${specifier}).apply(this, arguments); }`;

/**
 * Top-level requires made lazy, as exact text: a package update that changes one fails the build instead of
 * loading it eagerly again. session (BuildKit's gRPC and protobuf stack), tar-fs and dockerignore serve
 * buildImage only; ssh2 serves ssh:// engines only.
 */
const LAZY = {
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
  "docker-modem/lib/modem.js": [["ssh = require('./ssh'),", `ssh = ${lazyCall("'./ssh'")},`]],
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
      throw new Error(`${file} no longer holds \`${from}\`: update LAZY in bundled-packages.mjs`);
    result = result.replace(from, to);
  }
  return result;
}

/**
 * esbuild plugin: bundles BUNDLED_PACKAGES and keeps every other package external. A dependency of dockerode or
 * docker-modem stays external under the path Node resolves for that package (dockerode has its own tar-fs), written
 * relative to the chunks in buildDir; the build's banner gives the chunks the `require` that loads it.
 */
export function bundledPackagesPlugin(root, buildDir) {
  return {
    name: "rampart-bundled-packages",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith("@/") || isBuiltin(args.path)) return undefined;
        const owner = args.importer ? bundledPackageOf(root, args.importer) : undefined;
        const name = packageName(args.path);
        if (!owner || !OWN_DEPENDENCIES_EXTERNAL.has(owner)) {
          return BUNDLED_PACKAGES.includes(name) ? undefined : { path: args.path, external: true };
        }
        const resolved = createRequire(args.importer).resolve(args.path);
        if (bundledPackageOf(root, resolved)) return { path: resolved };
        const fromChunk = path.relative(buildDir, resolved).split(path.sep).join("/");
        return { path: fromChunk.startsWith(".") ? fromChunk : `./${fromChunk}`, external: true };
      });
      build.onLoad({ filter: /\.c?js$/ }, (args) => {
        const owner = bundledPackageOf(root, args.path);
        if (!owner || !OWN_DEPENDENCIES_EXTERNAL.has(owner)) return undefined;
        const key = path.relative(path.join(root, "node_modules"), args.path).split(path.sep).join("/");
        let contents = readFileSync(args.path, "utf8");
        if (LAZY[key]) contents = rewrite(key, contents, LAZY[key]);
        // BuildKit's .proto files stay in node_modules: __dirname names the file's folder there.
        const dir = path.relative(buildDir, path.dirname(args.path)).split(path.sep).join("/");
        const dirname = `require("node:url").fileURLToPath(new URL(${JSON.stringify(dir)}, import.meta.url))`;
        return { contents: contents.replace(/\b__dirname\b/g, dirname), loader: "js" };
      });
    },
  };
}

/** The manifests of the bundled packages: reinstalling one makes the bundle stale. */
export function bundledManifests() {
  return BUNDLED_PACKAGES.map((name) => `node_modules/${name}/package.json`);
}

/** Gives bundled CommonJS code a `require` for the externals it loads (esbuild's ESM output has none). */
export const REQUIRE_BANNER =
  'import { createRequire as __rampartCreateRequire } from "node:module";\n' +
  "const require = __rampartCreateRequire(import.meta.url);";
