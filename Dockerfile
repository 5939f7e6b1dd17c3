# The service's one image (README, "Deploy"): the API by default; the queue workers and cron are
# the same image run as `node dist/src/worker.js`. Both are stateless: Postgres and Redis hold
# everything. Build: docker build -t cpts-snp .
ARG NODE_IMAGE=node:20-bookworm-slim

# Builder: every dependency, then `nest build` (TypeScript to dist/, the web page and data/ copied
# beside it as nest-cli.json's assets say).
FROM ${NODE_IMAGE} AS builder
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
COPY data ./data
RUN npm run build

# Runtime: production dependencies only (argon2 loads its prebuilt binary for glibc, no compiler
# needed) and what the processes read at run time: dist/ (the code, the compiled migrations,
# dist/src/web/public for the page, dist/data), package.json (the version the FHIR interface
# reports). The official communes list is read from @etalab/decoupage-administratif in node_modules.
FROM ${NODE_IMAGE} AS runtime
# NODE_OPTIONS: V8 sizes its old space from the machine's memory (about 4 GB on a 24 GB host) and,
# under a thousand requests a second, lets garbage pile up to it: an API measured 309-323 MB
# resident. The processes' live data is 60-90 MB (the commune list, caches, pools): 192 MB of old
# space keeps each under 300 MB (bench/README.md, "Memory"). The benchmark runs the API and the
# workers with this line's value.
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-old-space-size=192 \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=builder /app/dist ./dist
# OUTBOX_DIR's default (var/outbox): messages land there while no SMS or SMTP provider is set.
RUN mkdir -p var/outbox && chown -R node:node var
USER node
EXPOSE 3000
# /health: 200 when Postgres and Redis answer. The worker has no HTTP: its compose service turns
# this check off.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "require('http').get({ host: '127.0.0.1', port: process.env.PORT || 3000, path: '/health', timeout: 4000 }, (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1)).on('timeout', () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
