#!/usr/bin/env bash
# Builds a Prometheus image from Debian's prometheus package, for machines that cannot pull prom/prometheus.
# Usage: docker/build-prometheus-image.sh [image-name]   (default eventfd-prometheus:bookworm)
# Needs root, debootstrap and a running Docker engine. Does nothing if the image exists already.
# The binary is /bin/prometheus, as in prom/prometheus (bookworm merges /bin into /usr/bin), so one command line
# serves both images.
set -euo pipefail
exec "$(dirname "$0")/debootstrap-image.sh" "${1:-eventfd-prometheus:bookworm}" prometheus \
  'ENTRYPOINT ["/bin/prometheus"]'
