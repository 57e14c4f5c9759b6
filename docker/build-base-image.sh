#!/usr/bin/env bash
# Builds a Java 17 runtime base image from Debian packages, for machines that cannot pull images.
# Usage: docker/build-base-image.sh [image-name]   (default eventfd-base:bookworm-jre17)
# Needs root, debootstrap and a running Docker engine. Does nothing if the image exists already.
set -euo pipefail
exec "$(dirname "$0")/debootstrap-image.sh" "${1:-eventfd-base:bookworm-jre17}" openjdk-17-jre-headless
