import type { Access } from "@/lib/scope/access-scope";
import type { Role } from "./roles";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** What this request may see: the user's scope, narrowed by its token's. */
  access: Access;
  /** How the caller proved who they are. */
  via: "session" | "token";
  sessionId?: string;
  tokenId?: string;
}

/** Who is calling from where, as far as the request tells (lib/auth/request-meta.ts). */
export interface RequestMeta {
  ip?: string | null;
  userAgent?: string | null;
}
