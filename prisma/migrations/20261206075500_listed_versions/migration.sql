-- A poll reads again only containers whose listed version changed, under the same inspect epoch.
ALTER TABLE "Target" ADD COLUMN "inspectedEpoch" TEXT;
ALTER TABLE "Container" ADD COLUMN "listedVersion" TEXT;
