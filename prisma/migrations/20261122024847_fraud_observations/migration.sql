-- CreateEnum
CREATE TYPE "FraudObservationKind" AS ENUM ('machine', 'machine_alias', 'account', 'activation');

-- CreateTable
CREATE TABLE "fraud_observations" (
    "id" BIGSERIAL NOT NULL,
    "licenceId" UUID NOT NULL,
    "kind" "FraudObservationKind" NOT NULL,
    "valueIndex" TEXT NOT NULL,
    "ref" TEXT,
    "firstAt" TIMESTAMP(3) NOT NULL,
    "lastAt" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "fraud_observations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "fraud_observations_lastAt_idx" ON "fraud_observations"("lastAt");

-- CreateIndex
CREATE UNIQUE INDEX "fraud_observations_licenceId_kind_valueIndex_key" ON "fraud_observations"("licenceId", "kind", "valueIndex");
