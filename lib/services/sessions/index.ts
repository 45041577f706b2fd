export { createSession } from "./create-session";
export { deleteSession, deleteUserSessions } from "./delete-sessions";
export { getSessionUser } from "./get-session-user";
export { SESSION_IDLE_MS, SESSION_MAX_AGE_MS } from "./session-limits";
export { signOut } from "./sign-out";
