-- CreateTable
CREATE TABLE "proxy_event" (
    "id" BIGSERIAL NOT NULL,
    "connection_id" UUID NOT NULL,
    "node_id" TEXT NOT NULL,
    "fleet" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "kind" TEXT NOT NULL,
    "type_url" TEXT,
    "version" TEXT,
    "nonce" TEXT,
    "from_version" INTEGER,
    "message" TEXT,

    CONSTRAINT "proxy_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "proxy_event_node_id_id_idx" ON "proxy_event"("node_id", "id");

-- CreateIndex
CREATE INDEX "proxy_event_fleet_id_idx" ON "proxy_event"("fleet", "id");

-- CreateIndex
CREATE INDEX "proxy_event_at_idx" ON "proxy_event"("at");
