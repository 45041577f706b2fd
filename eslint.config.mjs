import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

// Boundaries from DESIGN.md "Folders". A file gets one no-restricted-imports setting (the last match wins),
// so each folder's rule repeats the generated-client ban.
const GENERATED_CLIENT = {
  group: ["@/lib/db/generated", "@/lib/db/generated/**", "**/generated/*", "**/generated/**"],
  message: "Only lib/db imports the generated Prisma client; use getDb() from @/lib/db.",
};

const group = (names, message, extra = {}) => ({
  group: names.flatMap((name) => [name, `${name}/**`]),
  message,
  ...extra,
});

const FOR_COMPONENTS = [
  group(
    ["@/lib/db", "@/lib/services", "@/lib/collectors"],
    "Components take DTO props; pages load data and pass it in.",
  ),
  group(["@/lib/data"], "Components may import read-model types only; pages call lib/data.", {
    allowTypeImports: true,
  }),
  GENERATED_CLIENT,
];

const FOR_PURE = [
  group(
    ["react", "react-dom", "next", "pg", "@prisma", "dockerode", "@kubernetes"],
    "Pure evaluation code does no I/O and knows no UI.",
  ),
  group(
    ["node:fs", "fs", "node:net", "net", "node:http", "http", "node:https", "https", "node:http2", "http2"],
    "Pure evaluation code does no I/O.",
  ),
  group(["@/lib/db", "@/lib/services"], "Pure evaluation code does not touch the database."),
  GENERATED_CLIENT,
];

const FOR_COLLECTORS = [
  group(["react", "react-dom", "next", "@/components", "@/app"], "Collectors never render."),
  GENERATED_CLIENT,
];

const restrict = (patterns) => ({ "no-restricted-imports": ["error", { patterns }] });

const config = [
  {
    ignores: [
      "lib/db/generated/**",
      ".next/**",
      "dist/**",
      "data/**",
      "node_modules/**",
      ".tmp/**",
      "test-results/**",
      "playwright-report/**",
      "screenshots/**",
      "next-env.d.ts",
    ],
  },
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  { files: ["**/*.{ts,tsx,mts,mjs,js}"], ignores: ["lib/db/**"], rules: restrict([GENERATED_CLIENT]) },
  { files: ["components/**"], rules: restrict(FOR_COMPONENTS) },
  {
    files: ["lib/{domain,checks,pss,evaluate,scoring,remediation}/**"],
    ignores: ["**/*.test.ts", "**/testing/**"],
    rules: restrict(FOR_PURE),
  },
  { files: ["lib/collectors/**"], rules: restrict(FOR_COLLECTORS) },
];

export default config;
