#!/usr/bin/env bash
# Installs what builds, tests and the demo need on a fresh Debian machine; a no-op when all is there.
#   Java 17 + Maven           the build
#   postgresql-15 (+contrib)  a real PostgreSQL server for tests, pg_dump/pg_restore for the copy
#   xz-utils                  unpacks the embedded PostgreSQL 14 binaries
#   util-linux (runuser)      servers run as the unprivileged 'postgres' user when we are root
#   kubectl                   `kubectl kustomize` renders the manifests and overlays in their tests
#   podman, runc, debootstrap the offline base image (scripts/base-image.sh) and the image smoke test
#   chromium                  loads the HTML report in its test (headless)
#   mariadb-server            a real MariaDB for the MySQL/MariaDB source tests (they start their own on a free port)
set -euo pipefail

packages=(openjdk-17-jdk-headless maven postgresql-15 postgresql-client-15 xz-utils util-linux podman runc debootstrap chromium mariadb-server)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# podman's default ulimits exceed what some CI sandboxes allow; containers then fail to start.
conf=/etc/containers/containers.conf
if ! grep -qs '^default_ulimits' "$conf"; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo mkdir -p /etc/containers
  if grep -qs '^\[containers\]' "$conf"; then
    $sudo sed -i '/^\[containers\]/a default_ulimits = []' "$conf"
  else
    printf '[containers]\ndefault_ulimits = []\n' | $sudo tee -a "$conf" >/dev/null
  fi
fi
# Any kubectl will do (with its built-in kustomize), however it was installed.
command -v kubectl >/dev/null 2>&1 || missing+=(kubectl)
[ ${#missing[@]} -eq 0 ] && { echo "setup: all packages present"; exit 0; }

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup: installing ${missing[*]}"
# Tests start their own servers on free ports; the package must not start one on 5432.
$sudo mkdir -p /etc/postgresql-common
echo "create_main_cluster = false" | $sudo tee /etc/postgresql-common/createcluster.conf >/dev/null
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The package starts (and enables) a MariaDB service on 3306 where an init system lets it: the tests
# never use it, so it is stopped and disabled again.
if [[ " ${missing[*]} " == *" mariadb-server "* ]]; then
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    $sudo systemctl disable --now mariadb >/dev/null 2>&1 || true
  else
    $sudo service mariadb stop >/dev/null 2>&1 || true
    $sudo update-rc.d mariadb disable >/dev/null 2>&1 || true
  fi
fi
echo "setup: done"
