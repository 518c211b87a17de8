# syntax=docker/dockerfile:1
# `scaffold serve` in a container: the page and the HTTP API, two workers, port 8000.
# Build: docker build -t scaffold-serve .
# Run:   docker run -p 8000:8000 scaffold-serve     (deploy/compose.yaml: two behind nginx)

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY pyproject.toml README.md ./
COPY toolkit ./toolkit
COPY templates ./templates
# This checkout with its web extra; the versions are pyproject.toml's to decide.
# hadolint ignore=DL3013
RUN pip install --no-cache-dir ".[web]"

FROM python:3.11-slim AS runtime
# git makes the first commit of downloads asked for with git=true. Debian's package of
# the base image's release, updated with it (no version pin to go stale).
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 --shell /usr/sbin/nologin scaffold
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH="/opt/venv/bin:$PATH" \
    SCAFFOLD_SERVE_HOST=0.0.0.0 \
    SCAFFOLD_SERVE_PORT=8000 \
    SCAFFOLD_SERVE_WORKERS=2
COPY --from=build /opt/venv /opt/venv
USER 10001
WORKDIR /home/scaffold
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ['SCAFFOLD_SERVE_PORT'] + '/health', timeout=3)"]
# SIGTERM (docker stop) lets the workers answer what is in flight, for up to 30 s.
STOPSIGNAL SIGTERM
CMD ["scaffold", "serve"]
