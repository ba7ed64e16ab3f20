-- The convergence of a version that is no longer active, computed once from its version_rollout rows
-- (they stop arriving when it is superseded) so the versions list does not aggregate every proxy of
-- every version on each request. A row written later for that version deletes its summary.
CREATE TABLE "version_rollout_summary" (
    "version_id" UUID NOT NULL,
    "summary" JSONB NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "version_rollout_summary_pkey" PRIMARY KEY ("version_id")
);

ALTER TABLE "version_rollout_summary" ADD CONSTRAINT "version_rollout_summary_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "version"("id") ON DELETE CASCADE ON UPDATE CASCADE;
