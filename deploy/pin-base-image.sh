#!/bin/sh
# Pins deploy/Dockerfile's base image to the digest its tag points to today, and prints the old and new lines.
#   deploy/pin-base-image.sh            (node:20-bookworm-slim)
#   deploy/pin-base-image.sh node:20.20.2-bookworm-slim
# It asks the registry with the first tool it finds: skopeo, crane, or docker buildx imagetools. Review the change
# like any dependency update, then rebuild: the digest is what makes two builds of one commit start from the
# same bytes, and what stops a moved tag from changing the image.
set -eu
image=${1:-node:20-bookworm-slim}
dockerfile=$(dirname "$0")/Dockerfile

if command -v skopeo >/dev/null 2>&1; then
  digest=$(skopeo inspect --format '{{.Digest}}' "docker://docker.io/library/$image")
elif command -v crane >/dev/null 2>&1; then
  digest=$(crane digest "$image")
elif command -v docker >/dev/null 2>&1; then
  # The first Digest line is the multi-platform index's: the same reference then works on amd64 and arm64.
  digest=$(docker buildx imagetools inspect "$image" | sed -n 's/^Digest: *//p' | head -n 1)
else
  echo "pin-base-image: needs skopeo, crane or docker (buildx) to ask the registry" >&2
  exit 2
fi

case $digest in
  sha256:????????????????????????????????????????????????????????????????) ;;
  *)
    echo "pin-base-image: not a sha256 digest: '$digest'" >&2
    exit 1
    ;;
esac

grep -n '^ARG BASE_IMAGE=' "$dockerfile"
sed -i.bak "s|^ARG BASE_IMAGE=.*|ARG BASE_IMAGE=$image@$digest|" "$dockerfile" && rm -f "$dockerfile.bak"
grep -n '^ARG BASE_IMAGE=' "$dockerfile"
