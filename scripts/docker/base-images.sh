#!/usr/bin/env bash
# Build the local stand-ins of the base images that generated Dockerfiles name, on a
# machine that cannot pull from a registry: a Debian bookworm base made with
# debootstrap, then python:3.11-slim and node:20-slim FROM it. Generated Dockerfiles stay standard; on
# a user's machine they pull the official images.
#   DOCKER_HOST=... bash scripts/docker/base-images.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${SCAFFOLD_DOCKER_DIR:-/tmp/scaffold-docker}/base
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$work"

if ! docker image inspect localbase:bookworm >/dev/null 2>&1; then
    command -v debootstrap >/dev/null || (apt-get update -q && apt-get install -y -q debootstrap) >&2
    rm -rf "$work/rootfs"
    debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
        || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
    tar -C "$work/rootfs" -c . | docker import - localbase:bookworm >/dev/null
    rm -rf "$work/rootfs"
fi

if ! docker image inspect python:3.11-slim >/dev/null 2>&1; then
    context="$work/python"
    mkdir -p "$context"
    cp "$here/python-stand-in.Dockerfile" "$context/Dockerfile"
    cp /etc/ssl/certs/ca-certificates.crt "$context/ca-certificates.crt"
    docker build -q -t python:3.11-slim "$context" >/dev/null
fi
# node:20-slim from this machine's Node 20 (the Express projects' base image).
if command -v node >/dev/null && ! docker image inspect node:20-slim >/dev/null 2>&1; then
    case "$(node --version)" in
    v20.*) ;;
    *) echo "node:20-slim stand-in needs Node 20 on this machine, found $(node --version)" >&2; exit 1 ;;
    esac
    context="$work/node"
    rm -rf "$context" && mkdir -p "$context"
    cp "$here/node-stand-in.Dockerfile" "$context/Dockerfile"
    cp "$(readlink -f "$(command -v node)")" "$context/node"
    cp -r "$(npm root -g)/npm" "$context/npm"
    cp /etc/ssl/certs/ca-certificates.crt "$context/ca-certificates.crt"
    docker build -q -t node:20-slim "$context" >/dev/null
fi
docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E '^(localbase|python|node):'
