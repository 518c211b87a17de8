# A local stand-in for the official node:20-slim image, for machines that cannot reach
# a container registry. Built FROM the debootstrap'ed Debian bookworm (as the official
# image is) by scripts/docker/base-images.sh, with this machine's Node 20 binary and npm
# copied in; like the official image it has the unprivileged user "node" (uid 1000).
FROM localbase:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libstdc++6 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 1000 node \
    && useradd --uid 1000 --gid node --create-home --shell /bin/bash node
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
    && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
    && node --version && npm --version
# The host's CA bundle (it trusts the intercepting HTTPS proxy), so that npm inside
# image builds reaches the registry.
COPY ca-certificates.crt /etc/ssl/certs/host-ca-bundle.crt
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/host-ca-bundle.crt \
    LANG=C.UTF-8
CMD ["node"]
