export { databaseMetadataCache, forgetMemoryCache } from "./metadata-cache";
export {
  deleteRegistryCredential,
  getRegistryAccess,
  importDockerConfig,
  listRegistryCredentials,
  loadRegistryAccess,
  registryCredentialInputSchema,
  saveRegistryCredential,
  type DockerConfigImport,
  type RegistryCredentialInput,
  type RegistryCredentialSummary,
} from "./registry-credentials";
