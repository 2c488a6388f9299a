# keventer: the CLI and the packages it loads, on Node 20.
#   docker build -t keventer .
# Stage 1 builds the workspace; stage 2 holds only @keventer/cli's production
# files (pnpm deploy: the built packages and their runtime dependencies).

FROM node:20-slim AS build
WORKDIR /src
RUN npm install --global pnpm@10.33.1
# The lockfile and every workspace manifest first: dependencies stay cached while sources change.
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
COPY packages/ packages/
COPY examples/package.json examples/
COPY bench/package.json bench/
COPY tsconfig.base.json tsconfig.json ./
# Everything, root dev tools (typescript) included: only the deploy below reaches the image.
RUN pnpm install --frozen-lockfile
# Builds the CLI and every workspace package it depends on (each one's `tsc -b`).
RUN pnpm --filter "@keventer/cli..." run build
# --legacy: copy the workspace packages as they would be published ("files"), without injected workspaces.
RUN pnpm --filter @keventer/cli deploy --prod --legacy /out

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=root:root /out /app
# The image's own non-root user (uid 1000); the code stays owned by root, read-only to it.
USER 1000:1000
EXPOSE 8084
# Exec form: node is PID 1 and gets SIGTERM itself (keventer handles it: drain,
# save the checkpoint, release the Lease, exit 0); it starts no child processes,
# so there are no zombies to reap and no init (tini) is needed.
# The heap is capped below the Deployment's 256 MiB limit (RSS measured 61-146 MiB),
# so V8 collects before the kernel's OOM killer steps in. A 4 MiB young generation keeps a
# 200k-event burst near 125 MiB instead of ~155 MiB at no measurable CPU cost (docs/performance.md).
ENTRYPOINT ["node", "--max-semi-space-size=4", "--max-old-space-size=160", "/app/dist/bin.js"]
