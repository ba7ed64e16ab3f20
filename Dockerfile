# syntax=docker/dockerfile:1
# Legation: console, JSON API and xDS server in one process (server/main.ts, run through tsx).
# The runtime image keeps the source tree and node_modules: tsx compiles server/ on the fly.

FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
# Dependencies first, so a source change does not re-run `npm ci`. The postinstall script
# (scripts/prisma-generate.mjs) generates the Prisma client from prisma/, so it needs these too.
COPY package.json package-lock.json prisma.config.ts ./
COPY scripts ./scripts
COPY prisma ./prisma
RUN npm ci
COPY . .
# The build cache is no use at run time.
RUN npm run build && rm -rf .next/cache

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    PORT=3000 \
    XDS_HOST=0.0.0.0 \
    XDS_PORT=18000 \
    LEGATION_DATA_DIR=/var/lib/legation
# A non-root user: the embedded Postgres (used when DATABASE_URL is unset) refuses to run as root.
# Its home must be traversable (0755; Debian's useradd makes it 0700) for tools that look there.
RUN groupadd --system legation \
 && useradd --system --gid legation --create-home --home-dir /home/legation --shell /usr/sbin/nologin legation \
 && chmod 0755 /home/legation
WORKDIR /app
# The code stays root-owned (read-only to the app); only the data dir and Next's cache are writable.
COPY --from=build /app /app
RUN install -d -o legation -g legation /var/lib/legation /app/.next/cache
USER legation
EXPOSE 3000 18000
# node directly rather than `npx tsx`: node is PID 1 and gets SIGTERM itself, so the graceful
# shutdown in server/main.ts runs on `docker stop` (the integration tests start it the same way).
CMD ["node", "--import", "tsx", "server/main.ts"]
