export { completeSetup, type SetupInput, type SetupResult } from "./complete-setup";
export { createSetupLink, isSetupTokenValid, SETUP_LINK_TTL_MS } from "./create-setup-link";
