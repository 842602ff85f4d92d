#!/usr/bin/env bash
# Builds the offline base image of the job images and prints the path of its tar:
# Debian bookworm (debootstrap minbase) + postgresql-client-15 + a Java 17 runtime + user 1001,
# saved by podman as a docker archive that Jib reads through `tar://`.
# The tar is cached under $PGRELOCATE_IMAGE_CACHE (default ~/.cache/pgrelocate), keyed by the
# package list, so only the first run downloads anything. Needs root, debootstrap and podman.
# Users build on a registry image instead (a CloudNativePG postgresql image): see README "Images".
set -euo pipefail

suite=bookworm
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
packages=(postgresql-client-15 openjdk-17-jre-headless)
cache=${PGRELOCATE_IMAGE_CACHE:-$HOME/.cache/pgrelocate}
# Bump "v1" when the recipe below changes, so that old tars are not reused.
key=$(printf '%s\n' v1 "$suite" "${packages[@]}" | sha256sum | cut -c1-12)
tar="$cache/base-$key.tar"
# The build reads tar://$cache/base.tar; the link follows the package list.
link() { ln -sfn "$(basename "$tar")" "$cache/base.tar"; echo "$tar"; }
if [ -s "$tar" ]; then link; exit 0; fi

mkdir -p "$cache"
root=$(mktemp -d "$cache/rootfs.XXXXXX")
cleanup() { umount "$root/proc" 2>/dev/null || true; rm -rf "$root" "$tar.part"; }
trap cleanup EXIT

echo "base-image: debootstrap $suite into $root" >&2
debootstrap --variant=minbase "$suite" "$root" "$mirror" >&2
# openjdk's and ca-certificates-java's install scripts run java, which needs /proc.
mount -t proc proc "$root/proc"
echo "base-image: installing ${packages[*]}" >&2
chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive sh -c \
  "apt-get update -qq && apt-get install -y -qq --no-install-recommends ${packages[*]} >/dev/null"
chroot "$root" sh -c 'groupadd -g 1001 pgrelocate && useradd -u 1001 -g 1001 -M -d /work -s /usr/sbin/nologin pgrelocate
  mkdir -p /work && chown 1001:1001 /work
  apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/debconf/*-old /usr/share/doc/* /usr/share/man/* /usr/share/info/*'
umount "$root/proc"

image="localhost/pgrelocate/base:$key"
tar -C "$root" --numeric-owner --exclude='./proc/*' --exclude='./sys/*' --exclude='./dev/*' -cf - . \
  | podman import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV LANG=C.UTF-8' --change 'USER 1001' --change 'WORKDIR /work' - "$image" >&2
podman save --format docker-archive -o "$tar.part" "$image" >&2
podman rmi "$image" >/dev/null
mv "$tar.part" "$tar"
link
