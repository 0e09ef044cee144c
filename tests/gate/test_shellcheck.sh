#!/bin/sh
# Gate: shellcheck finds nothing in any shell script of the tree.
#
# Scripts: every *.sh, and every file under .ci/, scripts/, tests/, fuzz/
# and bench/ whose first line is a sh, bash or dash shebang (.ci/run).
# fuzz/corpora holds inputs, not scripts, and build trees are skipped.
# Files that are only sourced (tests/lib.sh, tests/swtpm.sh, fuzz/seeds.sh)
# name their shell with "# shellcheck shell=sh" and are checked on their
# own, and -x follows them from the scripts that source them: their
# "# shellcheck source=" paths are relative to the source tree, where this
# runs.  Every finding counts, notes included; a false positive is silenced
# on the line above it with "# shellcheck disable=SCxxxx  # why".
#
# Env: IDT_SOURCE_DIR (the source tree; default: two levels up).
set -u
root=${IDT_SOURCE_DIR:-$(dirname "$0")/../..}
cd "$root" || exit 1
if ! command -v shellcheck >/dev/null 2>&1; then
    echo "shellcheck: not installed (scripts/install-deps.sh installs the Debian package)"
    exit 1
fi

scripts() {
    find . \( -name .git -o -path './build*' -o -path ./fuzz/corpora -o -path ./fuzz-out \
        -o -path ./seed-out \) -prune -o -type f -print |
        while IFS= read -r f; do
            case $f in
            *.sh) echo "$f" ;;
            ./.ci/* | ./scripts/* | ./tests/* | ./fuzz/* | ./bench/*)
                if head -n 1 "$f" | grep -Eq '^#!.*[/ ](ba|da)?sh([[:space:]]|$)'; then
                    echo "$f"
                fi
                ;;
            esac
        done | sort
}

list=$(scripts)
if [ -z "$list" ]; then
    echo "shellcheck: no shell scripts under $(pwd)"
    exit 1
fi
passed=0 failed=0
for f in $list; do
    if shellcheck -x -f gcc "$f"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
done
[ "$failed" -eq 0 ] || echo "fix the findings, or silence a false positive with a reason (see the top of $0)"
echo "shellcheck: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
