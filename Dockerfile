# syntax=docker/dockerfile:1
# KAI-Fusion's image: the API by default; the same image runs the worker (`node --import tsx worker/main.ts`) and the
# migration job (`node --import tsx scripts/migrate.ts`), as docker-compose.yml does.
#
# TypeScript runs through tsx at run time, as under `npm start`: tsx is a production dependency, it transpiles each
# file once at start (no type checking; CI does that), and the code keeps its __dirname-relative paths (web/dist,
# workflows/) without a second layout to maintain. What is built ahead is what would be slow at every start: the
# canvas (Vite) and the workflow bundle (webpack), which every worker replica would otherwise make at boot.

# Node 24, the LTS line with security fixes (Node 20 reached end of life in April 2026). CI runs the test suite on
# this same version too (.ci/run), besides the Node 20 that the code still supports (package.json engines).
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

# Every dependency, for the build. `npm install` rather than `npm ci`, which rejects this lockfile (see .ci/run); it
# installs the locked versions all the same. --ignore-scripts skips the root `prepare` (a canvas build, done below
# with the sources in place); the native modules (argon2, the Temporal core bridge, esbuild, swc) ship prebuilt.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund --ignore-scripts

FROM deps AS build
COPY . .
RUN npm run build:web \
 && node --import tsx scripts/bundle-workflows.ts dist/workflow-bundle.js

# Production dependencies only, for the final image. argon2's prebuilt linux-x64 binary crashed Node 20.20 on the CI
# machine (that checkout builds its own) but runs on this Node 24; hashing once here makes a binary that cannot fail
# the build instead of the first sign-in.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund --ignore-scripts \
 && node -e "require('argon2').hash('image build').then(() => console.log('argon2 hashes on Node', process.version))" \
 && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
# The worker's health and metrics server binds loopback outside a container; in one, scrapers reach it from others.
ENV NODE_ENV=production \
    PORT=3000 \
    KAI_WORKER_HTTP_HOST=0.0.0.0 \
    KAI_DATA_DIR=/app/data \
    KAI_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
WORKDIR /app
# Code and dependencies stay owned by root, read-only to the app; only the data directory is its own. A new named
# volume mounted there starts with this owner.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY . .
COPY --from=build /app/web/dist ./web/dist
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000 9464
HEALTHCHECK --interval=10s --timeout=6s --start-period=30s --retries=3 \
  CMD node deploy/http-check.mjs "http://127.0.0.1:${PORT}/health"
CMD ["node", "--import", "tsx", "api/main.ts"]
