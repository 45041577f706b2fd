import { defineConfig } from "@playwright/test";
import { AUTH_STATE } from "./e2e/auth-setup";

// Debian's Chromium, never a downloaded browser (see ENVIRONMENT.md "Browsers").
export default defineConfig({
  testDir: "e2e",
  testMatch: "*.spec.ts",
  globalSetup: "./e2e/global-setup.ts",
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  // One retry in CI, reported as "flaky" in the output, never silent: the specs share one live fleet.
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    browserName: "chromium",
    viewport: { width: 1400, height: 900 },
    trace: "retain-on-failure",
    // Signed in as the first admin, created by global-setup through the one-time setup link.
    storageState: AUTH_STATE,
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
});
