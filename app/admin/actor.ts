import "server-only";
import { headers } from "next/headers";
import { requestMetaFrom } from "@/lib/auth/request-meta";
import type { SessionUser } from "@/lib/auth/session";
import type { Actor } from "@/lib/services/users";

/** The audit log's who and from where, for an admin action of this request. */
export async function actorOf(user: SessionUser): Promise<Actor> {
  return { email: user.email, ip: requestMetaFrom(await headers()).ip };
}
