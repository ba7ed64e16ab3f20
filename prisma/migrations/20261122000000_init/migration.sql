-- CreateEnum
CREATE TYPE "ResourceType" AS ENUM ('Listener', 'RouteConfiguration', 'Cluster', 'ClusterLoadAssignment', 'Secret');

-- CreateEnum
CREATE TYPE "VersionOrigin" AS ENUM ('COMMIT', 'ROLLBACK', 'IMPORT');

-- CreateTable
CREATE TABLE "fleet" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "draft_revision" INTEGER NOT NULL DEFAULT 0,
    "active_version_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "fleet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "draft_resource" (
    "id" UUID NOT NULL,
    "fleet_id" UUID NOT NULL,
    "type" "ResourceType" NOT NULL,
    "name" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "updated_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "draft_resource_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "resource_blob" (
    "hash" TEXT NOT NULL,
    "type" "ResourceType" NOT NULL,
    "body" TEXT NOT NULL,

    CONSTRAINT "resource_blob_pkey" PRIMARY KEY ("hash")
);

-- CreateTable
CREATE TABLE "version" (
    "id" UUID NOT NULL,
    "fleet_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "message" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "content_hash" TEXT NOT NULL,
    "resource_count" INTEGER NOT NULL,
    "parent_id" UUID,
    "origin" "VersionOrigin" NOT NULL,
    "rollback_of" INTEGER,
    "changes" JSONB NOT NULL,

    CONSTRAINT "version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "version_resource" (
    "version_id" UUID NOT NULL,
    "type" "ResourceType" NOT NULL,
    "name" TEXT NOT NULL,
    "blob_hash" TEXT NOT NULL,

    CONSTRAINT "version_resource_pkey" PRIMARY KEY ("version_id","type","name")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "fleet_name" TEXT,
    "target" TEXT NOT NULL,
    "before_hash" TEXT,
    "after_hash" TEXT,
    "detail" JSONB,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "fleet_name_key" ON "fleet"("name");

-- CreateIndex
CREATE UNIQUE INDEX "fleet_active_version_id_key" ON "fleet"("active_version_id");

-- CreateIndex
CREATE UNIQUE INDEX "draft_resource_fleet_id_type_name_key" ON "draft_resource"("fleet_id", "type", "name");

-- CreateIndex
CREATE UNIQUE INDEX "version_fleet_id_number_key" ON "version"("fleet_id", "number");

-- CreateIndex
CREATE INDEX "version_resource_blob_hash_idx" ON "version_resource"("blob_hash");

-- CreateIndex
CREATE INDEX "audit_event_fleet_name_at_idx" ON "audit_event"("fleet_name", "at");

-- AddForeignKey
ALTER TABLE "fleet" ADD CONSTRAINT "fleet_active_version_id_fkey" FOREIGN KEY ("active_version_id") REFERENCES "version"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "draft_resource" ADD CONSTRAINT "draft_resource_fleet_id_fkey" FOREIGN KEY ("fleet_id") REFERENCES "fleet"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "version" ADD CONSTRAINT "version_fleet_id_fkey" FOREIGN KEY ("fleet_id") REFERENCES "fleet"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "version" ADD CONSTRAINT "version_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "version"("id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "version_resource" ADD CONSTRAINT "version_resource_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "version"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "version_resource" ADD CONSTRAINT "version_resource_blob_hash_fkey" FOREIGN KEY ("blob_hash") REFERENCES "resource_blob"("hash") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Versions are immutable: history can only grow (a rollback is a new version). Rows still go
-- away with their fleet (ON DELETE CASCADE), which is a DELETE, not an UPDATE.
CREATE FUNCTION "legation_reject_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME USING ERRCODE = 'raise_exception';
END;
$$;

CREATE TRIGGER "version_immutable" BEFORE UPDATE ON "version"
  FOR EACH ROW EXECUTE FUNCTION "legation_reject_update"();

CREATE TRIGGER "version_resource_immutable" BEFORE UPDATE ON "version_resource"
  FOR EACH ROW EXECUTE FUNCTION "legation_reject_update"();

CREATE TRIGGER "resource_blob_immutable" BEFORE UPDATE ON "resource_blob"
  FOR EACH ROW EXECUTE FUNCTION "legation_reject_update"();
