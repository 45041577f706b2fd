// Preloaded by tests with `node --import`: when the process exits, writes the CommonJS modules it loaded (every
// file in require.cache, which ESM imports of CommonJS packages fill too) one a line to the file named by
// RAMPART_TEST_LOADED_MODULES, after a first line saying the list was recorded.
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const { cache } = createRequire(import.meta.url);

process.on("exit", () => {
  const file = process.env.RAMPART_TEST_LOADED_MODULES;
  if (file) writeFileSync(file, ["# CommonJS modules loaded", ...Object.keys(cache)].join("\n") + "\n");
});
