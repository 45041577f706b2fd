import { mkdirSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { chromium } from "@playwright/test";
import { startLocalProvider, type LocalProvider } from "../lib/auth/oidc-provider.testing";

// The first admin of the e2e server, created through the one-time setup link that `rampart serve` prints,
// the way a user does it; every spec then starts signed in as this admin (playwright.config's storageState).

export const AUTH_STATE = path.resolve(import.meta.dirname, "..", "test-results", ".auth", "admin.json");
export const E2E_ADMIN = { email: "admin@rampart.test", password: "e2e admin password 1" } as const;
const SETUP_LINK = /create the first admin at (\S+\/setup\?token=\S+)/;
// serve builds the dashboard first when no build exists, which can take a few minutes on a busy machine.
const LINK_TIMEOUT_MS = 300_000;

export function writeSignedOutState(): void {
  mkdirSync(path.dirname(AUTH_STATE), { recursive: true });
  writeFileSync(AUTH_STATE, JSON.stringify({ cookies: [], origins: [] }));
}

export async function waitForSetupLink(log: string): Promise<string> {
  const deadline = Date.now() + LINK_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const match = SETUP_LINK.exec(await readFile(log, "utf8").catch(() => ""));
    if (match?.[1]) return match[1];
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`rampart serve printed no setup link within ${LINK_TIMEOUT_MS / 1000} s (see lib/services/setup)`);
}

/** Fills the setup form in Chromium and saves the signed-in state; returns the session's Cookie header. */
export async function createFirstAdmin(link: string): Promise<string> {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(link);
    await page.getByLabel("Email").fill(E2E_ADMIN.email);
    await page.getByLabel("Name").fill("E2E Admin");
    await page.getByLabel(/^Password/).fill(E2E_ADMIN.password);
    await page.getByRole("button", { name: "Create admin" }).click();
    await page.waitForURL(/\/admin\/users$/);
    mkdirSync(path.dirname(AUTH_STATE), { recursive: true });
    await context.storageState({ path: AUTH_STATE });
    const cookies = await context.cookies();
    return cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
  } finally {
    await browser.close();
  }
}

/** The single sign-on user of the e2e provider: in a group that maps to `security`. */
export const E2E_SSO_ACCOUNT = { sub: "sso-user", email: "sso-user@idp.test", emailVerified: true, groups: ["secops"] };
const SSO_CLIENT = { clientId: "rampart-e2e", clientSecret: "e2e-oidc-client-secret" };

/** A real OpenID provider (oidc-provider) for `rampart serve`'s single sign-on, on a loopback port. */
export async function startSsoProvider(baseUrl: string): Promise<LocalProvider> {
  const provider = await startLocalProvider([SSO_CLIENT], `${baseUrl}/api/auth/oidc/callback`);
  provider.account = E2E_SSO_ACCOUNT;
  return provider;
}

export function ssoEnv(provider: LocalProvider): Record<string, string> {
  return {
    RAMPART_OIDC_ISSUER: provider.issuer,
    RAMPART_OIDC_CLIENT_ID: SSO_CLIENT.clientId,
    RAMPART_OIDC_CLIENT_SECRET: SSO_CLIENT.clientSecret,
    RAMPART_OIDC_SCOPES: "openid email profile groups",
    RAMPART_OIDC_GROUP_ROLES: "secops=security,platform=admin",
  };
}
