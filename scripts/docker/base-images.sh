#!/usr/bin/env bash
# Build the local stand-ins of the images that generated projects name, on a machine
# that cannot pull from a registry: a Debian bookworm base made with debootstrap, then
# FROM it python:3.11-slim, node:20-slim (the host's Node 20), postgres:16, mysql:8.4
# (Debian's MariaDB) and nginx:1.27.
# Generated Dockerfiles and compose files stay standard; on a user's machine they pull
# the official images.
#   DOCKER_HOST=... bash scripts/docker/base-images.sh [image ...]   (default: all)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${SCAFFOLD_DOCKER_DIR:-/tmp/scaffold-docker}/base
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$work"

has() { docker image inspect "$1" >/dev/null 2>&1; }

if ! has localbase:bookworm; then
    command -v debootstrap >/dev/null || (apt-get update -q && apt-get install -y -q debootstrap) >&2
    rm -rf "$work/rootfs"
    debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
        || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
    tar -C "$work/rootfs" -c . | docker import - localbase:bookworm >/dev/null
    rm -rf "$work/rootfs"
fi

# build TAG NAME [FILE...]: docker build scripts/docker/NAME-stand-in.Dockerfile with the
# host's CA bundle (it trusts the intercepting HTTPS proxy) and FILEs in its context.
build() {
    local tag=$1 name=$2
    shift 2
    has "$tag" && return 0
    local context="$work/$name"
    rm -rf "$context" && mkdir -p "$context"
    cp "$here/$name-stand-in.Dockerfile" "$context/Dockerfile"
    cp /etc/ssl/certs/ca-certificates.crt "$context/ca-certificates.crt"
    for file in "$@"; do cp -a "$file" "$context/"; done
    docker build -q -t "$tag" "$context" >/dev/null
    rm -rf "$context"
}

wanted=${*:-python node postgres mysql nginx}
for image in $wanted; do
    case $image in
    python) build python:3.11-slim python ;;
    node)
        node_bin=$(command -v node) || { echo "node is not installed on this host" >&2; exit 1; }
        node_modules=$(dirname "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")")
        mkdir -p "$work/node-files/node_modules"
        cp "$(readlink -f "$node_bin")" "$work/node-files/node"
        cp -a "$node_modules/." "$work/node-files/node_modules/"
        headers=$(dirname "$(dirname "$(readlink -f "$node_bin")")")/include/node
        [ -f "$headers/node_version.h" ] || { echo "no Node headers in $headers" >&2; exit 1; }
        mkdir -p "$work/node-files/include"
        cp -a "$headers/." "$work/node-files/include/"
        build node:20-slim node "$work/node-files/node" "$work/node-files/node_modules" \
            "$work/node-files/include"
        rm -rf "$work/node-files"
        ;;
    postgres) build postgres:16 postgres "$here/postgres-entrypoint.sh" ;;
    mysql) build mysql:8.4 mysql "$here/mysql-entrypoint.sh" ;;
    nginx) build nginx:1.27 nginx ;;
    *) echo "unknown image $image (python, node, postgres, mysql, nginx)" >&2; exit 2 ;;
    esac
done
docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E '^(localbase|python|node|postgres|mysql|nginx):'
