-- Telemetry events become a table partitioned by month on "at" (DESIGN §6, §9): raw events expire
-- by dropping a whole month (instant, no vacuum debt), and the volume grows without slowing
-- anything else. Hand-written: Prisma's schema language cannot express partitioning, and Prisma
-- reads and writes a partitioned table like any other.
--
-- The table is empty when this runs (telemetry ingestion ships with this migration), so it is
-- dropped and re-created with the same columns, keys and indexes as the init migration.
-- Only SQL accepted by PostgreSQL 15 and by embedded PGlite (PostgreSQL 18).

DROP TABLE "telemetry_events";

CREATE TABLE "telemetry_events" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "pseudonym" TEXT NOT NULL,
    "productId" UUID NOT NULL,
    "type" "TelemetryEventType" NOT NULL,
    "name" TEXT NOT NULL,
    "durationMs" INTEGER,
    "appVersion" TEXT,
    "osVersion" TEXT,
    "props" JSONB,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    -- A primary key of a partitioned table must include the partition key: hence (id, at).
    CONSTRAINT "telemetry_events_pkey" PRIMARY KEY ("id","at")
) PARTITION BY RANGE ("at");

-- Indexes on the parent are created on every partition, present and future.
CREATE INDEX "telemetry_events_pseudonym_at_idx" ON "telemetry_events"("pseudonym", "at");
CREATE INDEX "telemetry_events_productId_at_idx" ON "telemetry_events"("productId", "at");

-- Monthly partitions ("telemetry_events_pYYYY_MM") are created ahead by the service
-- (src/telemetry/telemetry-partitions.ts). The default partition only catches a row written
-- outside the ingestion path for a month that has no partition yet; partition maintenance moves
-- such rows into the month's partition when it creates it.
CREATE TABLE "telemetry_events_default" PARTITION OF "telemetry_events" DEFAULT;
