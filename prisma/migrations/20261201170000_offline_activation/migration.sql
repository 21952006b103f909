-- CreateEnum
CREATE TYPE "ActivationMode" AS ENUM ('online', 'offline');

-- AlterTable
ALTER TABLE "policies" ADD COLUMN     "offlineLicenceDays" INTEGER NOT NULL DEFAULT 30;

-- AlterTable
ALTER TABLE "devices" ADD COLUMN     "activationMode" "ActivationMode" NOT NULL DEFAULT 'online',
ADD COLUMN     "offlineActivationId" UUID,
ADD COLUMN     "offlineExpiresAt" TIMESTAMP(3),
ADD COLUMN     "offlinePublicKey" JSONB;
