#!/bin/sh
# The main job on the embedded default: show the tool and read a sample
# Init-Data document (the one the Kata runtime's own tests use).
set -eu
BIN=${1:-build/initdata}
"$BIN" --version
"$BIN" --help
echo
echo "== a sample Init-Data document, read as TOML =="
printf 'version = "0.1.0"\nalgorithm = "sha256"\n[data]\n"aa.toml" = %s\n%s\n\n"cdh.toml" = %s\n%s\n\n"policy.rego" = %s\n%s\n' \
    "'''" "'''" "'''" "'''" "'''" "'''" | "$BIN" toml-json -
