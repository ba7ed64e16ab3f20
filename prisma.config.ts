import { defineConfig } from 'prisma/config'

// Prisma's env() throws when the variable is unset, even for `prisma generate`, so read it directly.
// The product applies migrations itself (server/store/migrate.ts); see README "Storage".
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/legation' },
})
