import { z } from "zod";
import { decryptCredentials, encryptCredentials } from "@/lib/auth/credentials";
import type { Db } from "@/lib/db";
import type { RegistryLogin } from "@/lib/registry/auth";
import { parseDockerConfig } from "@/lib/registry/docker-config";
import { isRegistryHost } from "@/lib/registry/reference";
import type { RegistryAccess } from "@/lib/registry/transport";
import { recordAudit } from "@/lib/services/audit";

const PEM = /^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/;

export const registryCredentialInputSchema = z
  .object({
    host: z
      .string()
      .trim()
      .toLowerCase()
      .max(255)
      .refine(isRegistryHost, "Give the registry's host name, with a port if it has one (ghcr.io, 10.0.0.5:5000)"),
    insecure: z.boolean().default(false),
    ca: z
      .string()
      .trim()
      .max(65_536, "The CA certificate is larger than 64 KiB")
      .refine((text) => text === "" || PEM.test(text), "The CA must be PEM certificates")
      .optional(),
    username: z.string().max(256).optional(),
    password: z.string().max(4096).optional(),
    token: z.string().max(16_384).optional(),
  })
  .refine((input) => !(input.token && (input.username || input.password)), "Give a username and password, or a token")
  .refine((input) => Boolean(input.username) === Boolean(input.password), "A username needs its password");

export type RegistryCredentialInput = z.input<typeof registryCredentialInputSchema>;

/** What pages show: never the password or token. */
export interface RegistryCredentialSummary {
  id: string;
  host: string;
  insecure: boolean;
  hasCa: boolean;
  login: "basic" | "token" | "anonymous";
  username: string | null;
  updatedAt: Date;
}

interface Actor {
  actor: string;
  source?: string | null;
}

function loginOf(input: { username?: string | undefined; password?: string | undefined; token?: string | undefined }) {
  if (input.token) return { token: input.token };
  if (input.username && input.password) return { username: input.username, password: input.password };
  return null;
}

/** Creates or replaces the login for a host (one row per host), audited in the same transaction. */
export async function saveRegistryCredential(db: Db, input: RegistryCredentialInput, by: Actor): Promise<string> {
  const parsed = registryCredentialInputSchema.parse(input);
  const login = loginOf(parsed);
  const data = {
    insecure: parsed.insecure,
    ca: parsed.ca ? parsed.ca : null,
    credentials: login ? encryptCredentials(login) : null,
  };
  return db.$transaction(async (tx) => {
    const row = await tx.registryCredential.upsert({
      where: { host: parsed.host },
      create: { host: parsed.host, ...data },
      update: data,
    });
    await recordAudit(tx, {
      actor: by.actor,
      action: "registry.saved",
      target: parsed.host,
      detail: {
        login: login ? ("token" in login ? "token" : "basic") : "anonymous",
        insecure: parsed.insecure,
        ca: Boolean(data.ca),
      },
      source: by.source ?? null,
    });
    return row.id;
  });
}

export async function deleteRegistryCredential(db: Db, id: string, by: Actor): Promise<void> {
  await db.$transaction(async (tx) => {
    // Already gone (a second click, another admin): nothing to delete and nothing to audit.
    const row = await tx.registryCredential.findUnique({ where: { id } });
    if (!row) return;
    await tx.registryCredential.delete({ where: { id } });
    await recordAudit(tx, { actor: by.actor, action: "registry.deleted", target: row.host, source: by.source ?? null });
  });
}

export async function listRegistryCredentials(db: Db): Promise<RegistryCredentialSummary[]> {
  const rows = await db.registryCredential.findMany({ orderBy: { host: "asc" } });
  return rows.map((row) => {
    const login = row.credentials ? decryptCredentials<RegistryLogin>(row.credentials) : null;
    return {
      id: row.id,
      host: row.host,
      insecure: row.insecure,
      hasCa: row.ca !== null,
      login: login?.token ? "token" : login?.username ? "basic" : "anonymous",
      username: login?.username ?? null,
      updatedAt: row.updatedAt,
    };
  });
}

function toAccess(row: {
  host: string;
  insecure: boolean;
  ca: string | null;
  credentials: string | null;
}): RegistryAccess {
  return {
    host: row.host,
    insecure: row.insecure,
    ...(row.ca ? { ca: row.ca } : {}),
    ...(row.credentials ? { login: decryptCredentials<RegistryLogin>(row.credentials) } : {}),
  };
}

/** Every configured registry with its login decrypted, for a poll; never logged. */
export async function loadRegistryAccess(db: Db): Promise<RegistryAccess[]> {
  return (await db.registryCredential.findMany()).map(toAccess);
}

export async function getRegistryAccess(db: Db, id: string): Promise<RegistryAccess | null> {
  const row = await db.registryCredential.findUnique({ where: { id } });
  return row ? toAccess(row) : null;
}

export interface DockerConfigImport {
  saved: string[];
  skipped: { host: string; reason: string }[];
  helpers: string[];
}

/**
 * Saves every login an uploaded Docker config holds (one audit row per registry, one for the upload). Credential
 * helpers are reported, never run; an entry that fails validation is skipped with its reason, the rest go on.
 */
export async function importDockerConfig(db: Db, body: string, by: Actor): Promise<DockerConfigImport> {
  const contents = parseDockerConfig(body);
  const result: DockerConfigImport = { saved: [], skipped: [...contents.skipped], helpers: contents.helpers };
  for (const login of contents.logins) {
    const parsed = registryCredentialInputSchema.safeParse({ ...login, insecure: false });
    if (!parsed.success) {
      result.skipped.push({ host: login.host, reason: parsed.error.issues[0]?.message ?? "it is not valid" });
      continue;
    }
    await saveRegistryCredential(db, parsed.data, by);
    result.saved.push(login.host);
  }
  await recordAudit(db, {
    actor: by.actor,
    action: "registry.imported",
    detail: { saved: result.saved.length, skipped: result.skipped.length, helpers: result.helpers.length },
    source: by.source ?? null,
  });
  return result;
}
