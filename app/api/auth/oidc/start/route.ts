import { handleOidcStart } from "@/lib/auth/oidc-routes";

export const GET = handleOidcStart;
