# Stream Scout's image: one image for every role (`streamscout monitor | process | serve | start
# | migrate | auth ...`, chosen by the container's command). Node 24 runs the TypeScript sources
# directly, so the image holds src/ as it is, the production dependencies and the built web UI.
#
#   docker build -t streamscout .
#   docker run --rm -p 5000:5000 streamscout start     # everything in one container (embedded PostgreSQL)
#
# See docs/deployment.md for the compose files that run the distributed stack.

ARG NODE_IMAGE=node:24-bookworm-slim

# Production dependencies only (no vite, react, eslint ...). embedded-postgres comes along: it
# is a dependency of `start` without DATABASE_URL; with DATABASE_URL it is never started.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# The web UI, built with the development dependencies; only dist/web leaves this stage.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY vite.config.ts tsconfig.json ./
COPY src ./src
RUN npm run build:web

# What runs: no compiler, no build tools, not root.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=5000 \
    LOG_FORMAT=json \
    WEB_ROOT=/app/dist/web \
    DATA_DIR=/app/data
WORKDIR /app
# The official image's unprivileged `node` user (uid 1000). secrets/ and data/ are made here so a
# named volume mounted on them starts out owned by that user.
RUN mkdir -p /app/secrets /app/data && chown node:node /app/secrets /app/data
COPY --chown=root:root package.json ./
COPY --chown=root:root --from=deps /app/node_modules ./node_modules
COPY --chown=root:root bin ./bin
COPY --chown=root:root src ./src
COPY --chown=root:root --from=build /app/dist/web ./dist/web
USER node
EXPOSE 5000
# Liveness of whichever role runs: every role answers /live on HTTP_PORT. Readiness (/ready:
# database and pipeline) is for load balancers; a container that is alive but not ready (say,
# PostgreSQL is restarting) must not be killed and restarted for it.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||5000)+'/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "bin/streamscout.js"]
CMD ["start"]
