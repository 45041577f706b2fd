-- Docker: what the whole hardened docker run command is rebuilt from (secret-free).
ALTER TABLE "Container" ADD COLUMN "runSpec" JSONB;
