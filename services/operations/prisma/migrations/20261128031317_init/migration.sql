-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "project_lifecycles" (
    "project_id" UUID NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "workflow_status" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "sub_district_id" UUID NOT NULL,
    "community_id" UUID,
    "organization_id" UUID NOT NULL,
    "fiscal_year" INTEGER NOT NULL,
    "waiting_on" TEXT,
    "assignee_user_id" TEXT,
    "assignee_name" TEXT,
    "stage_entered_at" TIMESTAMPTZ(3) NOT NULL,
    "deadline" TIMESTAMPTZ(3),
    "needs_attention" BOOLEAN NOT NULL,
    "parked_step" TEXT,
    "parked_error" TEXT,
    "parked_since" TIMESTAMPTZ(3),
    "parked_attempts" INTEGER,
    "payments_frozen" TEXT,
    "current_details" TEXT NOT NULL,
    "outcome" TEXT,
    "committed_fen" BIGINT,
    "paid_fen" BIGINT NOT NULL DEFAULT 0,
    "tranches" JSONB NOT NULL,
    "state_hash" TEXT NOT NULL,
    "visibility_print" TEXT NOT NULL,
    "state_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "project_lifecycles_pkey" PRIMARY KEY ("project_id")
);

-- CreateTable
CREATE TABLE "project_events" (
    "event_id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "actor_user_id" TEXT,
    "actor_role" TEXT,
    "summary" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "project_events_pkey" PRIMARY KEY ("event_id")
);

-- CreateTable
CREATE TABLE "project_supervisors" (
    "project_id" UUID NOT NULL,
    "agency_id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "assigned_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "project_supervisors_pkey" PRIMARY KEY ("project_id")
);

-- CreateTable
CREATE TABLE "community_funds" (
    "fund_id" UUID NOT NULL,
    "sub_district_id" UUID NOT NULL,
    "community_id" UUID,
    "fiscal_year" INTEGER NOT NULL,
    "allocated_fen" BIGINT NOT NULL,
    "committed_fen" BIGINT NOT NULL,
    "spent_fen" BIGINT NOT NULL,
    "as_of" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "community_funds_pkey" PRIMARY KEY ("fund_id")
);

-- CreateTable
CREATE TABLE "directory_entries" (
    "kind" TEXT NOT NULL,
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "directory_entries_pkey" PRIMARY KEY ("kind","id")
);

-- CreateTable
CREATE TABLE "audit_entries" (
    "id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "user_id" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "project_id" UUID,
    "reason" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "error" TEXT,
    "batch_id" UUID,

    CONSTRAINT "audit_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_events" (
    "seq" BIGSERIAL NOT NULL,
    "id" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,

    CONSTRAINT "outbox_events_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "processed_events" (
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_events_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateIndex
CREATE INDEX "project_lifecycles_updated_at_project_id_idx" ON "project_lifecycles"("updated_at", "project_id");

-- CreateIndex
CREATE INDEX "project_lifecycles_deadline_project_id_idx" ON "project_lifecycles"("deadline", "project_id");

-- CreateIndex
CREATE INDEX "project_lifecycles_parked_since_project_id_idx" ON "project_lifecycles"("parked_since", "project_id");

-- CreateIndex
CREATE INDEX "project_lifecycles_stage_updated_at_idx" ON "project_lifecycles"("stage", "updated_at");

-- CreateIndex
CREATE INDEX "project_lifecycles_sub_district_id_updated_at_idx" ON "project_lifecycles"("sub_district_id", "updated_at");

-- CreateIndex
CREATE INDEX "project_lifecycles_community_id_updated_at_idx" ON "project_lifecycles"("community_id", "updated_at");

-- CreateIndex
CREATE INDEX "project_lifecycles_organization_id_updated_at_idx" ON "project_lifecycles"("organization_id", "updated_at");

-- CreateIndex
CREATE INDEX "project_lifecycles_waiting_on_updated_at_idx" ON "project_lifecycles"("waiting_on", "updated_at");

-- CreateIndex
CREATE INDEX "project_lifecycles_needs_attention_updated_at_idx" ON "project_lifecycles"("needs_attention", "updated_at");

-- CreateIndex
CREATE INDEX "project_lifecycles_fiscal_year_sub_district_id_community_id_idx" ON "project_lifecycles"("fiscal_year", "sub_district_id", "community_id");

-- CreateIndex
CREATE INDEX "project_events_project_id_occurred_at_idx" ON "project_events"("project_id", "occurred_at");

-- CreateIndex
CREATE INDEX "project_events_project_id_type_idx" ON "project_events"("project_id", "type");

-- CreateIndex
CREATE INDEX "project_supervisors_agency_id_idx" ON "project_supervisors"("agency_id");

-- CreateIndex
CREATE INDEX "community_funds_sub_district_id_fiscal_year_idx" ON "community_funds"("sub_district_id", "fiscal_year");

-- CreateIndex
CREATE INDEX "community_funds_community_id_fiscal_year_idx" ON "community_funds"("community_id", "fiscal_year");

-- CreateIndex
CREATE INDEX "audit_entries_project_id_at_idx" ON "audit_entries"("project_id", "at");

-- CreateIndex
CREATE INDEX "audit_entries_at_id_idx" ON "audit_entries"("at", "id");

-- CreateIndex
CREATE INDEX "audit_entries_batch_id_idx" ON "audit_entries"("batch_id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_events_id_key" ON "outbox_events"("id");

-- CreateIndex
CREATE INDEX "outbox_events_published_at_seq_idx" ON "outbox_events"("published_at", "seq");
