#!/usr/bin/env bash
# Builds a Java 17 runtime base image from Debian packages, for machines that cannot pull images.
# Usage: docker/build-base-image.sh [image-name]   (default eventfd-base:bookworm-jre17)
# Needs root, debootstrap and a running Docker engine. Does nothing if the image exists already.
set -euo pipefail
image="${1:-eventfd-base:bookworm-jre17}"
if docker image inspect "$image" >/dev/null 2>&1; then
  echo "base image $image exists"
  exit 0
fi
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
echo "building $image with debootstrap (about a minute)"
debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$root" >/dev/null
# a smaller image: no package caches or documentation
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc "$root"/usr/share/man
tar -C "$root" -c . | docker import - "$image" >/dev/null
echo "built $image"
