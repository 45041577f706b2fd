import { mkdirSync } from "node:fs";
import type { Page } from "@playwright/test";

/** An address on the `rampart serve` that global-setup started. */
export function url(pathname: string): string {
  const base = process.env.RAMPART_E2E_BASE_URL;
  if (!base) throw new Error("RAMPART_E2E_BASE_URL is not set: global-setup did not start rampart serve");
  return new URL(pathname, base).toString();
}

/** A full-page screenshot in `screenshots/`, for people to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync("screenshots", { recursive: true });
  await page.screenshot({ path: `screenshots/${name}.png`, fullPage: true });
}
