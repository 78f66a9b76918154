# One image for the API and the worker; docker-compose.yml picks the command.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production

COPY package.json package-lock.json ./
COPY core/package.json core/
COPY server/package.json server/
COPY workers/package.json workers/
COPY workflows/package.json workflows/
COPY studio/package.json studio/
RUN npm ci --no-audit --no-fund --include=dev

COPY tsconfig.base.json ./
COPY core core
COPY server server
COPY workers workers
COPY workflows workflows
COPY studio studio
RUN cd studio && npx vite build

USER node
EXPOSE 4000
CMD ["node", "--import", "tsx", "server/src/main.ts"]
