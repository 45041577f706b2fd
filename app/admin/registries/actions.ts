"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { requireRole, type SessionUser } from "@/lib/auth/session";
import { DOCKER_CONFIG_MAX_BYTES } from "@/lib/registry/docker-config";
import { pingRegistry } from "@/lib/registry/ping";
import {
  deleteRegistryCredential,
  getRegistryAccess,
  importDockerConfig,
  registryCredentialInputSchema,
  saveRegistryCredential,
  type DockerConfigImport,
} from "@/lib/services/registry";
import { actorOf } from "../actor";

const PATH = "/admin/registries";

export interface RegistryFormState {
  error: string | null;
  saved: string | null;
}

export interface ImportFormState {
  error: string | null;
  result: DockerConfigImport | null;
}

export interface TestState {
  ok: boolean | null;
  message: string | null;
}

/** The registry service's audit actor, from the admin of this request. */
async function auditActor(admin: SessionUser) {
  const { email, ip } = await actorOf(admin);
  return { actor: email, source: ip };
}

function field(formData: FormData, name: string): string | undefined {
  const value = formData.get(name);
  return typeof value === "string" && value !== "" ? value : undefined;
}

export async function saveRegistry(_state: RegistryFormState, formData: FormData): Promise<RegistryFormState> {
  const by = await auditActor(await requireRole("admin"));
  const login = field(formData, "login");
  const parsed = registryCredentialInputSchema.safeParse({
    host: field(formData, "host") ?? "",
    insecure: formData.get("insecure") === "on",
    ca: field(formData, "ca"),
    ...(login === "basic" ? { username: field(formData, "username"), password: field(formData, "password") } : {}),
    ...(login === "token" ? { token: field(formData, "token") } : {}),
  });
  if (!parsed.success) return { error: parsed.error.issues.map((issue) => issue.message).join("; "), saved: null };
  await saveRegistryCredential(getDb(), parsed.data, by);
  revalidatePath(PATH);
  return { error: null, saved: parsed.data.host };
}

export async function importConfig(_state: ImportFormState, formData: FormData): Promise<ImportFormState> {
  const by = await auditActor(await requireRole("admin"));
  const file = formData.get("config");
  if (!(file instanceof File) || file.size === 0) return { error: "Choose a config.json file", result: null };
  if (file.size > DOCKER_CONFIG_MAX_BYTES)
    return {
      error: `The file is larger than ${DOCKER_CONFIG_MAX_BYTES / 1024} KiB; a Docker config is far smaller`,
      result: null,
    };
  try {
    const result = await importDockerConfig(getDb(), await file.text(), by);
    revalidatePath(PATH);
    return { error: null, result };
  } catch (error) {
    return { error: error instanceof Error ? error.message : "The file could not be read", result: null };
  }
}

const idSchema = z.object({ id: z.uuid() });

export async function deleteRegistry(formData: FormData): Promise<void> {
  const by = await auditActor(await requireRole("admin"));
  const { id } = idSchema.parse({ id: formData.get("id") });
  await deleteRegistryCredential(getDb(), id, by);
  revalidatePath(PATH);
}

export async function testRegistry(_state: TestState, formData: FormData): Promise<TestState> {
  await requireRole("admin");
  const parsed = idSchema.safeParse({ id: formData.get("id") });
  const access = parsed.success ? await getRegistryAccess(getDb(), parsed.data.id) : null;
  if (!access) return { ok: false, message: "This registry is no longer listed" };
  return pingRegistry(access);
}
