-- CreateTable
CREATE TABLE "contract_terminations" (
    "id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "delivered_permille" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "contract_amount_fen" BIGINT NOT NULL,
    "delivered_value_fen" BIGINT NOT NULL,
    "paid_before_fen" BIGINT NOT NULL,
    "owed_fen" BIGINT NOT NULL,
    "released_fen" BIGINT NOT NULL,
    "cancelled_tranches" TEXT[],
    "settlement_tranche_id" UUID,
    "terminated_by" JSONB NOT NULL,
    "terminated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "contract_terminations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "contract_terminations_contract_id_key" ON "contract_terminations"("contract_id");
