# One image for every Linli process (services, worker, provisioning); docker-compose.yml picks the command.
FROM node:20-bookworm-slim
WORKDIR /app
ENV CI=true PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1
RUN npm install -g pnpm@12.4.2
COPY . .
RUN pnpm install --frozen-lockfile \
 && for s in services/*/prisma/schema.prisma; do \
      PRISMA_SCHEMA_ENGINE_BINARY="$(command -v node)" pnpm --filter @linli/db exec prisma generate --schema "/app/$s"; \
    done \
 && if [ -f services/operations/web/index.html ]; then pnpm --filter @linli/operations run build:console; fi
USER node
