-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "StaffRole" AS ENUM ('support', 'privacy_officer', 'admin', 'auditor');

-- CreateEnum
CREATE TYPE "ContactRole" AS ENUM ('licence_holder', 'billing', 'it', 'management');

-- CreateEnum
CREATE TYPE "LicenceStatus" AS ENUM ('active', 'suspended', 'revoked');

-- CreateEnum
CREATE TYPE "TelemetryCollection" AS ENUM ('on', 'off');

-- CreateEnum
CREATE TYPE "ValidationCode" AS ENUM ('VALID', 'NOT_FOUND', 'SUSPENDED', 'REVOKED', 'NOT_YET_VALID', 'EXPIRED', 'PRODUCT_MISMATCH', 'USER_MISMATCH', 'TOO_MANY_MACHINES', 'DEVICE_RELEASED');

-- CreateEnum
CREATE TYPE "FraudSignal" AS ENUM ('device_fanout', 'account_fanout', 'churn', 'mac_collision', 'overlap', 'clock_drift');

-- CreateEnum
CREATE TYPE "AlertSeverity" AS ENUM ('low', 'medium', 'high');

-- CreateEnum
CREATE TYPE "AlertStatus" AS ENUM ('open', 'under_review', 'confirmed', 'dismissed');

-- CreateEnum
CREATE TYPE "TelemetryEventType" AS ENUM ('session_start', 'session_end', 'feature', 'error');

-- CreateEnum
CREATE TYPE "PrivacyRequestType" AS ENUM ('access', 'portability', 'rectification', 'erasure', 'restriction', 'objection');

-- CreateEnum
CREATE TYPE "PrivacyRequestStatus" AS ENUM ('received', 'identity_verified', 'in_progress', 'completed', 'rejected');

-- CreateEnum
CREATE TYPE "RequestChannel" AS ENUM ('self_service', 'email', 'phone', 'letter');

-- CreateEnum
CREATE TYPE "ActorType" AS ENUM ('staff', 'subject', 'system', 'licence');

-- CreateEnum
CREATE TYPE "ErasureStatus" AS ENUM ('pending', 'running', 'completed');

-- CreateTable
CREATE TABLE "customers" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "nameSearch" TEXT NOT NULL,
    "vatNumber" TEXT,
    "country" CHAR(2) NOT NULL,
    "agreementStartsAt" TIMESTAMP(3) NOT NULL,
    "agreementEndsAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "customers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contacts" (
    "id" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "roles" "ContactRole"[],
    "titleEnc" TEXT,
    "firstNameEnc" TEXT NOT NULL,
    "lastNameEnc" TEXT NOT NULL,
    "jobTitleEnc" TEXT,
    "departmentEnc" TEXT,
    "addressEnc" TEXT,
    "phoneEnc" TEXT,
    "faxEnc" TEXT,
    "emailEnc" TEXT NOT NULL,
    "emailIndex" TEXT NOT NULL,
    "telemetryObjectedAt" TIMESTAMP(3),
    "marketingObjectedAt" TIMESTAMP(3),
    "profilingObjectedAt" TIMESTAMP(3),
    "restrictedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "contacts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "subject_keys" (
    "subjectId" UUID NOT NULL,
    "wrappedKey" BYTEA,
    "masterKeyId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "destroyedAt" TIMESTAMP(3),

    CONSTRAINT "subject_keys_pkey" PRIMARY KEY ("subjectId")
);

-- CreateTable
CREATE TABLE "products" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "products_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policies" (
    "id" UUID NOT NULL,
    "productId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "durationDays" INTEGER,
    "maxMachines" INTEGER NOT NULL DEFAULT 2,
    "maxUsers" INTEGER NOT NULL DEFAULT 1,
    "offlineGraceHours" INTEGER NOT NULL DEFAULT 72,
    "transfersPer30Days" INTEGER NOT NULL DEFAULT 3,
    "expiringSoonDays" INTEGER NOT NULL DEFAULT 14,
    "entitlements" TEXT[],
    "telemetry" "TelemetryCollection" NOT NULL DEFAULT 'on',
    "fraudWindowHours" INTEGER NOT NULL DEFAULT 24,
    "deviceFanoutThreshold" INTEGER,
    "accountFanoutThreshold" INTEGER,
    "churnThreshold" INTEGER NOT NULL DEFAULT 6,
    "clockDriftToleranceMinutes" INTEGER NOT NULL DEFAULT 60,
    "overlapWindowMinutes" INTEGER NOT NULL DEFAULT 10,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "policies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "licences" (
    "id" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "holderId" UUID NOT NULL,
    "policyId" UUID NOT NULL,
    "productId" UUID NOT NULL,
    "keyDigest" TEXT NOT NULL,
    "keyLast4" TEXT NOT NULL,
    "status" "LicenceStatus" NOT NULL DEFAULT 'active',
    "statusReason" TEXT,
    "validFrom" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "validUntil" TIMESTAMP(3),
    "entitlements" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "licences_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "licence_users" (
    "id" UUID NOT NULL,
    "licenceId" UUID NOT NULL,
    "ntAccountIndex" TEXT NOT NULL,
    "ntAccountEnc" TEXT NOT NULL,
    "boundAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "licence_users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "devices" (
    "id" UUID NOT NULL,
    "licenceId" UUID NOT NULL,
    "pcNameIndex" TEXT NOT NULL,
    "pcNameEnc" TEXT NOT NULL,
    "lastNtAccountEnc" TEXT,
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "releasedAt" TIMESTAMP(3),
    "releasedBy" TEXT,

    CONSTRAINT "devices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "device_macs" (
    "id" UUID NOT NULL,
    "deviceId" UUID NOT NULL,
    "licenceId" UUID NOT NULL,
    "macIndex" TEXT NOT NULL,
    "macEnc" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "device_macs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "validation_events" (
    "id" BIGSERIAL NOT NULL,
    "licenceId" UUID,
    "deviceId" UUID,
    "code" "ValidationCode" NOT NULL,
    "appVersion" TEXT,
    "osVersion" TEXT,
    "networkHash" TEXT,
    "clientTime" TIMESTAMP(3),
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "validation_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "signing_keys" (
    "kid" TEXT NOT NULL,
    "publicJwk" JSONB NOT NULL,
    "privateKeyEnc" TEXT NOT NULL,
    "masterKeyId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" TIMESTAMP(3),

    CONSTRAINT "signing_keys_pkey" PRIMARY KEY ("kid")
);

-- CreateTable
CREATE TABLE "fraud_alerts" (
    "id" UUID NOT NULL,
    "licenceId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "signal" "FraudSignal" NOT NULL,
    "severity" "AlertSeverity" NOT NULL,
    "status" "AlertStatus" NOT NULL DEFAULT 'open',
    "openKey" TEXT,
    "evidenceEnc" TEXT NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastEvidenceAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMP(3),
    "decidedById" UUID,
    "decisionReason" TEXT,
    "suspended" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "fraud_alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fraud_alert_comments" (
    "id" UUID NOT NULL,
    "alertId" UUID NOT NULL,
    "staffId" UUID NOT NULL,
    "body" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fraud_alert_comments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
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

    CONSTRAINT "telemetry_events_pkey" PRIMARY KEY ("id","at")
);

-- CreateTable
CREATE TABLE "telemetry_batches" (
    "batchId" UUID NOT NULL,
    "accepted" INTEGER NOT NULL,
    "rejected" INTEGER NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "telemetry_batches_pkey" PRIMARY KEY ("batchId")
);

-- CreateTable
CREATE TABLE "telemetry_daily_rollups" (
    "day" DATE NOT NULL,
    "productId" UUID NOT NULL,
    "dimension" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "events" INTEGER NOT NULL,
    "activeUsers" INTEGER NOT NULL,

    CONSTRAINT "telemetry_daily_rollups_pkey" PRIMARY KEY ("day","productId","dimension","value")
);

-- CreateTable
CREATE TABLE "privacy_requests" (
    "id" UUID NOT NULL,
    "contactId" UUID,
    "subjectRef" UUID NOT NULL,
    "type" "PrivacyRequestType" NOT NULL,
    "scope" TEXT[],
    "reason" TEXT,
    "channel" "RequestChannel" NOT NULL DEFAULT 'self_service',
    "status" "PrivacyRequestStatus" NOT NULL DEFAULT 'received',
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "extendedDueAt" TIMESTAMP(3),
    "extensionReason" TEXT,
    "identityVerifiedAt" TIMESTAMP(3),
    "identityMethod" TEXT,
    "closedAt" TIMESTAMP(3),
    "outcome" TEXT,
    "receiptJws" TEXT,
    "fraudAlertId" UUID,
    "handledById" UUID,

    CONSTRAINT "privacy_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "verification_codes" (
    "id" UUID NOT NULL,
    "emailIndex" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "verification_codes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "erasure_jobs" (
    "id" UUID NOT NULL,
    "subjectId" UUID NOT NULL,
    "requestId" UUID,
    "status" "ErasureStatus" NOT NULL DEFAULT 'pending',
    "progress" JSONB NOT NULL DEFAULT '{}',
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),
    "receiptJws" TEXT,

    CONSTRAINT "erasure_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing_records" (
    "id" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "licenceId" UUID NOT NULL,
    "productCode" TEXT NOT NULL,
    "issuedAt" TIMESTAMP(3) NOT NULL,
    "validFrom" TIMESTAMP(3) NOT NULL,
    "validUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "billing_records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "retention_runs" (
    "id" UUID NOT NULL,
    "trigger" TEXT NOT NULL,
    "dryRun" BOOLEAN NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "result" JSONB,
    "receiptJws" TEXT,

    CONSTRAINT "retention_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "breach_records" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "awareAt" TIMESTAMP(3) NOT NULL,
    "categories" TEXT[],
    "approxSubjects" INTEGER NOT NULL,
    "approxRecords" INTEGER NOT NULL,
    "measures" TEXT NOT NULL,
    "authorityNotifiedAt" TIMESTAMP(3),
    "subjectsNotifiedAt" TIMESTAMP(3),
    "recordedById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "breach_records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "staff_users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "roles" "StaffRole"[],
    "disabledAt" TIMESTAMP(3),
    "lastLoginAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "staff_users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_entries" (
    "seq" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorType" "ActorType" NOT NULL,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "subjectId" UUID,
    "resourceType" TEXT,
    "resourceId" TEXT,
    "purpose" TEXT,
    "requestId" TEXT,
    "details" TEXT,
    "detailsDigest" TEXT,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_entries_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "audit_head" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "lastSeq" BIGINT NOT NULL,
    "lastHash" TEXT NOT NULL,

    CONSTRAINT "audit_head_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "customers_nameSearch_idx" ON "customers"("nameSearch");

-- CreateIndex
CREATE INDEX "customers_agreementEndsAt_idx" ON "customers"("agreementEndsAt");

-- CreateIndex
CREATE INDEX "contacts_emailIndex_idx" ON "contacts"("emailIndex");

-- CreateIndex
CREATE UNIQUE INDEX "contacts_customerId_emailIndex_key" ON "contacts"("customerId", "emailIndex");

-- CreateIndex
CREATE UNIQUE INDEX "products_code_key" ON "products"("code");

-- CreateIndex
CREATE UNIQUE INDEX "policies_productId_name_key" ON "policies"("productId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "licences_keyDigest_key" ON "licences"("keyDigest");

-- CreateIndex
CREATE INDEX "licences_customerId_idx" ON "licences"("customerId");

-- CreateIndex
CREATE INDEX "licences_holderId_idx" ON "licences"("holderId");

-- CreateIndex
CREATE INDEX "licence_users_ntAccountIndex_idx" ON "licence_users"("ntAccountIndex");

-- CreateIndex
CREATE UNIQUE INDEX "licence_users_licenceId_ntAccountIndex_key" ON "licence_users"("licenceId", "ntAccountIndex");

-- CreateIndex
CREATE INDEX "devices_licenceId_pcNameIndex_idx" ON "devices"("licenceId", "pcNameIndex");

-- CreateIndex
CREATE INDEX "devices_licenceId_releasedAt_idx" ON "devices"("licenceId", "releasedAt");

-- CreateIndex
CREATE INDEX "devices_pcNameIndex_idx" ON "devices"("pcNameIndex");

-- CreateIndex
CREATE INDEX "device_macs_licenceId_macIndex_idx" ON "device_macs"("licenceId", "macIndex");

-- CreateIndex
CREATE INDEX "device_macs_macIndex_idx" ON "device_macs"("macIndex");

-- CreateIndex
CREATE UNIQUE INDEX "device_macs_deviceId_macIndex_key" ON "device_macs"("deviceId", "macIndex");

-- CreateIndex
CREATE INDEX "validation_events_licenceId_at_idx" ON "validation_events"("licenceId", "at");

-- CreateIndex
CREATE INDEX "validation_events_deviceId_at_idx" ON "validation_events"("deviceId", "at");

-- CreateIndex
CREATE INDEX "validation_events_at_idx" ON "validation_events"("at");

-- CreateIndex
CREATE UNIQUE INDEX "fraud_alerts_openKey_key" ON "fraud_alerts"("openKey");

-- CreateIndex
CREATE INDEX "fraud_alerts_status_signal_idx" ON "fraud_alerts"("status", "signal");

-- CreateIndex
CREATE INDEX "fraud_alerts_licenceId_signal_decidedAt_idx" ON "fraud_alerts"("licenceId", "signal", "decidedAt");

-- CreateIndex
CREATE INDEX "fraud_alerts_customerId_idx" ON "fraud_alerts"("customerId");

-- CreateIndex
CREATE INDEX "fraud_alert_comments_alertId_idx" ON "fraud_alert_comments"("alertId");

-- CreateIndex
CREATE INDEX "telemetry_events_pseudonym_at_idx" ON "telemetry_events"("pseudonym", "at");

-- CreateIndex
CREATE INDEX "telemetry_events_productId_at_idx" ON "telemetry_events"("productId", "at");

-- CreateIndex
CREATE INDEX "telemetry_batches_receivedAt_idx" ON "telemetry_batches"("receivedAt");

-- CreateIndex
CREATE INDEX "privacy_requests_status_dueAt_idx" ON "privacy_requests"("status", "dueAt");

-- CreateIndex
CREATE INDEX "privacy_requests_subjectRef_idx" ON "privacy_requests"("subjectRef");

-- CreateIndex
CREATE INDEX "verification_codes_emailIndex_createdAt_idx" ON "verification_codes"("emailIndex", "createdAt");

-- CreateIndex
CREATE INDEX "erasure_jobs_subjectId_idx" ON "erasure_jobs"("subjectId");

-- CreateIndex
CREATE INDEX "billing_records_customerId_idx" ON "billing_records"("customerId");

-- CreateIndex
CREATE INDEX "retention_runs_startedAt_idx" ON "retention_runs"("startedAt");

-- CreateIndex
CREATE INDEX "breach_records_awareAt_idx" ON "breach_records"("awareAt");

-- CreateIndex
CREATE UNIQUE INDEX "staff_users_email_key" ON "staff_users"("email");

-- CreateIndex
CREATE INDEX "audit_entries_subjectId_at_idx" ON "audit_entries"("subjectId", "at");

-- CreateIndex
CREATE INDEX "audit_entries_action_at_idx" ON "audit_entries"("action", "at");

-- AddForeignKey
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policies" ADD CONSTRAINT "policies_productId_fkey" FOREIGN KEY ("productId") REFERENCES "products"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "licences" ADD CONSTRAINT "licences_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "licences" ADD CONSTRAINT "licences_holderId_fkey" FOREIGN KEY ("holderId") REFERENCES "contacts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "licences" ADD CONSTRAINT "licences_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "policies"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "licences" ADD CONSTRAINT "licences_productId_fkey" FOREIGN KEY ("productId") REFERENCES "products"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "licence_users" ADD CONSTRAINT "licence_users_licenceId_fkey" FOREIGN KEY ("licenceId") REFERENCES "licences"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "devices" ADD CONSTRAINT "devices_licenceId_fkey" FOREIGN KEY ("licenceId") REFERENCES "licences"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "device_macs" ADD CONSTRAINT "device_macs_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "devices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fraud_alerts" ADD CONSTRAINT "fraud_alerts_licenceId_fkey" FOREIGN KEY ("licenceId") REFERENCES "licences"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fraud_alert_comments" ADD CONSTRAINT "fraud_alert_comments_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "fraud_alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "privacy_requests" ADD CONSTRAINT "privacy_requests_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "contacts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "billing_records" ADD CONSTRAINT "billing_records_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
