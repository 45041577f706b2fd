export { createUser, DuplicateEmailError } from "./create-user";
export {
  deleteUser,
  endUserSessions,
  LastAdminError,
  setUserAccessScope,
  setUserDisabled,
  setUserRole,
} from "./change-user";
export { listUsers, type UserRow } from "./list-users";
export { emailSchema, newUserSchema, type Actor, type NewUserInput } from "./user-input";
