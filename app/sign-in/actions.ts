"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { SESSION_COOKIE, sessionCookieOptions } from "@/lib/auth/cookies";
import { isHttps, requestMetaFrom } from "@/lib/auth/request-meta";
import { safeNextPath } from "@/lib/auth/safe-next";
import { currentUser } from "@/lib/auth/session";
import { signOut as endSessionsOf } from "@/lib/services/sessions";
import { SIGN_IN_ERROR, signInWithPassword } from "@/lib/services/sign-in";

export interface SignInState {
  error: string | null;
  email: string;
}

const signInSchema = z.object({
  email: z.string().max(320),
  password: z.string().max(1024),
  next: z.string().max(2000).optional(),
});

export async function signIn(_state: SignInState, formData: FormData): Promise<SignInState> {
  const parsed = signInSchema.safeParse({
    email: formData.get("email"),
    password: formData.get("password"),
    next: formData.get("next") ?? undefined,
  });
  if (!parsed.success) return { error: SIGN_IN_ERROR, email: "" };
  const requestHeaders = await headers();
  const result = await signInWithPassword(getDb(), {
    email: parsed.data.email,
    password: parsed.data.password,
    meta: requestMetaFrom(requestHeaders),
  });
  if (!result.ok) return { error: result.error, email: parsed.data.email.slice(0, 320) };
  (await cookies()).set(SESSION_COOKIE, result.token, sessionCookieOptions(isHttps(requestHeaders)));
  redirect(safeNextPath(parsed.data.next));
}

/** Ends this browser's session; `everywhere` ends every session of the user. */
async function endSessions(everywhere: boolean): Promise<never> {
  const jar = await cookies();
  const token = jar.get(SESSION_COOKIE)?.value ?? null;
  const user = await currentUser();
  await endSessionsOf(getDb(), { token, user, everywhere, source: requestMetaFrom(await headers()).ip ?? null });
  jar.delete(SESSION_COOKIE);
  redirect("/sign-in");
}

export async function signOut(): Promise<never> {
  return endSessions(false);
}

export async function signOutEverywhere(): Promise<never> {
  return endSessions(true);
}
