export { checkCredentials, reencryptCredentials, type CredentialCheck, type ReencryptInput } from "./rotate-key";
