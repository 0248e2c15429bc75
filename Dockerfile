# syntax=docker/dockerfile:1
# Slipway: one service declaration -> Kubernetes manifests, a Helm chart and an image definition.
# This image runs `slipway` as an Argo CD Config Management Plugin sidecar (argocd/, docs/image.md),
# as uid 999 like Argo CD requires. Multi-arch, without emulation: JavaScript does not depend on
# the platform, so everything is built on the build platform and the final stage only copies.
#   docker buildx build --platform linux/amd64,linux/arm64 -t ghcr.io/slipway-dev/slipway:0.1.0 .

# builder: compiles src/ to lib/ with tsc (dev dependencies needed).
FROM --platform=$BUILDPLATFORM node:20-bookworm-slim AS builder
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: no dependency needs its install script here, and `prepare` (tsc) needs src/.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npx tsc -p tsconfig.json && \
    chmod 0755 lib/cli/main.js && \
    mkdir -p /out/bin && \
    ln -s /app/lib/cli/main.js /out/bin/slipway

# client: slipway-warm, the warm renderer's client (warm-client/): a static Go binary, so the
# plugin's generate command is not a second Node.js start. Cross-compiled on the build platform.
FROM --platform=$BUILDPLATFORM golang:1.24-bookworm AS client
ARG TARGETOS
ARG TARGETARCH
WORKDIR /src
COPY warm-client ./
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags="-s -w" -o /out/bin/slipway-warm .

# deps: the production dependencies only (all plain JavaScript: no native modules to build).
FROM --platform=$BUILDPLATFORM node:20-bookworm-slim AS deps
WORKDIR /src
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# production: Node.js, the production dependencies, lib/ and the JSON Schema; `slipway` on PATH.
FROM node:20-bookworm-slim AS production
LABEL org.opencontainers.image.title="slipway" \
      org.opencontainers.image.description="One service declaration -> Kubernetes manifests (cdk8s), an equivalent Helm chart, and a multi-arch image definition; Argo CD plugin sidecar." \
      org.opencontainers.image.version="0.1.0" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production \
    CDK8S_CHECK_UPGRADE=false
WORKDIR /app
COPY --from=builder /src/package.json ./package.json
COPY --from=deps /src/node_modules ./node_modules
COPY --from=builder /src/lib ./lib
COPY schema ./schema
COPY --from=builder /out/bin/ /usr/local/bin/
COPY --from=client /out/bin/slipway-warm /usr/local/bin/slipway-warm
# The sidecar's entrypoint: the warm renderer in the background, then argocd-cmp-server.
COPY --chmod=0755 argocd/slipway-sidecar.sh /usr/local/bin/slipway-sidecar
# The plugin configuration, where argocd-cmp-server reads it (a ConfigMap mounted there wins).
COPY argocd/plugin.yaml /home/argocd/cmp-server/config/plugin.yaml
# Argo CD runs plugin sidecars as uid 999 (the argocd user of its own images).
USER 999:999
ENTRYPOINT ["node", "/app/lib/cli/main.js"]
CMD ["--help"]
