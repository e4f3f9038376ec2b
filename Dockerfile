# syntax=docker/dockerfile:1
# One image for every role: stipend gateway | operator | alerts | report | migrate.
# Node 24 runs the TypeScript sources directly (type stripping), so there is no build step.

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS deps
# Behind a TLS-inspecting proxy npm needs its CA: mount the CA folder into the build and name
# the file here (.ci/image.sh does). This stage is thrown away: nothing of it reaches the image.
ARG NODE_EXTRA_CA_CERTS
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; the npm `node` devDependency (a Node binary for dev hosts) is skipped.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
# tini reaps zombies and forwards SIGTERM so the gateway can drain open streams;
# a font lets the monthly report draw text into its chart image.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini=0.19.* fonts-dejavu-core=2.37-* \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    NODE_OPTIONS=--disable-warning=ExperimentalWarning
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json ./
COPY --chown=root:root bin ./bin
COPY --chown=root:root src ./src
COPY --chown=root:root crds ./crds
# The example policy `stipend dev` loads by default (its --policy is ./examples).
COPY --chown=root:root examples ./examples
# `stipend` on PATH, for `kubectl exec deploy/<release>-gateway -- stipend keys create …`.
RUN ln -s /app/bin/stipend.mjs /usr/local/bin/stipend
# The image's files belong to root and are read-only to the runtime user; nothing is
# written at run time, so the root filesystem can be mounted read-only.
USER 10001:10001
# gateway, admin, operator metrics, gateway metrics
EXPOSE 8787 8790 9090 9091
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/bin/stipend.mjs"]
CMD ["gateway"]
