# syntax=docker/dockerfile:1
# The Brook image: `brook` as the entry point, `brook up` by default. Two stages: the first
# installs the production dependencies, the second holds only what runs (bin/, src/, the
# dependencies, and deploy/'s setup and health-check scripts), as the non-root `node` user.
#
# Node: the official node image of exactly the version package-lock.json pins for the `node`
# dependency, so the container runs the runtime `npm test` runs on. The official image rather
# than that package's binary, because it is Debian with security updates and a `node` user;
# --ignore-scripts keeps npm from downloading the package's second copy of Node (no runtime
# dependency needs an install script). Debian, not Alpine: DuckDB's native module is built for
# glibc (@duckdb/node-bindings-linux-x64). Build for linux/amd64 (see deploy/README.md).
ARG NODE_VERSION=24.21.0

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/node node_modules/.bin/node \
 && npm cache clean --force

FROM node:${NODE_VERSION}-bookworm-slim
# The data directory (store, checkpoints when not in Kafka, the generator's bookmark); mount a
# volume there to keep it across containers.
ENV NODE_ENV=production \
    BROOK_DATA_DIR=/var/lib/brook
WORKDIR /app
RUN mkdir -p /var/lib/brook && chown node:node /var/lib/brook
COPY --from=deps /app/node_modules ./node_modules
# package.json: its "type": "module" makes bin/brook.js an ES module.
COPY package.json ./
COPY bin ./bin
COPY src ./src
COPY deploy/container ./deploy/container
COPY deploy/setup ./deploy/setup
COPY deploy/schemas ./deploy/schemas
COPY deploy/msk-iam.properties ./deploy/msk-iam.properties
USER node
EXPOSE 8080
# For `brook up` (the default command): the dashboard's /api/health must report a processor that
# checkpointed recently. Other commands (generate, the setup script) turn it off in compose.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["node", "deploy/container/healthcheck.ts"]
ENTRYPOINT ["node", "bin/brook.js"]
CMD ["up"]
