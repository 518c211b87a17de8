# A local stand-in for the official python:3.11-slim image, for machines that cannot
# reach a container registry. Built FROM a debootstrap'ed Debian bookworm (whose
# python3 is 3.11, as in the official image) by scripts/docker/base-images.sh.
FROM localbase:bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-venv python3-pip ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && ln -s /usr/bin/python3 /usr/local/bin/python
# The host's CA bundle (it trusts the intercepting HTTPS proxy), copied after apt has
# written its own, so that pip inside image builds reaches PyPI.
COPY ca-certificates.crt /etc/ssl/certs/host-ca-bundle.crt
ENV PIP_CERT=/etc/ssl/certs/host-ca-bundle.crt \
    SSL_CERT_FILE=/etc/ssl/certs/host-ca-bundle.crt \
    REQUESTS_CA_BUNDLE=/etc/ssl/certs/host-ca-bundle.crt \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/host-ca-bundle.crt \
    LANG=C.UTF-8
CMD ["python3"]
