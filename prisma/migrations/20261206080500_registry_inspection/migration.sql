-- CreateTable
CREATE TABLE "ImageMetadata" (
    "digest" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ImageMetadata_pkey" PRIMARY KEY ("digest")
);

-- CreateTable
CREATE TABLE "RegistryCredential" (
    "id" UUID NOT NULL,
    "host" TEXT NOT NULL,
    "insecure" BOOLEAN NOT NULL DEFAULT false,
    "ca" TEXT,
    "credentials" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RegistryCredential_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RegistryCredential_host_key" ON "RegistryCredential"("host");
