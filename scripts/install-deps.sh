#!/bin/sh
# Installs the Debian 12 packages initdata needs to build, test, fuzz and
# benchmark (dpkg-dev, debhelper, lintian, systemd and zsh: for the
# tests of the Debian packages, the boot units and the zsh completion;
# kubectl and helm are not Debian 12 packages: their tests say when they
# are skipped). Idempotent: installs only what is missing, and runs apt-get
# only when something is.
#   install-deps.sh         what building and `make test` need
#   install-deps.sh bench   that, plus what only `make bench` needs: the
#                           webhook benchmark's Go peer (Debian's Go and the
#                           TOML library the Kata shim uses), its load
#                           generator h2load, openssl for the test
#                           certificate, and libmicrohttpd + GnuTLS for the
#                           bare floor server
set -eu

PKGS="build-essential cmake pkg-config clang libclang-rt-14-dev
libssl-dev libdeflate-dev zlib1g-dev libcmocka-dev libyaml-dev libjansson-dev
libcbor-dev libtss2-dev libmicrohttpd-dev libgnutls28-dev tpm2-tools swtpm swtpm-tools python3 python3-yaml
python3-jsonpatch curl nghttp2-client openssl gzip coreutils shellcheck
dpkg-dev debhelper lintian systemd zsh"
BENCH_PKGS="golang-go golang-github-burntsushi-toml-dev util-linux"

case ${1:-} in
'') ;;
bench) PKGS="$PKGS $BENCH_PKGS" ;;
*)
    echo "usage: $0 [bench]" >&2
    exit 2
    ;;
esac

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
        || missing="$missing $p"
done

if [ -n "$missing" ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "install-deps: installing:$missing" >&2
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086  # SUDO is empty or one word, missing a list of names
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
