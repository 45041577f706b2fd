"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { roleSchema } from "@/lib/auth/roles";
import { requireRole } from "@/lib/auth/session";
import {
  createUser,
  deleteUser,
  DuplicateEmailError,
  endUserSessions as endSessionsOf,
  LastAdminError,
  newUserSchema,
  setUserAccessScope,
  setUserDisabled,
  setUserRole,
} from "@/lib/services/users";
import { resolveScopeInput, scopeFields, ScopeInputError } from "@/lib/services/access/scope-input";
import { actorOf } from "../actor";

export interface ScopeFormState {
  error: string | null;
  saved: boolean;
}

export interface UserFormState {
  error: string | null;
  created: string | null;
}

const userIdSchema = z.object({ userId: z.uuid() });

export async function addUser(_state: UserFormState, formData: FormData): Promise<UserFormState> {
  const admin = await requireRole("admin");
  const parsed = newUserSchema.safeParse({
    email: formData.get("email"),
    name: formData.get("name") ?? "",
    role: formData.get("role"),
    password: formData.get("password"),
  });
  if (!parsed.success) {
    return {
      error: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "),
      created: null,
    };
  }
  try {
    await createUser(getDb(), parsed.data, await actorOf(admin));
  } catch (error) {
    if (error instanceof DuplicateEmailError) return { error: error.message, created: null };
    throw error;
  }
  revalidatePath("/admin/users");
  return { error: null, created: parsed.data.email };
}

/** Form actions of the user table; a refusal (last admin) is shown as the page's error banner. */
async function change(formData: FormData, apply: (userId: string) => Promise<void>): Promise<void> {
  const { userId } = userIdSchema.parse({ userId: formData.get("userId") });
  try {
    await apply(userId);
  } catch (error) {
    if (!(error instanceof LastAdminError)) throw error;
  }
  revalidatePath("/admin/users");
}

export async function changeRole(formData: FormData): Promise<void> {
  const admin = await requireRole("admin");
  const role = roleSchema.parse(formData.get("role"));
  await change(formData, async (userId) => setUserRole(getDb(), userId, role, await actorOf(admin)));
}

export async function setDisabled(formData: FormData): Promise<void> {
  const admin = await requireRole("admin");
  const disabled = z.enum(["true", "false"]).parse(formData.get("disabled")) === "true";
  await change(formData, async (userId) => setUserDisabled(getDb(), userId, disabled, await actorOf(admin)));
}

export async function removeUser(formData: FormData): Promise<void> {
  const admin = await requireRole("admin");
  await change(formData, async (userId) => deleteUser(getDb(), userId, await actorOf(admin)));
}

export async function endUserSessions(formData: FormData): Promise<void> {
  const admin = await requireRole("admin");
  await change(formData, async (userId) => {
    await endSessionsOf(getDb(), userId, await actorOf(admin));
  });
}

export async function changeScope(_state: ScopeFormState, formData: FormData): Promise<ScopeFormState> {
  const admin = await requireRole("admin");
  const { userId } = userIdSchema.parse({ userId: formData.get("userId") });
  try {
    const scope = await resolveScopeInput(getDb(), scopeFields(formData));
    await setUserAccessScope(getDb(), userId, scope, await actorOf(admin));
  } catch (error) {
    if (error instanceof ScopeInputError) return { error: error.message, saved: false };
    throw error;
  }
  revalidatePath("/admin/users");
  return { error: null, saved: true };
}
