-- A proxy's identical events within a minute are one row that counts them (issue #16 item 9: a NACK
-- flood had written 50,000 rows); last_at is the time of the latest. Rows written before keep 1.
ALTER TABLE "proxy_event" ADD COLUMN "repeat_count" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN "last_at" TIMESTAMPTZ(3);

-- The activity feed reads NACKs and connection events separately, newest first (issue #11 item 7).
CREATE INDEX "proxy_event_kind_id_idx" ON "proxy_event"("kind", "id");
