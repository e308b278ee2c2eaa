#!/bin/sh
# Installs everything assay needs to build and test, from Debian 12 packages only.
# Safe to run again; run as root (or through sudo).
set -eu
export DEBIAN_FRONTEND=noninteractive
packages="
  build-essential cmake ninja-build pkg-config
  libssl-dev libsodium-dev libgit2-dev libsqlite3-dev libarchive-dev
  libcli11-dev nlohmann-json3-dev libgtest-dev libgmock-dev libblis-serial-dev
  git git-lfs minisign openssh-client coreutils openssl zstd time
  python3 python3-cryptography python3-jsonschema
  golang-go golang-golang-x-mod-dev
  chromium chromium-driver python3-selenium fonts-dejavu-core bsdutils
  clang libclang-rt-14-dev
"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
fi
