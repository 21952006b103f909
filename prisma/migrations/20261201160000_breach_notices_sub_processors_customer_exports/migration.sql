-- CreateEnum
CREATE TYPE "BreachRisk" AS ENUM ('low', 'high');

-- CreateEnum
CREATE TYPE "NoticeKind" AS ENUM ('breach_subject', 'breach_customer', 'sub_processor_change');

-- CreateEnum
CREATE TYPE "NoticeStatus" AS ENUM ('sent', 'failed');

-- CreateEnum
CREATE TYPE "SubProcessorChangeKind" AS ENUM ('seeded', 'added', 'changed', 'removed');

-- AlterTable
ALTER TABLE "customers" ADD COLUMN     "closedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "breach_records" ADD COLUMN     "risk" "BreachRisk";

-- CreateTable
CREATE TABLE "breach_affected_subjects" (
    "breachId" UUID NOT NULL,
    "contactId" UUID NOT NULL,

    CONSTRAINT "breach_affected_subjects_pkey" PRIMARY KEY ("breachId","contactId")
);

-- CreateTable
CREATE TABLE "breach_affected_customers" (
    "breachId" UUID NOT NULL,
    "customerId" UUID NOT NULL,

    CONSTRAINT "breach_affected_customers_pkey" PRIMARY KEY ("breachId","customerId")
);

-- CreateTable
CREATE TABLE "notices" (
    "id" UUID NOT NULL,
    "kind" "NoticeKind" NOT NULL,
    "status" "NoticeStatus" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "breachId" UUID,
    "subProcessorChangeId" UUID,
    "customerId" UUID,
    "contactId" UUID,

    CONSTRAINT "notices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sub_processors" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "location" TEXT NOT NULL,
    "categories" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "removedAt" TIMESTAMP(3),

    CONSTRAINT "sub_processors_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sub_processor_changes" (
    "id" UUID NOT NULL,
    "subProcessorId" UUID NOT NULL,
    "kind" "SubProcessorChangeKind" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "byStaffId" UUID,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "sub_processor_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer_exports" (
    "id" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "sha256" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "byStaffId" UUID NOT NULL,
    "closedAt" TIMESTAMP(3),
    "receiptJws" TEXT,

    CONSTRAINT "customer_exports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "breach_affected_subjects_contactId_idx" ON "breach_affected_subjects"("contactId");

-- CreateIndex
CREATE INDEX "breach_affected_customers_customerId_idx" ON "breach_affected_customers"("customerId");

-- CreateIndex
CREATE INDEX "notices_breachId_idx" ON "notices"("breachId");

-- CreateIndex
CREATE INDEX "notices_subProcessorChangeId_idx" ON "notices"("subProcessorChangeId");

-- CreateIndex
CREATE INDEX "notices_contactId_idx" ON "notices"("contactId");

-- CreateIndex
CREATE INDEX "sub_processor_changes_at_idx" ON "sub_processor_changes"("at");

-- CreateIndex
CREATE INDEX "customer_exports_customerId_idx" ON "customer_exports"("customerId");

-- AddForeignKey
ALTER TABLE "breach_affected_subjects" ADD CONSTRAINT "breach_affected_subjects_breachId_fkey" FOREIGN KEY ("breachId") REFERENCES "breach_records"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "breach_affected_subjects" ADD CONSTRAINT "breach_affected_subjects_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "contacts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "breach_affected_customers" ADD CONSTRAINT "breach_affected_customers_breachId_fkey" FOREIGN KEY ("breachId") REFERENCES "breach_records"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "breach_affected_customers" ADD CONSTRAINT "breach_affected_customers_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notices" ADD CONSTRAINT "notices_breachId_fkey" FOREIGN KEY ("breachId") REFERENCES "breach_records"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notices" ADD CONSTRAINT "notices_subProcessorChangeId_fkey" FOREIGN KEY ("subProcessorChangeId") REFERENCES "sub_processor_changes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notices" ADD CONSTRAINT "notices_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "customers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notices" ADD CONSTRAINT "notices_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "contacts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sub_processor_changes" ADD CONSTRAINT "sub_processor_changes_subProcessorId_fkey" FOREIGN KEY ("subProcessorId") REFERENCES "sub_processors"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer_exports" ADD CONSTRAINT "customer_exports_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
