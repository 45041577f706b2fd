// `rampart serve` (lib/cli/commands/serve.ts) prints the first-run link through this name; the writes live in
// lib/services/setup.
export { createSetupLink } from "@/lib/services/setup";
