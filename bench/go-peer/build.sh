#!/bin/sh
# build.sh OUT: builds the Go peer of `initdata webhook` (main.go) into the
# executable OUT, offline: GOPATH mode over the Go sources Debian packages
# install under /usr/share/gocode (golang-github-burntsushi-toml-dev), so
# nothing is fetched (GOPROXY=off, GOFLAGS cleared).  The build cache is
# Go's usual one (GOCACHE, else ~/.cache/go-build), or beside OUT when
# there is none, so a second build takes a second.  Exit 77 when there is no Go toolchain (`make bench` installs
# golang-go through scripts/install-deps.sh bench); any other failure is
# the build's.
set -eu
if [ $# -ne 1 ]; then
    echo "usage: $0 OUT" >&2
    exit 2
fi
out=$1
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v go >/dev/null 2>&1; then
    echo "go-peer: no Go toolchain (apt-get install golang-go golang-github-burntsushi-toml-dev)" >&2
    exit 77
fi
gocode=${IDT_GOCODE:-/usr/share/gocode}
if [ ! -f "$gocode/src/github.com/BurntSushi/toml/decode.go" ]; then
    echo "go-peer: github.com/BurntSushi/toml is not under $gocode/src" \
        "(apt-get install golang-github-burntsushi-toml-dev)" >&2
    exit 77
fi
mkdir -p "$(dirname "$out")"
outdir=$(cd "$(dirname "$out")" && pwd)
cache=$(GOFLAGS='' go env GOCACHE 2>/dev/null || true)
case $cache in
'' | off) cache=$outdir/go-cache ;;
esac
export GOPATH="$gocode" GO111MODULE=off GOFLAGS='' GOPROXY=off GOTOOLCHAIN=local \
    GOCACHE="$cache"
cd "$here"
exec go build -trimpath -o "$outdir/$(basename "$out")" main.go
