// Kept for lib/auth/rotate-key.db.test.ts, which another change owns; the sign-in writes live in lib/services/sign-in.
export { SIGN_IN_ERROR, signInWithPassword } from "@/lib/services/sign-in";
