-- CreateTable
CREATE TABLE "close_outs" (
    "id" UUID NOT NULL,
    "contract_id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "final_report" JSONB NOT NULL,
    "summary" TEXT NOT NULL,
    "documents" JSONB NOT NULL,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL,
    "submitted_by" JSONB NOT NULL,

    CONSTRAINT "close_outs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "close_outs_contract_id_key" ON "close_outs"("contract_id");

-- AddForeignKey
ALTER TABLE "close_outs" ADD CONSTRAINT "close_outs_contract_id_fkey" FOREIGN KEY ("contract_id") REFERENCES "contracts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
