# A local stand-in for the official node:20-slim image, for machines that cannot reach a
# container registry: the host's own Node 20 (binary, headers and npm) on a debootstrap'ed Debian
# bookworm, with the user `node` (uid 1000) of the official image.
# Built by scripts/docker/base-images.sh.
FROM localbase:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 1000 node \
    && useradd --uid 1000 --gid node --create-home --shell /bin/bash node
COPY node /usr/local/bin/node
COPY node_modules /usr/local/lib/node_modules
# Node's headers, where the official image has them; node-gyp is told to use them, as
# it cannot download them here (native modules such as better-sqlite3 compile offline).
COPY include /usr/local/include/node
ENV npm_config_nodedir=/usr/local
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
    && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
    && node --version && npm --version
# The host's CA bundle (it trusts the intercepting HTTPS proxy), so npm reaches its registry.
COPY ca-certificates.crt /etc/ssl/certs/host-ca-bundle.crt
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/host-ca-bundle.crt \
    SSL_CERT_FILE=/etc/ssl/certs/host-ca-bundle.crt \
    PIP_CERT=/etc/ssl/certs/host-ca-bundle.crt \
    LANG=C.UTF-8
CMD ["node"]
