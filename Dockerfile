# Rampart's own image: built in one stage, run from a clean copy as an unprivileged numeric user.
#   docker build -t rampart:0.1.0 .
# The base is node:20-bookworm-slim pinned by the index digest other public projects pin (not re-checked against
# Docker Hub from the offline machine this was written on): refresh it with
#   docker buildx imagetools inspect node:20-bookworm-slim
ARG NODE_IMAGE=node:20-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY . .
# The dashboard (.next) and the compiled CLI (dist/cli), then only what runs.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 HOST=0.0.0.0 PORT=3000 RAMPART_DATA_DIR=/data
# Owned by root and not writable by the user that runs it; the root filesystem can be mounted read-only
# (mount a tmpfs at /tmp and at /app/.next/cache).
COPY --from=build /app /app
# The data folder (embedded database, key file) is the one place the user writes; mount a volume there.
RUN mkdir /data && chown 10001:10001 /data && chmod 0700 /data
USER 10001:10001
EXPOSE 3000
ENTRYPOINT ["node", "lib/cli/bin.mjs"]
# `web` and `worker` with DATABASE_URL (deploy/kubernetes, deploy/compose); `serve` runs both on the embedded database.
CMD ["serve"]
