import { z } from "zod";
import { passwordSchema } from "@/lib/auth/password";
import { roleSchema } from "@/lib/auth/roles";

export const emailSchema = z.string().trim().toLowerCase().max(320).pipe(z.email("must be an email address"));

export const newUserSchema = z.object({
  email: emailSchema,
  name: z.string().trim().max(120).default(""),
  role: roleSchema,
  password: passwordSchema,
});

export type NewUserInput = z.input<typeof newUserSchema>;

/** Who did it and from where, for the audit log. */
export interface Actor {
  email: string;
  ip?: string | null;
}
