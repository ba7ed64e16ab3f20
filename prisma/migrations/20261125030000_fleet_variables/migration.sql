-- Fleet variables and templates (#14 item 4). The draft's variables live on the fleet (one JSON
-- object: name -> {value, secret}; secret values sealed); a version keeps the variables it was
-- committed with, and, for a fleet built on a template fleet, the template version it was built on.
ALTER TABLE "fleet" ADD COLUMN "draft_variables" JSONB NOT NULL DEFAULT '{}';
ALTER TABLE "fleet" ADD COLUMN "template_fleet_id" UUID;
ALTER TABLE "fleet" ADD CONSTRAINT "fleet_template_fleet_id_fkey" FOREIGN KEY ("template_fleet_id") REFERENCES "fleet"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "fleet" ADD CONSTRAINT "fleet_template_not_self" CHECK ("template_fleet_id" IS NULL OR "template_fleet_id" <> "id");

ALTER TABLE "version" ADD COLUMN "variables" JSONB NOT NULL DEFAULT '{}';
-- "fleet@number" of the template version, kept for display when the template fleet is deleted later.
ALTER TABLE "version" ADD COLUMN "template_ref" TEXT;
ALTER TABLE "version" ADD COLUMN "template_version_id" UUID;
ALTER TABLE "version" ADD CONSTRAINT "version_template_version_id_fkey" FOREIGN KEY ("template_version_id") REFERENCES "version"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "version_template_version_id_idx" ON "version"("template_version_id") WHERE "template_version_id" IS NOT NULL;
