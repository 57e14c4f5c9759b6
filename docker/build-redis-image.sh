#!/usr/bin/env bash
# Builds a Redis server image from Debian's redis-server package, for machines that cannot pull images.
# Usage: docker/build-redis-image.sh [image-name]   (default redis:7, the name the tests use unless
# -Dredis.image / EVENTFD_REDIS_IMAGE names another)
# Needs root, debootstrap and a running Docker engine. Does nothing if the image exists already.
# The image has redis-server on the PATH; a container runs it as its command, for example
# `redis-server --port 6390 --save '' --appendonly no`, as it would run the official image.
set -euo pipefail
exec "$(dirname "$0")/debootstrap-image.sh" "${1:-redis:7}" redis-server \
  'CMD ["redis-server", "--protected-mode", "no"]'
