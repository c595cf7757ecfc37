# syntax=docker/dockerfile:1
#
# One image for every process role: ROLE=api|projector|saga|relay|all (default all) picks what it runs.
# Configuration is by environment (DATABASE_URL, EVENTSTORE_CONNECTION_STRING, ELASTICSEARCH_URL, KAFKA_BROKERS,
# REDIS_URL, AUTH_JWT_SECRET, ...): nothing secret is baked in. See docs/deployment.md.
#
#   docker build -t gedsi-capital-platform:<version> .
#   docker run -p 4000:4000 -e DATABASE_URL=... -e AUTH_JWT_SECRET=... gedsi-capital-platform:<version>

ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: all dependencies, TypeScript compiled to dist/ ---
FROM ${NODE_IMAGE} AS build
WORKDIR /app

COPY package.json package-lock.json ./
# No install script is needed to compile (they hydrate the embedded PostgreSQL binaries, esbuild, ...).
RUN npm ci --ignore-scripts --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build \
 # tsc does not copy the GraphQL SDL that the read API loads at run time: keep every .graphql at its path.
 && mkdir -p /assets \
 && find src -name '*.graphql' -exec cp --parents '{}' /assets/ ';'

# --- runtime: production dependencies, compiled code, schemas; no compiler, no sources ---
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    ROLE=all
WORKDIR /app

COPY package.json package-lock.json ./
# Install scripts skipped: the only runtime one prepares the embedded PostgreSQL, which containers never use
# (DATABASE_URL is always set there).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

COPY --from=build /app/dist ./dist
COPY --from=build /assets/ ./
COPY schemas ./schemas

# Files stay root-owned and read-only to the app; it runs as the image's unprivileged "node" user.
USER node
EXPOSE 4000

# Liveness only (no curl in the slim image): readiness (/ready) is for the orchestrator to route on.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "require('node:http').get({host:'127.0.0.1',port:process.env.PORT||4000,path:'/health',timeout:4000},(r)=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"]

CMD ["node", "dist/src/main.js"]
