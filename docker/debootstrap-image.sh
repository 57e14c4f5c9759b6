#!/usr/bin/env bash
# Builds a Docker image from Debian bookworm packages with debootstrap, for machines that cannot pull images;
# the build-*-image.sh scripts call it.
# Usage: docker/debootstrap-image.sh image-name packages [docker-import-change...]
#   packages: comma-separated Debian packages; each change is passed to `docker import --change`.
# Needs root, debootstrap and a running Docker engine. Does nothing if the image exists already.
set -euo pipefail
image="$1"
packages="$2"
shift 2
changes=()
for change in "$@"; do
  changes+=(--change "$change")
done
if docker image inspect "$image" >/dev/null 2>&1; then
  echo "image $image exists"
  exit 0
fi
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
echo "building $image with debootstrap (about a minute)"
debootstrap --variant=minbase --include="$packages" bookworm "$root" >/dev/null
# a smaller image: no package caches or documentation
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc "$root"/usr/share/man
tar -C "$root" -c . | docker import "${changes[@]}" - "$image" >/dev/null
echo "built $image"
