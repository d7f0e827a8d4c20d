-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "payment_plans" (
    "id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "sub_district_id" UUID NOT NULL,
    "community_id" UUID,
    "level" TEXT NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3),
    "updated_by" JSONB,

    CONSTRAINT "payment_plans_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tranches" (
    "id" UUID NOT NULL,
    "plan_id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "sub_district_id" UUID NOT NULL,
    "community_id" UUID,
    "kind" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "percent" INTEGER NOT NULL,
    "condition_code" TEXT NOT NULL,
    "condition_text" TEXT NOT NULL,
    "planned_amount_fen" BIGINT NOT NULL,
    "payable_fen" BIGINT,
    "reduction_fen" BIGINT,
    "grade" TEXT,
    "paid_amount_fen" BIGINT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 0,
    "paid_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tranches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "disbursements" (
    "id" UUID NOT NULL,
    "tranche_id" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "request_key" TEXT NOT NULL,
    "requested_by" JSONB NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "approved_by" JSONB,
    "approved_at" TIMESTAMPTZ(3),
    "transfer_key" TEXT,
    "transfer_reference" TEXT,
    "paid_tranche_id" UUID,
    "paid_at" TIMESTAMPTZ(3),
    "failed_at" TIMESTAMPTZ(3),
    "failure_reason" TEXT,

    CONSTRAINT "disbursements_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_entries" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "account_type" TEXT NOT NULL,
    "account_id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "fund_kind" TEXT NOT NULL,
    "fund_id" UUID NOT NULL,
    "sub_district_id" UUID NOT NULL,
    "community_id" UUID,
    "organization_id" UUID NOT NULL,
    "entry_type" TEXT NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "reference" TEXT NOT NULL,
    "tranche_id" UUID,
    "description" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" JSONB NOT NULL,

    CONSTRAINT "ledger_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_records" (
    "operation" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "target_id" UUID,
    "status_code" INTEGER,
    "response_body" JSONB,
    "created_by" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "idempotency_records_pkey" PRIMARY KEY ("operation","key")
);

-- CreateTable
CREATE TABLE "contract_freezes" (
    "id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "finding_id" UUID,
    "active_manual_contract_id" UUID,
    "reason" TEXT NOT NULL,
    "frozen_by" JSONB NOT NULL,
    "frozen_at" TIMESTAMPTZ(3) NOT NULL,
    "lifted_at" TIMESTAMPTZ(3),
    "lifted_by" JSONB,
    "lift_reason" TEXT,

    CONSTRAINT "contract_freezes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contract_evaluations" (
    "evaluation_id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "grade" TEXT NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "evaluated_at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contract_evaluations_pkey" PRIMARY KEY ("evaluation_id")
);

-- CreateTable
CREATE TABLE "contract_agencies" (
    "contract_id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "agency_id" UUID NOT NULL,
    "assigned_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "contract_agencies_pkey" PRIMARY KEY ("contract_id")
);

-- CreateTable
CREATE TABLE "simulated_treasury_transfers" (
    "key" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "tranche_id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "payee_organization_id" UUID NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "memo" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "simulated_treasury_transfers_pkey" PRIMARY KEY ("key")
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
CREATE UNIQUE INDEX "payment_plans_contract_id_key" ON "payment_plans"("contract_id");

-- CreateIndex
CREATE INDEX "payment_plans_created_at_id_idx" ON "payment_plans"("created_at", "id");

-- CreateIndex
CREATE INDEX "payment_plans_project_id_idx" ON "payment_plans"("project_id");

-- CreateIndex
CREATE INDEX "payment_plans_sub_district_id_idx" ON "payment_plans"("sub_district_id");

-- CreateIndex
CREATE INDEX "payment_plans_community_id_idx" ON "payment_plans"("community_id");

-- CreateIndex
CREATE INDEX "payment_plans_organization_id_idx" ON "payment_plans"("organization_id");

-- CreateIndex
CREATE INDEX "tranches_created_at_id_idx" ON "tranches"("created_at", "id");

-- CreateIndex
CREATE INDEX "tranches_status_idx" ON "tranches"("status");

-- CreateIndex
CREATE INDEX "tranches_project_id_idx" ON "tranches"("project_id");

-- CreateIndex
CREATE INDEX "tranches_sub_district_id_idx" ON "tranches"("sub_district_id");

-- CreateIndex
CREATE INDEX "tranches_community_id_idx" ON "tranches"("community_id");

-- CreateIndex
CREATE INDEX "tranches_organization_id_idx" ON "tranches"("organization_id");

-- CreateIndex
CREATE UNIQUE INDEX "tranches_contract_id_kind_key" ON "tranches"("contract_id", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "tranches_plan_id_position_key" ON "tranches"("plan_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "disbursements_transfer_key_key" ON "disbursements"("transfer_key");

-- CreateIndex
CREATE UNIQUE INDEX "disbursements_paid_tranche_id_key" ON "disbursements"("paid_tranche_id");

-- CreateIndex
CREATE INDEX "disbursements_status_idx" ON "disbursements"("status");

-- CreateIndex
CREATE UNIQUE INDEX "disbursements_tranche_id_attempt_key" ON "disbursements"("tranche_id", "attempt");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_entries_seq_key" ON "ledger_entries"("seq");

-- CreateIndex
CREATE INDEX "ledger_entries_account_type_account_id_created_at_seq_idx" ON "ledger_entries"("account_type", "account_id", "created_at", "seq");

-- CreateIndex
CREATE INDEX "ledger_entries_contract_id_idx" ON "ledger_entries"("contract_id");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_entries_account_type_account_id_entry_type_reference_key" ON "ledger_entries"("account_type", "account_id", "entry_type", "reference");

-- CreateIndex
CREATE INDEX "idempotency_records_target_id_idx" ON "idempotency_records"("target_id");

-- CreateIndex
CREATE UNIQUE INDEX "contract_freezes_finding_id_key" ON "contract_freezes"("finding_id");

-- CreateIndex
CREATE UNIQUE INDEX "contract_freezes_active_manual_contract_id_key" ON "contract_freezes"("active_manual_contract_id");

-- CreateIndex
CREATE INDEX "contract_freezes_contract_id_lifted_at_idx" ON "contract_freezes"("contract_id", "lifted_at");

-- CreateIndex
CREATE INDEX "contract_evaluations_contract_id_kind_evaluated_at_idx" ON "contract_evaluations"("contract_id", "kind", "evaluated_at");

-- CreateIndex
CREATE INDEX "contract_agencies_agency_id_idx" ON "contract_agencies"("agency_id");

-- CreateIndex
CREATE UNIQUE INDEX "simulated_treasury_transfers_reference_key" ON "simulated_treasury_transfers"("reference");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_events_id_key" ON "outbox_events"("id");

-- CreateIndex
CREATE INDEX "outbox_events_published_at_seq_idx" ON "outbox_events"("published_at", "seq");

-- AddForeignKey
ALTER TABLE "tranches" ADD CONSTRAINT "tranches_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "payment_plans"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "disbursements" ADD CONSTRAINT "disbursements_tranche_id_fkey" FOREIGN KEY ("tranche_id") REFERENCES "tranches"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
