import type { Db } from "@/lib/db";
import { hashPassword } from "@/lib/auth/password";
import { recordAudit } from "@/lib/services/audit";
import { newUserSchema, type Actor, type NewUserInput } from "./user-input";

export class DuplicateEmailError extends Error {
  constructor() {
    super("a user with this email already exists");
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

export async function createUser(db: Db, input: NewUserInput, actor: Actor): Promise<{ id: string }> {
  const parsed = newUserSchema.parse(input);
  const passwordHash = await hashPassword(parsed.password);
  try {
    const user = await db.$transaction(async (tx) => {
      const created = await tx.user.create({
        data: { email: parsed.email, name: parsed.name, role: parsed.role, passwordHash },
        select: { id: true },
      });
      await recordAudit(tx, {
        actor: actor.email,
        action: "user.created",
        target: parsed.email,
        detail: { role: parsed.role },
        source: actor.ip,
      });
      return created;
    });
    return user;
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateEmailError();
    throw error;
  }
}
