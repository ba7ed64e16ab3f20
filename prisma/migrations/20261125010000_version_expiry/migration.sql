-- Expiring changes (#12 item 4): a version committed with a time limit; when it is reached and the
-- version is still active, Legation rolls back to its parent. settled_at is set once, by the replica
-- that claims the row (outcome: rolled-back, or superseded when another version replaced it first).
CREATE TABLE "version_expiry" (
    "version_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "settled_at" TIMESTAMPTZ(3),
    "outcome" TEXT,
    "restored_by" INTEGER,

    CONSTRAINT "version_expiry_pkey" PRIMARY KEY ("version_id"),
    CONSTRAINT "version_expiry_outcome_check" CHECK ("outcome" IS NULL OR "outcome" IN ('rolled-back', 'superseded'))
);

CREATE INDEX "version_expiry_due_idx" ON "version_expiry"("expires_at") WHERE "settled_at" IS NULL;

ALTER TABLE "version_expiry" ADD CONSTRAINT "version_expiry_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "version"("id") ON DELETE CASCADE ON UPDATE CASCADE;
