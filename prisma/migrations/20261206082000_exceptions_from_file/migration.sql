-- Exceptions kept in a file (`rampart exceptions apply -f`) carry their entry's key: only those are revoked
-- when an entry leaves the file, and the dashboard marks them.
ALTER TABLE "Exception" ADD COLUMN "fileKey" TEXT;
CREATE INDEX "Exception_fileKey_idx" ON "Exception"("fileKey");
