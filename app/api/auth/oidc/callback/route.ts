import { handleOidcCallback } from "@/lib/auth/oidc-routes";

export const GET = handleOidcCallback;
