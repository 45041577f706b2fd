import { defineConfig } from "prisma/config";

// The CLI is only used to generate the client (offline, see README): migrations are
// plain SQL applied by lib/db/migrate.ts, so no datasource URL is needed here.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
