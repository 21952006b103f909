-- CreateEnum
CREATE TYPE "RestrictionGround" AS ENUM ('consent', 'legal_claims', 'protection_of_others', 'public_interest');

-- CreateTable
CREATE TABLE "restriction_exceptions" (
    "id" UUID NOT NULL,
    "contactId" UUID NOT NULL,
    "ground" "RestrictionGround" NOT NULL,
    "reasonEnc" TEXT NOT NULL,
    "recordedById" UUID NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "restriction_exceptions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "restriction_exceptions_contactId_expiresAt_idx" ON "restriction_exceptions"("contactId", "expiresAt");

-- AddForeignKey
ALTER TABLE "restriction_exceptions" ADD CONSTRAINT "restriction_exceptions_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "contacts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
