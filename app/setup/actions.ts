"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { SESSION_COOKIE, sessionCookieOptions } from "@/lib/auth/cookies";
import { isHttps, requestMetaFrom } from "@/lib/auth/request-meta";
import { completeSetup } from "@/lib/services/setup";

export interface SetupState {
  error: string | null;
}

const setupFormSchema = z.object({
  token: z.string().min(1).max(200),
  email: z.string().max(320),
  name: z.string().max(120),
  password: z.string().max(1024),
});

export async function createFirstAdmin(_state: SetupState, formData: FormData): Promise<SetupState> {
  const parsed = setupFormSchema.safeParse({
    token: formData.get("token"),
    email: formData.get("email"),
    name: formData.get("name") ?? "",
    password: formData.get("password"),
  });
  if (!parsed.success) return { error: "Fill in every field." };
  const requestHeaders = await headers();
  const result = await completeSetup(getDb(), { ...parsed.data, meta: requestMetaFrom(requestHeaders) });
  if (!result.ok) return { error: result.error };
  (await cookies()).set(SESSION_COOKIE, result.sessionToken, sessionCookieOptions(isHttps(requestHeaders)));
  redirect("/admin/users");
}
