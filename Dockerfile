# Small non-root image running `tmate-relay serve`; host keys and secrets live on the /data volume.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.core.json ./
COPY scripts ./scripts
COPY src ./src
# tsc for the server, then the browser bundle of the web viewer (dist/web), then drop dev deps.
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
ENV TMATE_RELAY_LISTEN=0.0.0.0 \
    TMATE_RELAY_KEYS_DIR=/data \
    TMATE_RELAY_LOCAL_SESSION=off
EXPOSE 2222 8080
ENTRYPOINT ["node", "dist/main.js"]
CMD ["serve"]
