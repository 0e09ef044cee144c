#!/bin/sh
# replay.sh REPLAY_BINARY TARGET
# Runs a replay_<TARGET> program (a fuzz target with driver.c as main) on
# fuzz/corpora/<TARGET>/ and on the target's shared seeds (seeds.sh).
# Exits 77 (skipped) when there is nothing to replay.
set -eu
bin=$1
target=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=fuzz/seeds.sh
. "$here/seeds.sh"

shared=$(fuzz_shared_seeds "$target" "$here/..")
set --
[ -d "$here/corpora/$target" ] && set -- "$here/corpora/$target"
old_ifs=$IFS
IFS='
'
for f in $shared; do
    set -- "$@" "$f"
done
IFS=$old_ifs

if [ $# -eq 0 ]; then
    echo "replay_$target: nothing to replay (no fuzz/corpora/$target, no shared seeds)"
    exit 77
fi
exec "$bin" "$@"
