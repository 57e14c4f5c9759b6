#!/usr/bin/env bash
# Builds a Prometheus image from Debian's prometheus package, for machines that cannot pull prom/prometheus.
# Usage: docker/build-prometheus-image.sh [image-name]   (default eventfd-prometheus:bookworm)
# Needs root, debootstrap and a running Docker engine. Does nothing if the image exists already.
# The binary is /bin/prometheus, as in prom/prometheus (bookworm merges /bin into /usr/bin), so one command line
# serves both images.
set -euo pipefail
image="${1:-eventfd-prometheus:bookworm}"
if docker image inspect "$image" >/dev/null 2>&1; then
  echo "prometheus image $image exists"
  exit 0
fi
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
echo "building $image with debootstrap (about a minute)"
debootstrap --variant=minbase --include=prometheus bookworm "$root" >/dev/null
test -x "$root/bin/prometheus"
# a smaller image: no package caches or documentation
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc "$root"/usr/share/man
tar -C "$root" -c . | docker import --change 'ENTRYPOINT ["/bin/prometheus"]' - "$image" >/dev/null
echo "built $image"
