-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "organizations" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "credit_code" TEXT NOT NULL,
    "registration_type" TEXT NOT NULL,
    "registered_with" TEXT NOT NULL,
    "address" TEXT,
    "description" TEXT,
    "credit_status" TEXT NOT NULL DEFAULT 'good',
    "credit_reason" TEXT,
    "credit_changed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by" JSONB NOT NULL,

    CONSTRAINT "organizations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "annual_inspections" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "year" INTEGER NOT NULL,
    "result" TEXT NOT NULL,
    "remarks" TEXT,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_by" JSONB NOT NULL,

    CONSTRAINT "annual_inspections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "credit_changes" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "from_status" TEXT NOT NULL,
    "to_status" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL,
    "changed_by" JSONB NOT NULL,

    CONSTRAINT "credit_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "offerings" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "category" TEXT NOT NULL,
    "target_groups" TEXT[],
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "price_min_fen" BIGINT NOT NULL,
    "price_max_fen" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by" JSONB NOT NULL,

    CONSTRAINT "offerings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "staff_members" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "certificate" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by" JSONB NOT NULL,

    CONSTRAINT "staff_members_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "project_assignments" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "staff_id" UUID NOT NULL,
    "project_role" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),
    "via_change_id" UUID,
    "created_by" JSONB NOT NULL,

    CONSTRAINT "project_assignments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "staff_changes" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "sub_district_id" UUID NOT NULL,
    "out_staff_id" UUID NOT NULL,
    "in_staff_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "requested_by" JSONB NOT NULL,
    "decided_at" TIMESTAMPTZ(3),
    "decided_by" JSONB,
    "decision_reason" TEXT,

    CONSTRAINT "staff_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tenders" (
    "id" UUID NOT NULL,
    "sub_district_id" UUID NOT NULL,
    "community_id" UUID,
    "project_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "budget_ceiling_fen" BIGINT NOT NULL,
    "minimum_bids" INTEGER NOT NULL,
    "documents" JSONB NOT NULL,
    "criteria" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "round" INTEGER NOT NULL DEFAULT 1,
    "enquiry_deadline" TIMESTAMPTZ(3) NOT NULL,
    "bid_deadline" TIMESTAMPTZ(3) NOT NULL,
    "opening_at" TIMESTAMPTZ(3) NOT NULL,
    "awarded_bid_id" UUID,
    "award_score" DOUBLE PRECISION,
    "awarded_at" TIMESTAMPTZ(3),
    "awarded_by" JSONB,
    "standstill_ends_at" TIMESTAMPTZ(3),
    "cancel_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by" JSONB NOT NULL,

    CONSTRAINT "tenders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tender_rounds" (
    "tender_id" UUID NOT NULL,
    "round" INTEGER NOT NULL,
    "enquiry_deadline" TIMESTAMPTZ(3) NOT NULL,
    "bid_deadline" TIMESTAMPTZ(3) NOT NULL,
    "opening_at" TIMESTAMPTZ(3) NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL,
    "published_by" JSONB NOT NULL,
    "outcome" TEXT NOT NULL DEFAULT 'pending',
    "bid_count" INTEGER,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "tender_rounds_pkey" PRIMARY KEY ("tender_id","round")
);

-- CreateTable
CREATE TABLE "bids" (
    "id" UUID NOT NULL,
    "tender_id" UUID NOT NULL,
    "round" INTEGER NOT NULL,
    "organization_id" UUID NOT NULL,
    "price_fen" BIGINT NOT NULL,
    "technical_proposal" TEXT NOT NULL,
    "staff_plan" JSONB NOT NULL,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL,
    "submitted_by" JSONB NOT NULL,

    CONSTRAINT "bids_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "score_sheets" (
    "bid_id" UUID NOT NULL,
    "scorer_user_id" TEXT NOT NULL,
    "scorer" JSONB NOT NULL,
    "scores" JSONB NOT NULL,
    "total" DOUBLE PRECISION NOT NULL,
    "comment" TEXT,
    "scored_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "score_sheets_pkey" PRIMARY KEY ("bid_id","scorer_user_id")
);

-- CreateTable
CREATE TABLE "objections" (
    "id" UUID NOT NULL,
    "tender_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "grounds" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "lodged_at" TIMESTAMPTZ(3) NOT NULL,
    "lodged_by" JSONB NOT NULL,
    "answer" TEXT,
    "answered_at" TIMESTAMPTZ(3),
    "answered_by" JSONB,

    CONSTRAINT "objections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "purchase_contracts" (
    "id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "sub_district_id" UUID NOT NULL,
    "community_id" UUID,
    "level" TEXT NOT NULL,
    "tender_id" UUID,
    "bid_id" UUID,
    "amount_fen" BIGINT NOT NULL,
    "starts_on" DATE NOT NULL,
    "ends_on" DATE NOT NULL,
    "signed_at" TIMESTAMPTZ(3) NOT NULL,
    "signed_by" JSONB NOT NULL,

    CONSTRAINT "purchase_contracts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "evaluation_records" (
    "id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "grade" TEXT NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "evaluated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "evaluation_records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "finding_records" (
    "id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "severity" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "rectify_by" DATE NOT NULL,
    "raised_at" TIMESTAMPTZ(3) NOT NULL,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "finding_records_pkey" PRIMARY KEY ("id")
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
CREATE UNIQUE INDEX "organizations_name_key" ON "organizations"("name");

-- CreateIndex
CREATE UNIQUE INDEX "organizations_credit_code_key" ON "organizations"("credit_code");

-- CreateIndex
CREATE INDEX "organizations_created_at_id_idx" ON "organizations"("created_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "annual_inspections_organization_id_year_key" ON "annual_inspections"("organization_id", "year");

-- CreateIndex
CREATE INDEX "credit_changes_organization_id_changed_at_idx" ON "credit_changes"("organization_id", "changed_at");

-- CreateIndex
CREATE INDEX "offerings_created_at_id_idx" ON "offerings"("created_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "offerings_organization_id_title_key" ON "offerings"("organization_id", "title");

-- CreateIndex
CREATE INDEX "staff_members_organization_id_created_at_id_idx" ON "staff_members"("organization_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "project_assignments_project_id_organization_id_idx" ON "project_assignments"("project_id", "organization_id");

-- CreateIndex
CREATE INDEX "staff_changes_requested_at_id_idx" ON "staff_changes"("requested_at", "id");

-- CreateIndex
CREATE INDEX "staff_changes_project_id_organization_id_idx" ON "staff_changes"("project_id", "organization_id");

-- CreateIndex
CREATE INDEX "tenders_created_at_id_idx" ON "tenders"("created_at", "id");

-- CreateIndex
CREATE INDEX "tenders_project_id_idx" ON "tenders"("project_id");

-- CreateIndex
CREATE INDEX "bids_tender_id_round_submitted_at_id_idx" ON "bids"("tender_id", "round", "submitted_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "bids_tender_id_round_organization_id_key" ON "bids"("tender_id", "round", "organization_id");

-- CreateIndex
CREATE INDEX "objections_tender_id_lodged_at_idx" ON "objections"("tender_id", "lodged_at");

-- CreateIndex
CREATE UNIQUE INDEX "purchase_contracts_project_id_key" ON "purchase_contracts"("project_id");

-- CreateIndex
CREATE INDEX "purchase_contracts_signed_at_id_idx" ON "purchase_contracts"("signed_at", "id");

-- CreateIndex
CREATE INDEX "purchase_contracts_organization_id_idx" ON "purchase_contracts"("organization_id");

-- CreateIndex
CREATE INDEX "evaluation_records_organization_id_idx" ON "evaluation_records"("organization_id");

-- CreateIndex
CREATE INDEX "finding_records_organization_id_idx" ON "finding_records"("organization_id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_events_id_key" ON "outbox_events"("id");

-- CreateIndex
CREATE INDEX "outbox_events_published_at_seq_idx" ON "outbox_events"("published_at", "seq");

-- AddForeignKey
ALTER TABLE "annual_inspections" ADD CONSTRAINT "annual_inspections_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "credit_changes" ADD CONSTRAINT "credit_changes_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offerings" ADD CONSTRAINT "offerings_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "staff_members" ADD CONSTRAINT "staff_members_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "project_assignments" ADD CONSTRAINT "project_assignments_staff_id_fkey" FOREIGN KEY ("staff_id") REFERENCES "staff_members"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tender_rounds" ADD CONSTRAINT "tender_rounds_tender_id_fkey" FOREIGN KEY ("tender_id") REFERENCES "tenders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bids" ADD CONSTRAINT "bids_tender_id_fkey" FOREIGN KEY ("tender_id") REFERENCES "tenders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "score_sheets" ADD CONSTRAINT "score_sheets_bid_id_fkey" FOREIGN KEY ("bid_id") REFERENCES "bids"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "objections" ADD CONSTRAINT "objections_tender_id_fkey" FOREIGN KEY ("tender_id") REFERENCES "tenders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
