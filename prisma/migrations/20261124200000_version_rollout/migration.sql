-- What each proxy did with each version, recorded when it happened (issue #11 item 3): reached it
-- (every subscribed type ACKed on that version's snapshot) or rejected it (a NACK of a response
-- built from it). The versions list and the rollout view read these rows instead of recomputing
-- convergence from the proxies connected now.
CREATE TABLE "version_rollout" (
    "version_id" UUID NOT NULL,
    "node_id" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "since_commit_ms" INTEGER NOT NULL,
    "connected_before" BOOLEAN NOT NULL,
    "type_url" TEXT,
    "message" TEXT,

    CONSTRAINT "version_rollout_pkey" PRIMARY KEY ("version_id", "node_id"),
    CONSTRAINT "version_rollout_outcome_check" CHECK ("outcome" IN ('reached', 'rejected'))
);

-- "the last version this proxy accepted"
CREATE INDEX "version_rollout_node_id_idx" ON "version_rollout"("node_id", "outcome");

ALTER TABLE "version_rollout" ADD CONSTRAINT "version_rollout_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "version"("id") ON DELETE CASCADE ON UPDATE CASCADE;
