# The bench-race coordinator in a container: local mode (API, rooms, web app) or, with --cloud, the
# API of cloud mode. Data (SQLite and the created keys) lives in the /data volume.
#   docker build -t bench-race . && docker run -p 8080:8080 -v bench-race-data:/data bench-race
FROM node:20.19-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:web

FROM node:20.19-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 BENCH_DATA_DIR=/data BENCH_LOG_FORMAT=json
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
VOLUME /data
EXPOSE 8080
USER node
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:8080/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "bin/bench-race.mjs"]
CMD ["serve", "--no-agent"]
