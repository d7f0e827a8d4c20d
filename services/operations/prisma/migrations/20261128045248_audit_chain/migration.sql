-- CreateTable
CREATE TABLE "audit_entries" (
    "seq" BIGINT NOT NULL,
    "id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL,
    "project_id" UUID,
    "actor_user_id" TEXT NOT NULL,
    "actor_role" TEXT NOT NULL,
    "actor_scope" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "error" TEXT,
    "batch_id" UUID,
    "before" JSONB,
    "after" JSONB,
    "source_service" TEXT NOT NULL,
    "source_event_id" UUID NOT NULL,
    "source_type" TEXT,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_entries_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "audit_chain_head" (
    "id" INTEGER NOT NULL,
    "seq" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "audit_chain_head_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "audit_entries_id_key" ON "audit_entries"("id");

-- CreateIndex
CREATE INDEX "audit_entries_project_id_seq_idx" ON "audit_entries"("project_id", "seq");

-- CreateIndex
CREATE INDEX "audit_entries_actor_user_id_seq_idx" ON "audit_entries"("actor_user_id", "seq");

-- CreateIndex
CREATE INDEX "audit_entries_action_seq_idx" ON "audit_entries"("action", "seq");

-- CreateIndex
CREATE INDEX "audit_entries_at_idx" ON "audit_entries"("at");

-- CreateIndex
CREATE INDEX "audit_entries_batch_id_idx" ON "audit_entries"("batch_id");

-- CreateIndex
CREATE UNIQUE INDEX "audit_entries_source_service_source_event_id_key" ON "audit_entries"("source_service", "source_event_id");
