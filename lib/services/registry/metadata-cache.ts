import type { Db, Prisma } from "@/lib/db";
import type { MetadataCache } from "@/lib/registry/client";
import type { StoredMetadata } from "@/lib/registry/manifests";

// Content never changes under a digest: one process-wide memory layer in front of the shared table is always right.
const MEMORY_LIMIT = 50_000;
const memory = new Map<string, StoredMetadata>();

function remember(digest: string, value: StoredMetadata): void {
  if (memory.size >= MEMORY_LIMIT) memory.delete(memory.keys().next().value as string);
  memory.set(digest, value);
}

/** The registry metadata cache every worker shares: ImageMetadata rows by digest, with a memory layer. */
export function databaseMetadataCache(db: Db): MetadataCache {
  return {
    async get(digest) {
      const known = memory.get(digest);
      if (known) return known;
      const row = await db.imageMetadata.findUnique({ where: { digest } });
      if (!row) return undefined;
      const value = row.body as unknown as StoredMetadata;
      remember(digest, value);
      return value;
    },
    async put(digest, value) {
      remember(digest, value);
      const body = value as unknown as Prisma.InputJsonObject;
      await db.imageMetadata.upsert({ where: { digest }, create: { digest, body }, update: { body } });
    },
  };
}

/** For tests: forget what this process learned, so the next read goes to the table. */
export function forgetMemoryCache(): void {
  memory.clear();
}
