-- AlterTable
ALTER TABLE "sub_districts" ADD COLUMN     "price_margin_percent" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "price_margin_updated_at" TIMESTAMPTZ(3),
ADD COLUMN     "price_margin_updated_by" JSONB;

-- CreateTable
CREATE TABLE "communities" (
    "id" UUID NOT NULL,
    "sub_district_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "area" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" JSONB NOT NULL,

    CONSTRAINT "communities_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_funds" (
    "id" UUID NOT NULL,
    "sub_district_id" UUID NOT NULL,
    "community_id" UUID,
    "holder_id" UUID NOT NULL,
    "fiscal_year" INTEGER NOT NULL,
    "allocated_fen" BIGINT NOT NULL DEFAULT 0,
    "committed_fen" BIGINT NOT NULL DEFAULT 0,
    "spent_fen" BIGINT NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" JSONB NOT NULL,

    CONSTRAINT "service_funds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fund_movements" (
    "id" UUID NOT NULL,
    "fund_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "project_id" UUID,
    "tranche_id" UUID,
    "note" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "by" JSONB NOT NULL,

    CONSTRAINT "fund_movements_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fund_commitments" (
    "proposal_id" UUID NOT NULL,
    "fund_id" UUID NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "paid_fen" BIGINT NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fund_commitments_pkey" PRIMARY KEY ("proposal_id")
);

-- CreateTable
CREATE TABLE "resident_meetings" (
    "id" UUID NOT NULL,
    "community_id" UUID NOT NULL,
    "sub_district_id" UUID NOT NULL,
    "held_on" DATE NOT NULL,
    "attendance" INTEGER NOT NULL,
    "minutes" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" JSONB NOT NULL,

    CONSTRAINT "resident_meetings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "wishes" (
    "id" UUID NOT NULL,
    "meeting_id" UUID NOT NULL,
    "community_id" UUID NOT NULL,
    "sub_district_id" UUID NOT NULL,
    "held_on" DATE NOT NULL,
    "category" TEXT NOT NULL,
    "target_group" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "votes" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" JSONB NOT NULL,

    CONSTRAINT "wishes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fairs" (
    "id" UUID NOT NULL,
    "sub_district_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "venue" TEXT NOT NULL,
    "held_on" DATE NOT NULL,
    "description" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" JSONB NOT NULL,

    CONSTRAINT "fairs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fair_stalls" (
    "id" UUID NOT NULL,
    "fair_id" UUID NOT NULL,
    "offering_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "booth" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" JSONB NOT NULL,

    CONSTRAINT "fair_stalls_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shortlist_entries" (
    "id" UUID NOT NULL,
    "fair_id" UUID NOT NULL,
    "stall_id" UUID NOT NULL,
    "offering_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "community_id" UUID NOT NULL,
    "sub_district_id" UUID NOT NULL,
    "note" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" JSONB NOT NULL,

    CONSTRAINT "shortlist_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "directory_organizations" (
    "id" UUID NOT NULL,
    "name" TEXT,
    "credit_code" TEXT,
    "credit_status" TEXT NOT NULL,
    "credit_reason" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "directory_organizations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "directory_offerings" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "target_groups" TEXT[],
    "price_min_fen" BIGINT NOT NULL,
    "price_max_fen" BIGINT NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "directory_offerings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reference_prices" (
    "sub_district_id" UUID NOT NULL,
    "item_kind" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "price_fen" BIGINT NOT NULL,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" JSONB NOT NULL,

    CONSTRAINT "reference_prices_pkey" PRIMARY KEY ("sub_district_id","item_kind")
);

-- CreateTable
CREATE TABLE "proposals" (
    "id" UUID NOT NULL,
    "level" TEXT NOT NULL,
    "sub_district_id" UUID NOT NULL,
    "community_id" UUID,
    "organization_id" UUID NOT NULL,
    "offering_id" UUID,
    "title" TEXT NOT NULL,
    "fiscal_year" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "current_gate" TEXT,
    "current_version" INTEGER NOT NULL,
    "review_version" INTEGER,
    "grand_total_fen" BIGINT NOT NULL,
    "open_flag_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" JSONB NOT NULL,
    "submitted_at" TIMESTAMPTZ(3),
    "submitted_by" JSONB,
    "approved_at" TIMESTAMPTZ(3),

    CONSTRAINT "proposals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "proposal_versions" (
    "proposal_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "fiscal_year" INTEGER NOT NULL,
    "summary" TEXT NOT NULL,
    "offering_id" UUID,
    "organization_id" UUID NOT NULL,
    "activities" JSONB NOT NULL,
    "item_lines" JSONB NOT NULL,
    "staff_lines" JSONB NOT NULL,
    "item_total_fen" BIGINT NOT NULL,
    "staff_total_fen" BIGINT NOT NULL,
    "grand_total_fen" BIGINT NOT NULL,
    "frozen_at" TIMESTAMPTZ(3),
    "frozen_by" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by" JSONB NOT NULL,

    CONSTRAINT "proposal_versions_pkey" PRIMARY KEY ("proposal_id","version")
);

-- CreateTable
CREATE TABLE "flag_acceptances" (
    "proposal_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "line_key" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "accepted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "accepted_by" JSONB NOT NULL,

    CONSTRAINT "flag_acceptances_pkey" PRIMARY KEY ("proposal_id","version","line_key")
);

-- CreateTable
CREATE TABLE "review_decisions" (
    "id" TEXT NOT NULL,
    "proposal_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "gate" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "reasons" TEXT NOT NULL,
    "minutes_ref" TEXT,
    "decided_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_by" JSONB NOT NULL,

    CONSTRAINT "review_decisions_pkey" PRIMARY KEY ("proposal_id","id")
);

-- CreateIndex
CREATE INDEX "communities_sub_district_id_created_at_id_idx" ON "communities"("sub_district_id", "created_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "communities_sub_district_id_name_key" ON "communities"("sub_district_id", "name");

-- CreateIndex
CREATE INDEX "service_funds_sub_district_id_fiscal_year_idx" ON "service_funds"("sub_district_id", "fiscal_year");

-- CreateIndex
CREATE INDEX "service_funds_created_at_id_idx" ON "service_funds"("created_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "service_funds_holder_id_fiscal_year_key" ON "service_funds"("holder_id", "fiscal_year");

-- CreateIndex
CREATE UNIQUE INDEX "fund_movements_tranche_id_key" ON "fund_movements"("tranche_id");

-- CreateIndex
CREATE INDEX "fund_movements_fund_id_at_idx" ON "fund_movements"("fund_id", "at");

-- CreateIndex
CREATE INDEX "fund_commitments_fund_id_idx" ON "fund_commitments"("fund_id");

-- CreateIndex
CREATE INDEX "resident_meetings_community_id_created_at_id_idx" ON "resident_meetings"("community_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "wishes_sub_district_id_community_id_idx" ON "wishes"("sub_district_id", "community_id");

-- CreateIndex
CREATE INDEX "wishes_created_at_id_idx" ON "wishes"("created_at", "id");

-- CreateIndex
CREATE INDEX "fairs_sub_district_id_created_at_id_idx" ON "fairs"("sub_district_id", "created_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "fair_stalls_fair_id_offering_id_key" ON "fair_stalls"("fair_id", "offering_id");

-- CreateIndex
CREATE INDEX "shortlist_entries_fair_id_created_at_id_idx" ON "shortlist_entries"("fair_id", "created_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "shortlist_entries_stall_id_community_id_key" ON "shortlist_entries"("stall_id", "community_id");

-- CreateIndex
CREATE INDEX "directory_organizations_created_at_id_idx" ON "directory_organizations"("created_at", "id");

-- CreateIndex
CREATE INDEX "directory_offerings_organization_id_idx" ON "directory_offerings"("organization_id");

-- CreateIndex
CREATE INDEX "directory_offerings_published_at_id_idx" ON "directory_offerings"("published_at", "id");

-- CreateIndex
CREATE INDEX "proposals_sub_district_id_status_idx" ON "proposals"("sub_district_id", "status");

-- CreateIndex
CREATE INDEX "proposals_community_id_idx" ON "proposals"("community_id");

-- CreateIndex
CREATE INDEX "proposals_organization_id_idx" ON "proposals"("organization_id");

-- CreateIndex
CREATE INDEX "proposals_created_at_id_idx" ON "proposals"("created_at", "id");

-- CreateIndex
CREATE INDEX "review_decisions_proposal_id_decided_at_idx" ON "review_decisions"("proposal_id", "decided_at");

-- AddForeignKey
ALTER TABLE "communities" ADD CONSTRAINT "communities_sub_district_id_fkey" FOREIGN KEY ("sub_district_id") REFERENCES "sub_districts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fund_movements" ADD CONSTRAINT "fund_movements_fund_id_fkey" FOREIGN KEY ("fund_id") REFERENCES "service_funds"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fund_commitments" ADD CONSTRAINT "fund_commitments_fund_id_fkey" FOREIGN KEY ("fund_id") REFERENCES "service_funds"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "wishes" ADD CONSTRAINT "wishes_meeting_id_fkey" FOREIGN KEY ("meeting_id") REFERENCES "resident_meetings"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fair_stalls" ADD CONSTRAINT "fair_stalls_fair_id_fkey" FOREIGN KEY ("fair_id") REFERENCES "fairs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shortlist_entries" ADD CONSTRAINT "shortlist_entries_stall_id_fkey" FOREIGN KEY ("stall_id") REFERENCES "fair_stalls"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "proposal_versions" ADD CONSTRAINT "proposal_versions_proposal_id_fkey" FOREIGN KEY ("proposal_id") REFERENCES "proposals"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flag_acceptances" ADD CONSTRAINT "flag_acceptances_proposal_id_version_fkey" FOREIGN KEY ("proposal_id", "version") REFERENCES "proposal_versions"("proposal_id", "version") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_decisions" ADD CONSTRAINT "review_decisions_proposal_id_fkey" FOREIGN KEY ("proposal_id") REFERENCES "proposals"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
