-- What a user or an API token may see (targets, target namespaces, teams); null = the whole fleet.
ALTER TABLE "User" ADD COLUMN "accessScope" JSONB;
ALTER TABLE "ApiToken" ADD COLUMN "accessScope" JSONB;
