-- CreateTable
CREATE TABLE "version_xds" (
    "version_id" UUID NOT NULL,
    "type_versions" JSONB NOT NULL,
    "built_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "version_xds_pkey" PRIMARY KEY ("version_id")
);

-- CreateTable
CREATE TABLE "proxy_connection" (
    "id" UUID NOT NULL,
    "replica_id" TEXT NOT NULL,
    "node_id" TEXT NOT NULL,
    "node_cluster" TEXT NOT NULL,
    "fleet" TEXT,
    "peer" TEXT NOT NULL,
    "user_agent_name" TEXT NOT NULL,
    "user_agent_version" TEXT NOT NULL,
    "stream" TEXT NOT NULL,
    "connected_at" TIMESTAMPTZ(3) NOT NULL,
    "disconnected_at" TIMESTAMPTZ(3),
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "close_reason" TEXT,
    "types" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "proxy_connection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "proxy_connection_node_id_connected_at_idx" ON "proxy_connection"("node_id", "connected_at");

-- CreateIndex
CREATE INDEX "proxy_connection_fleet_disconnected_at_idx" ON "proxy_connection"("fleet", "disconnected_at");

-- AddForeignKey
ALTER TABLE "version_xds" ADD CONSTRAINT "version_xds_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "version"("id") ON DELETE CASCADE ON UPDATE CASCADE;
