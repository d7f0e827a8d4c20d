-- CreateIndex
CREATE INDEX "wishes_meeting_id_position_idx" ON "wishes"("meeting_id", "position");
