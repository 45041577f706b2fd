export { apiTokenInputSchema, createApiToken, type ApiTokenInput } from "./create-api-token";
export { getTokenUser } from "./get-token-user";
export { listApiTokens, type ApiTokenRow } from "./list-api-tokens";
export { revokeApiToken } from "./revoke-api-token";
