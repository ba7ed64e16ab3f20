-- node.metadata's string values of each stream, so a fleet selector change can tell which connected
-- proxies (on any replica) it would take from other fleets (#16 item 11).
ALTER TABLE "proxy_connection" ADD COLUMN "node_metadata" JSONB NOT NULL DEFAULT '{}';
