-- The state of each stream's types (deriveProxyState of that stream alone, never DISCONNECTED), written
-- by the status writer, so GET /proxies can filter, sort and count by state in SQL at 10,000 proxies
-- (#13 item 5). Rows written before this migration get the same rules here, once.
ALTER TABLE "proxy_connection" ADD COLUMN "state" TEXT NOT NULL DEFAULT 'NOT_SENT';

UPDATE "proxy_connection" p SET "state" = coalesce((
  SELECT CASE max(CASE
           WHEN t.value->>'nonceSent' IS NULL THEN 0
           WHEN jsonb_typeof(t.value->'lastNack') = 'object'
                AND ((t.value->'lastNack'->>'nonce') = (t.value->>'nonceSent') OR coalesce((t.value->>'rejectedCount')::int, 0) > 0) THEN 3
           WHEN (t.value->>'nonceAcked') = (t.value->>'nonceSent') THEN 1
           ELSE 2 END)
         WHEN 3 THEN 'NACKED' WHEN 2 THEN 'STALE' WHEN 1 THEN 'SYNCED' ELSE 'NOT_SENT' END
    FROM jsonb_each(p."types") t), 'NOT_SENT')
 WHERE jsonb_typeof(p."types") = 'object';
