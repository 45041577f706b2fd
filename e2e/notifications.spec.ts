import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { screenshot, url } from "./support/pages";

// The admin page of notifications against a loopback receiver: a signed webhook whose generated secret is shown
// once, a test send that arrives signed and is logged delivered, a failing Slack receiver logged with its
// status and a capped excerpt, a file: URL refused.

const skipReason = process.env.RAMPART_E2E_SKIP;
test.skip(Boolean(skipReason), skipReason ?? "");
test.describe.configure({ mode: "serial" });

const received: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
let server: Server;
let receiverUrl = "";

test.beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString() });
      if (request.url?.startsWith("/slack")) response.writeHead(500).end(`invalid_token ${"z".repeat(400)}`);
      else response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test("channels, a signed test send, a failing receiver in the delivery log, and a refused file: URL", async ({
  page,
}) => {
  await page.goto(url("/admin/notifications"));
  const channelForm = page.getByRole("form", { name: "Add a channel" });
  await channelForm.getByLabel("Name").fill("security-hook");
  await channelForm.getByLabel("URL (http or https)").fill(`${receiverUrl}/hooks/secret-path`);
  await channelForm.getByRole("button", { name: "Add channel" }).click();
  const secret = (await channelForm.getByLabel("New signing secret").textContent()) ?? "";
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

  await page.goto(url("/admin/notifications"));
  await expect(page.getByRole("row").filter({ hasText: "security-hook" })).toContainText(receiverUrl);
  await expect(page.locator("body")).not.toContainText("secret-path");
  await expect(page.locator("body")).not.toContainText(secret);

  await channelForm.getByLabel("Name").fill("team-slack");
  await channelForm.getByLabel("Kind").selectOption("slack");
  await channelForm.getByLabel("URL (http or https)").fill(`${receiverUrl}/slack/T0/B0/xyz`);
  await channelForm.getByRole("button", { name: "Add channel" }).click();
  await expect(page.getByRole("row").filter({ hasText: "team-slack" })).toBeVisible();

  await channelForm.getByLabel("Name").fill("local-file");
  await channelForm.getByLabel("Kind").selectOption("webhook");
  await channelForm.getByLabel("URL (http or https)").fill("file:///etc/passwd");
  await channelForm.getByRole("button", { name: "Add channel" }).click();
  await expect(channelForm.getByRole("alert")).toContainText("url: must be an http:// or https:// URL");

  const ruleForm = page.getByRole("form", { name: "Add a rule" });
  await ruleForm.getByLabel("Channel").selectOption({ label: "security-hook" });
  await ruleForm.getByLabel("At or above").selectOption("critical");
  await ruleForm.getByLabel("Namespace (optional)").fill("shop");
  await ruleForm.getByRole("button", { name: "Add rule" }).click();
  await expect(page.getByRole("row").filter({ hasText: "namespace shop" })).toContainText(
    "new findings, critical or above",
  );

  await page.getByRole("button", { name: "Send a test to security-hook" }).click();
  const log = page.getByRole("table", { name: "Delivery log" });
  await expect(log.getByRole("row").filter({ hasText: "security-hook" })).toContainText(/delivered.*HTTP 204/);
  const hook = received.find((request) => request.path === "/hooks/secret-path");
  if (!hook) throw new Error("the receiver saw no webhook");
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const signed = `${hook.headers["webhook-id"]}.${hook.headers["webhook-timestamp"]}.${hook.body}`;
  expect(hook.headers["webhook-signature"]).toBe(`v1,${createHmac("sha256", key).update(signed).digest("base64")}`);
  expect(JSON.parse(hook.body)).toMatchObject({ type: "test", data: { channel: "security-hook" } });

  await page.getByRole("button", { name: "Send a test to team-slack" }).click();
  const failed = log.getByRole("row").filter({ hasText: "team-slack" });
  await expect(failed).toContainText(/failed.*HTTP 500/);
  await expect(failed).toContainText("invalid_token zzz");
  expect((await failed.textContent())?.match(/z+/)?.[0].length).toBeLessThan(200);

  await page.setViewportSize({ width: 1366, height: 900 });
  await screenshot(page, "notifications-1366");
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, "notifications-390");
});
