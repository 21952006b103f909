-- AlterTable
ALTER TABLE "devices" ADD COLUMN     "lastNtAccountIndex" TEXT;
