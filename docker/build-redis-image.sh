#!/usr/bin/env bash
# Builds a Redis server image from Debian's redis-server package, for machines that cannot pull images.
# Usage: docker/build-redis-image.sh [image-name]   (default redis:7, the name the tests use unless
# -Dredis.image / EVENTFD_REDIS_IMAGE names another)
# Needs root, debootstrap and a running Docker engine. Does nothing if the image exists already.
# The image has redis-server on the PATH; a container runs it as its command, for example
# `redis-server --port 6390 --save '' --appendonly no`, as it would run the official image.
set -euo pipefail
image="${1:-redis:7}"
if docker image inspect "$image" >/dev/null 2>&1; then
  echo "redis image $image exists"
  exit 0
fi
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
echo "building $image with debootstrap (about a minute)"
debootstrap --variant=minbase --include=redis-server bookworm "$root" >/dev/null
# a smaller image: no package caches or documentation
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc "$root"/usr/share/man
tar -C "$root" -c . | docker import --change 'CMD ["redis-server", "--protected-mode", "no"]' - "$image" >/dev/null
echo "built $image"
