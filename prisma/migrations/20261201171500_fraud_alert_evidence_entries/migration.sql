-- AlterTable
ALTER TABLE "fraud_alerts" ADD COLUMN     "evidenceCount" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "fraud_alert_evidence" (
    "alertId" UUID NOT NULL,
    "slot" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "entryEnc" TEXT NOT NULL,

    CONSTRAINT "fraud_alert_evidence_pkey" PRIMARY KEY ("alertId","slot")
);

-- AddForeignKey
ALTER TABLE "fraud_alert_evidence" ADD CONSTRAINT "fraud_alert_evidence_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "fraud_alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
