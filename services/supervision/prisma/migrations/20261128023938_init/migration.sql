-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "agencies" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "contact_name" TEXT NOT NULL,
    "contact_phone" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" JSONB NOT NULL,

    CONSTRAINT "agencies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "projects" (
    "id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "fiscal_year" INTEGER NOT NULL,
    "level" TEXT NOT NULL,
    "sub_district_id" UUID NOT NULL,
    "community_id" UUID,
    "organization_id" UUID NOT NULL,
    "budget_total_fen" BIGINT NOT NULL,
    "approved_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "projects_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "planned_activities" (
    "project_id" UUID NOT NULL,
    "activity_key" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "starts_on" DATE NOT NULL,
    "ends_on" DATE NOT NULL,
    "venue" TEXT NOT NULL,
    "target_headcount" INTEGER NOT NULL,
    "target_group" TEXT NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "planned_activities_pkey" PRIMARY KEY ("project_id","activity_key")
);

-- CreateTable
CREATE TABLE "budget_lines" (
    "project_id" UUID NOT NULL,
    "line_id" TEXT NOT NULL,
    "activity_key" TEXT,
    "kind" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "budget_lines_pkey" PRIMARY KEY ("project_id","line_id")
);

-- CreateTable
CREATE TABLE "contracts" (
    "id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "sub_district_id" UUID NOT NULL,
    "community_id" UUID,
    "level" TEXT NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "starts_on" DATE NOT NULL,
    "ends_on" DATE NOT NULL,
    "signed_at" TIMESTAMPTZ(3) NOT NULL,
    "agency_id" UUID,
    "assigned_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contracts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "assignments" (
    "id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "agency_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" JSONB NOT NULL,
    "ended_at" TIMESTAMPTZ(3),

    CONSTRAINT "assignments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "activities" (
    "id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "activity_key" TEXT NOT NULL,
    "held_on" DATE NOT NULL,
    "venue" TEXT NOT NULL,
    "headcount" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "sign_in_count" INTEGER,
    "sign_in_recorded_at" TIMESTAMPTZ(3),
    "sign_in_recorded_by" JSONB,
    "verified_at" TIMESTAMPTZ(3),
    "verified_by" JSONB,
    "verification_mode" TEXT,
    "verification_note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" JSONB NOT NULL,

    CONSTRAINT "activities_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "participants" (
    "id" UUID NOT NULL,
    "activity_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "phone_ciphertext" BYTEA NOT NULL,
    "phone_key_id" TEXT NOT NULL,
    "phone_hmac" TEXT NOT NULL,
    "phone_masked" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "participants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "call_tasks" (
    "id" UUID NOT NULL,
    "activity_id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "participant_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "outcome" TEXT,
    "note" TEXT,
    "called_at" TIMESTAMPTZ(3),
    "called_by" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "call_tasks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "phone_reveals" (
    "id" UUID NOT NULL,
    "participant_id" UUID NOT NULL,
    "call_task_id" UUID NOT NULL,
    "activity_id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "agency_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" JSONB NOT NULL,

    CONSTRAINT "phone_reveals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "photos" (
    "id" UUID NOT NULL,
    "activity_id" UUID NOT NULL,
    "file_name" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "captured_at" TIMESTAMPTZ(3) NOT NULL,
    "data" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" JSONB NOT NULL,

    CONSTRAINT "photos_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invoices" (
    "id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "activity_id" UUID,
    "number" TEXT NOT NULL,
    "number_normalized" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "issued_on" DATE NOT NULL,
    "line_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" JSONB NOT NULL,

    CONSTRAINT "invoices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "findings" (
    "id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "activity_id" UUID,
    "severity" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "details" TEXT NOT NULL,
    "rectify_by" DATE NOT NULL,
    "status" TEXT NOT NULL,
    "rectification" TEXT,
    "rectified_at" TIMESTAMPTZ(3),
    "rectified_by" JSONB,
    "closing_note" TEXT,
    "closed_at" TIMESTAMPTZ(3),
    "closed_by" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" JSONB NOT NULL,

    CONSTRAINT "findings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "meeting_minutes" (
    "id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "held_on" DATE NOT NULL,
    "attendees" TEXT[],
    "notes" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" JSONB NOT NULL,

    CONSTRAINT "meeting_minutes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "survey_responses" (
    "id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "respondent_name" TEXT,
    "score" INTEGER NOT NULL,
    "comment" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" JSONB NOT NULL,

    CONSTRAINT "survey_responses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "evaluations" (
    "id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "grade" TEXT NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "sheet" JSONB NOT NULL,
    "note" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" JSONB NOT NULL,

    CONSTRAINT "evaluations_pkey" PRIMARY KEY ("id")
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
CREATE UNIQUE INDEX "agencies_name_key" ON "agencies"("name");

-- CreateIndex
CREATE INDEX "contracts_project_id_idx" ON "contracts"("project_id");

-- CreateIndex
CREATE INDEX "contracts_agency_id_idx" ON "contracts"("agency_id");

-- CreateIndex
CREATE INDEX "assignments_contract_id_created_at_idx" ON "assignments"("contract_id", "created_at");

-- CreateIndex
CREATE INDEX "activities_status_created_at_idx" ON "activities"("status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "activities_contract_id_activity_key_key" ON "activities"("contract_id", "activity_key");

-- CreateIndex
CREATE INDEX "participants_phone_hmac_idx" ON "participants"("phone_hmac");

-- CreateIndex
CREATE UNIQUE INDEX "participants_activity_id_phone_hmac_key" ON "participants"("activity_id", "phone_hmac");

-- CreateIndex
CREATE UNIQUE INDEX "call_tasks_participant_id_key" ON "call_tasks"("participant_id");

-- CreateIndex
CREATE INDEX "call_tasks_status_created_at_idx" ON "call_tasks"("status", "created_at");

-- CreateIndex
CREATE INDEX "call_tasks_activity_id_idx" ON "call_tasks"("activity_id");

-- CreateIndex
CREATE INDEX "phone_reveals_contract_id_created_at_idx" ON "phone_reveals"("contract_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "photos_activity_id_sha256_key" ON "photos"("activity_id", "sha256");

-- CreateIndex
CREATE UNIQUE INDEX "invoices_number_normalized_key" ON "invoices"("number_normalized");

-- CreateIndex
CREATE INDEX "invoices_contract_id_created_at_idx" ON "invoices"("contract_id", "created_at");

-- CreateIndex
CREATE INDEX "invoices_activity_id_idx" ON "invoices"("activity_id");

-- CreateIndex
CREATE INDEX "findings_contract_id_created_at_idx" ON "findings"("contract_id", "created_at");

-- CreateIndex
CREATE INDEX "findings_status_rectify_by_idx" ON "findings"("status", "rectify_by");

-- CreateIndex
CREATE INDEX "meeting_minutes_contract_id_created_at_idx" ON "meeting_minutes"("contract_id", "created_at");

-- CreateIndex
CREATE INDEX "survey_responses_project_id_created_at_idx" ON "survey_responses"("project_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "evaluations_contract_id_kind_key" ON "evaluations"("contract_id", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_events_id_key" ON "outbox_events"("id");

-- CreateIndex
CREATE INDEX "outbox_events_published_at_seq_idx" ON "outbox_events"("published_at", "seq");

-- AddForeignKey
ALTER TABLE "planned_activities" ADD CONSTRAINT "planned_activities_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "budget_lines" ADD CONSTRAINT "budget_lines_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_agency_id_fkey" FOREIGN KEY ("agency_id") REFERENCES "agencies"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_contract_id_fkey" FOREIGN KEY ("contract_id") REFERENCES "contracts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_agency_id_fkey" FOREIGN KEY ("agency_id") REFERENCES "agencies"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "activities" ADD CONSTRAINT "activities_contract_id_fkey" FOREIGN KEY ("contract_id") REFERENCES "contracts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "participants" ADD CONSTRAINT "participants_activity_id_fkey" FOREIGN KEY ("activity_id") REFERENCES "activities"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "call_tasks" ADD CONSTRAINT "call_tasks_activity_id_fkey" FOREIGN KEY ("activity_id") REFERENCES "activities"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "call_tasks" ADD CONSTRAINT "call_tasks_contract_id_fkey" FOREIGN KEY ("contract_id") REFERENCES "contracts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "call_tasks" ADD CONSTRAINT "call_tasks_participant_id_fkey" FOREIGN KEY ("participant_id") REFERENCES "participants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "phone_reveals" ADD CONSTRAINT "phone_reveals_participant_id_fkey" FOREIGN KEY ("participant_id") REFERENCES "participants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "photos" ADD CONSTRAINT "photos_activity_id_fkey" FOREIGN KEY ("activity_id") REFERENCES "activities"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_contract_id_fkey" FOREIGN KEY ("contract_id") REFERENCES "contracts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_activity_id_fkey" FOREIGN KEY ("activity_id") REFERENCES "activities"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "findings" ADD CONSTRAINT "findings_contract_id_fkey" FOREIGN KEY ("contract_id") REFERENCES "contracts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "meeting_minutes" ADD CONSTRAINT "meeting_minutes_contract_id_fkey" FOREIGN KEY ("contract_id") REFERENCES "contracts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_responses" ADD CONSTRAINT "survey_responses_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_contract_id_fkey" FOREIGN KEY ("contract_id") REFERENCES "contracts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
