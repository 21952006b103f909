-- AlterTable
ALTER TABLE "contacts" ADD COLUMN     "nameIndexes" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "licence_users" ADD COLUMN     "ntUserIndex" TEXT;

-- AlterTable
ALTER TABLE "staff_users" ADD COLUMN     "loginUnlockedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "staff_sessions" (
    "id" UUID NOT NULL,
    "staffId" UUID NOT NULL,
    "secretHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "staff_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "staff_sessions_secretHash_key" ON "staff_sessions"("secretHash");

-- CreateIndex
CREATE INDEX "staff_sessions_staffId_idx" ON "staff_sessions"("staffId");

-- CreateIndex
CREATE INDEX "contacts_nameIndexes_idx" ON "contacts" USING GIN ("nameIndexes");

-- CreateIndex
CREATE INDEX "licences_keyLast4_idx" ON "licences"("keyLast4");

-- CreateIndex
CREATE INDEX "licence_users_ntUserIndex_idx" ON "licence_users"("ntUserIndex");

-- AddForeignKey
ALTER TABLE "staff_sessions" ADD CONSTRAINT "staff_sessions_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "staff_users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
