#!/usr/bin/env bash
# Start a private Docker engine (Debian's docker.io) and print the DOCKER_HOST to use.
#   eval "$(bash scripts/docker/engine.sh start)"    # exports DOCKER_HOST
#   bash scripts/docker/engine.sh stop
# State lives in ${SCAFFOLD_DOCKER_DIR:-/tmp/scaffold-docker}. Installs docker.io and
# docker-compose (v1, all Debian has) when missing (needs root and Debian's archive).
set -euo pipefail
dir=${SCAFFOLD_DOCKER_DIR:-/tmp/scaffold-docker}
sock="$dir/docker.sock"

case "${1:-start}" in
start)
    if ! command -v dockerd >/dev/null || ! command -v docker-compose >/dev/null; then
        (apt-get update -q && apt-get install -y -q docker.io docker-compose) >&2
    fi
    mkdir -p "$dir"
    if [ -S "$sock" ] && DOCKER_HOST="unix://$sock" docker info >/dev/null 2>&1; then
        echo "export DOCKER_HOST=unix://$sock"
        exit 0
    fi
    dockerd --data-root "$dir/data" --exec-root "$dir/exec" -H "unix://$sock" \
        --pidfile "$dir/docker.pid" >"$dir/dockerd.log" 2>&1 &
    for _ in $(seq 1 60); do
        if DOCKER_HOST="unix://$sock" docker info >/dev/null 2>&1; then
            echo "export DOCKER_HOST=unix://$sock"
            exit 0
        fi
        sleep 0.5
    done
    echo "dockerd did not start; see $dir/dockerd.log" >&2
    tail -20 "$dir/dockerd.log" >&2
    exit 1
    ;;
stop)
    if [ -f "$dir/docker.pid" ]; then
        kill "$(cat "$dir/docker.pid")" 2>/dev/null || true
    fi
    ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
