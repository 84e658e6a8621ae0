# syntax=docker/dockerfile:1
# Connecto API image: build with the dev dependencies, then keep only the runtime ones.
#   docker build -t connecto-api .
#   docker run --env-file .env -p 3000:3000 connecto-api
# At start it runs the pending migrations (`node scripts/typeorm.js migration:run`, which uses the
# compiled dist/ormconfig.js because the image holds no TypeScript sources), then the API.
# Node.js 24, the current LTS line (package.json `engines` lists what is supported; CI tests 20 and 24).

FROM node:24-bookworm-slim AS build
# swagger-ui-dist's analytics postinstall (@scarf/scarf) stays quiet.
ENV SCARF_ANALYTICS=false
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ormconfig.ts ./
COPY src ./src
COPY migration ./migration
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
# ffmpeg cuts video poster frames when videos are served from storage (without it they get none).
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node scripts/typeorm.js ./scripts/typeorm.js
# Writable by the app: the development secrets file and the local storage driver's folder
# (STORAGE_LOCAL_DIR=./data/media); docker compose mounts a volume here.
RUN mkdir -p /app/data && chown node:node /app/data
# Served at /docs/asyncapi.json (the OpenAPI document is built from the code at start).
COPY --chown=node:node openapi/asyncapi.json ./openapi/asyncapi.json
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["sh", "-c", "node scripts/typeorm.js migration:run && exec node dist/src/main.js"]
