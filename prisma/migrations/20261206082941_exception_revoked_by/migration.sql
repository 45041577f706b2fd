-- Who revoked an exception, shown beside when; earlier revocations keep null (their audit entry names the actor).
ALTER TABLE "Exception" ADD COLUMN "revokedBy" TEXT;
