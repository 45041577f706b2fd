export {
  SIGN_IN_ERROR,
  signInWithPassword,
  type SignInDeps,
  type SignInInput,
  type SignInResult,
} from "./sign-in-with-password";
export {
  getThrottleState,
  MAX_PAIR_FAILURES,
  MAX_SOURCE_FAILURES,
  SLOW_AFTER_ACCOUNT_FAILURES,
  THROTTLE_WINDOW_MS,
} from "./sign-in-throttle";
export { signInWithOidcClaims, type OidcSignInInput, type OidcSignInResult } from "./sign-in-with-oidc";
