-- AlterTable
ALTER TABLE "fleet" ADD COLUMN "selector" JSONB;
