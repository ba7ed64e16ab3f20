-- Staged rollouts (#12 item 3): a version committed to a rollout is served to the proxies its
-- current stage takes, the fleet's active version to everyone else, until the last stage completes
-- (the version becomes active) or the rollout is aborted. One open rollout per fleet; one replica
-- drives the stages under an advisory lock, every replica serves from these rows.
CREATE TABLE "rollout" (
    "id" UUID NOT NULL,
    "fleet_id" UUID NOT NULL,
    "from_version_id" UUID,
    "to_version_id" UUID NOT NULL,
    "stages" JSONB NOT NULL,
    "state" TEXT NOT NULL,
    "stage" INTEGER NOT NULL DEFAULT 0,
    "stage_started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reason" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "rollout_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "rollout_state_check" CHECK ("state" IN ('running', 'paused', 'waiting', 'halted', 'completed', 'aborted'))
);

CREATE UNIQUE INDEX "rollout_one_open_per_fleet" ON "rollout"("fleet_id") WHERE "state" IN ('running', 'paused', 'waiting', 'halted');
CREATE INDEX "rollout_fleet_created_idx" ON "rollout"("fleet_id", "created_at");

ALTER TABLE "rollout" ADD CONSTRAINT "rollout_fleet_id_fkey" FOREIGN KEY ("fleet_id") REFERENCES "fleet"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "rollout" ADD CONSTRAINT "rollout_from_version_id_fkey" FOREIGN KEY ("from_version_id") REFERENCES "version"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "rollout" ADD CONSTRAINT "rollout_to_version_id_fkey" FOREIGN KEY ("to_version_id") REFERENCES "version"("id") ON DELETE CASCADE ON UPDATE CASCADE;
