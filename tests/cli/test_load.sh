#!/bin/sh
# One document loader (cli/load.c): every command that reads an Init-Data
# document prints every error and warning of it, in the same words and the
# same order, then one summary line, and stops (exit 1, nothing on stdout
# for the commands that would print the document's product).
#
# The oracle is the text below, written out by hand from the rules in
# initdata/doc.h; each command's stderr must hold exactly these lines (with
# the name it gives the document), plus only what the command says about
# itself (apply's "nothing was installed", extract's manifest warnings).
#
# Env: INITDATA, IDT_SHARED (optional: verify needs evidence from it).
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
EV=${IDT_SHARED:-}/testdata/trustee/evidence/snp_test-report.bin
cd "$T" || exit 1

# Two errors and a warning (\e is TOML 1.1 syntax; the warning comes first:
# diagnostics about the TOML itself lead).
printf 'version = "0.2.0"\nalgorithm = "sha-256"\n[data]\n"x" = "\\e"\n' >two.toml
cat >want <<'EOF'
DOC:4:8: warning: the escape \e is TOML 1.1: Kata 3.x agents (the Rust toml crate 0.5) reject it; Kata 4.0 and later, the Kata Go shim since 3.28 and Trustee accept it [IDT-DOC009]
    4 | "x" = "\e"
      |        ^
DOC:1:11: error: unsupported version "0.2.0" (kata accepts only "0.1.0"; the attestation-agent and Trustee do not check it) [IDT-DOC004]
    1 | version = "0.2.0"
      |           ^
DOC:2:13: error: algorithm "sha-256" is not supported (kata, attestation-agent and Trustee accept sha256, sha384, sha512) [IDT-DOC005]
    2 | algorithm = "sha-256"
      |             ^
DOC: invalid: 2 errors, 1 warning (rejected by kata, attestation-agent and Trustee)
EOF

# loaded NAME DOCNAME WANT_STDOUT_EMPTY ARGS...: runs the tool; exit 1, and
# stderr (with DOCNAME read as DOC, lines starting "initdata " dropped:
# the command's own words) is the text above.
loaded() {
    what=$1 docname=$2 empty=$3
    shift 3
    run_tool "$@"
    status "$what" 1
    grep -v '^initdata ' err | sed "s|^$docname:|DOC:|" >got
    if cmp -s want got; then ok; else bad "$what: stderr differs: $(diff want got)"; fi
    if [ "$empty" = yes ] && [ -s out ]; then bad "$what printed on stdout: $(head -c 200 out)"; fi
}

loaded "check" two.toml yes check two.toml
loaded "check --no-entries" two.toml yes check --no-entries two.toml
loaded "check (stdin)" '<stdin>' yes check - <two.toml
loaded "digest" two.toml yes digest two.toml
loaded "digest --platform" two.toml yes digest --platform snp --format base64 two.toml
loaded "inspect" two.toml yes inspect two.toml
loaded "inspect --json" two.toml yes inspect --json two.toml
loaded "claims" two.toml yes claims two.toml
loaded "kbs-request" two.toml yes kbs-request two.toml
loaded "apply --toml" two.toml yes apply --toml two.toml --insecure-no-binding --out applied
if grep -F -x -q 'initdata apply: nothing was installed' err; then ok; else bad "apply: $(cat err)"; fi
if [ ! -e applied ]; then ok; else bad "apply installed an invalid document"; fi

printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  runtimeClassName: kata\n' >pod.yaml
loaded "annotate --initdata" two.toml yes annotate --initdata two.toml pod.yaml
value=$("$INITDATA" encode two.toml)
loaded "annotate --annotation" '<decoded annotation>' yes annotate --annotation "$value" pod.yaml
# annotate refuses the document: the annotation is written by hand.
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    io.katacontainers.config.hypervisor.cc_init_data: %s\nspec:\n  runtimeClassName: kata\n' \
    "$value" >annotated.yaml
loaded "extract --summary" '<annotation of Pod/p>' no extract --summary annotated.yaml
if [ -f "$EV" ]; then
    loaded "verify" two.toml yes verify --evidence "$EV" two.toml
else
    echo "load: verify skipped (no $EV)"
fi

# A valid document with a warning: the warning is printed once and the
# command goes on.
printf 'version = "0.1.0"\nalgorithm = "sha256"\n[data]\n"x" = "\\e"\n' >warn.toml
for cmd in digest inspect claims kbs-request; do
    run_tool "$cmd" warn.toml
    status "$cmd warn.toml" 0
    same "$cmd warn.toml: the warning, once" 1 "$(grep -c 'warning: the escape \\e is TOML 1.1' err)"
done

echo "load: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
