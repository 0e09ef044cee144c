#!/bin/sh
# Documents as Kata 4 and Trustee read them: TOML 1.1 syntax is accepted
# with a warning at each use (Kata 3.x agents reject it), and nesting past
# the Rust toml crate 1.1's limit is an error in every command that reads a
# document.  Python's tomllib (TOML 1.0) is the independent oracle that the
# 1.1 documents really are not TOML 1.0.
#
# Sources (initdata-facts.md §9):
# - Kata 4.0+: kata-types, kata-agent, runtime-rs use the toml crate 1.1
#   (spec 1.1.0; Kata commit b2c91136a1); the Go shim uses BurntSushi/toml
#   1.6 (TOML 1.1 on by default) since 3.28; Trustee's attestation service
#   parses init_data with the toml crate 1.1.  Kata 3.x: toml 0.5.11.
# - The limit: toml-rs crates/toml/src/de/parser/mod.rs `const LIMIT: u32 = 80`
#   given to toml_parser's RecursionGuard (crates/toml_parser/src/parser/
#   event.rs: array_open/inline_table_open add one, depth > 80 fails), and
#   crates/toml/src/de/parser/key.rs: `LIMIT <= result_path.len()` refuses a
#   key whose parent path has 80 parts (so 81 parts in all).
set -u
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

HEAD='version = "0.1.0"
algorithm = "sha256"'
# nest N OPEN CLOSE [MIDDLE]: OPEN N times, MIDDLE, then CLOSE N times
nest() {
    python3 -c 'import sys; n = int(sys.argv[1]); sys.stdout.write(sys.argv[2] * n + (sys.argv[4:] or [""])[0] + sys.argv[3] * n)' "$@"
}
doc() { printf '%s\n%s\n[data]\n' "$HEAD" "$1" >"$T/$2"; }

# --- TOML 1.1 syntax: warnings at each construct ----------------------------
# file|the 1.1 text (@@: a newline)|line:col of the warning|what it names
while IFS='|' read -r name body at what; do
    body=$(printf '%s' "$body" | sed 's/@@/\n/g') # @@ stands for a newline
    printf '%s\n%s\n[data]\n"policy.rego" = "package agent_policy"\n' "$HEAD" "$body" >"$T/$name.toml"
    # The oracle: tomllib (TOML 1.0) must reject it (exit 1); exit 0 means it
    # reads it, anything else that the oracle itself did not run.
    python3 -c 'import sys, tomllib
try:
    tomllib.load(open(sys.argv[1], "rb"))
except tomllib.TOMLDecodeError:
    sys.exit(1)' "$T/$name.toml" 2>"$T/py.err"
    case $? in
    1) ok ;;
    0) bad "$name: tomllib (TOML 1.0) reads it: not a 1.1-only construct" ;;
    *) bad "$name: the tomllib oracle did not run: $(cat "$T/py.err")" ;;
    esac
    run_tool check "$T/$name.toml"
    status "check $name" 0
    if grep -q "^$T/$name.toml:$at: warning: $what is TOML 1.1: Kata 3.x agents (the Rust toml crate 0.5) reject it; Kata 4.0 and later, the Kata Go shim since 3.28 and Trustee accept it \[IDT-DOC009\]" "$T/err"; then
        ok
    else
        bad "check $name: no warning at $at naming $what: $(cat "$T/err")"
    fi
    run_tool check --strict "$T/$name.toml"
    status "check --strict $name" 1
    run_tool digest "$T/$name.toml"
    status "digest $name" 0
    same "digest $name is sha256 of the bytes" "$(sha256sum <"$T/$name.toml" | cut -d' ' -f1)" "$(cat "$T/out")"
    run_tool toml-json --toml 1.0 "$T/$name.toml"
    status "toml-json --toml 1.0 $name" 1
done <<'EOF'
escape-e|note = "\e[0m"|3:9|the escape \\e
escape-x|note = "\x41"|3:9|a \\xHH escape
inline-newline|meta = {@@  owner = "x" }|3:9|a newline or comment inside an inline table
inline-comment|meta = { # who@@  owner = "x" }|3:10|a newline or comment inside an inline table
trailing-comma|meta = { owner = "x", }|3:21|a trailing comma in an inline table
time-no-seconds|at = 07:32|3:6|a time without seconds
datetime-no-seconds|at = 1979-05-27T07:32Z|3:17|a time without seconds
EOF

# The same document in TOML 1.0 spelling: no warning at all.
printf '%s\nnote = "\\u001b[0m"\nmeta = { owner = "x" }\nat = 07:32:00\n[data]\n"policy.rego" = "package agent_policy"\n' \
    "$HEAD" >"$T/v10.toml"
run_tool check "$T/v10.toml"
status "check v10" 0
if grep -q 'IDT-DOC009' "$T/err"; then bad "check v10 warns: $(cat "$T/err")"; else ok; fi

# `new` writes only TOML 1.0, whatever the content (escapes included).
printf 'package agent_policy\n\033 \177 \001\n' >"$T/policy.rego"
run_tool new --policy "$T/policy.rego" -o "$T/new.toml"
status "new" 0
run_tool toml-json --toml 1.0 "$T/new.toml"
status "new's document read as TOML 1.0" 0
run_tool check --strict --no-entries "$T/new.toml"
status "new's document passes check --strict" 0

# --- nesting: 80 is fine, 81 is refused by every command --------------------
doc "x = $(nest 80 '[' ']')" ok80.toml
doc "x = $(nest 81 '[' ']')" deep81.toml
doc "x = $(nest 40 '[{a = ' '}]' 1)" aot40.toml
doc "x = $(nest 41 '[{a = ' '}]' 1)" aot41.toml
printf '%s\n[data]\n[%s]\n' "$HEAD" "$(python3 -c 'print(".".join(["k"] * 80))')" >"$T/key80.toml"
printf '%s\n[data]\n[%s]\n' "$HEAD" "$(python3 -c 'print(".".join(["k"] * 81))')" >"$T/key81.toml"
printf '%s\n[data]\n%s = 1\n' "$HEAD" "$(python3 -c 'print(".".join(["k"] * 81))')" >"$T/dotted81.toml"
for f in ok80 aot40 key80; do
    run_tool check "$T/$f.toml"
    status "check $f" 0
    run_tool encode "$T/$f.toml"
    status "encode $f" 0
    same "encode $f round trip" "$(sha256sum <"$T/$f.toml")" "$(base64 -d <"$T/out" | gzip -d | sha256sum)"
done
WHO='the kata-agent 4.x, runtime-rs and Trustee (the Rust toml crate 1.1) stop at 80'
# file|line:col|message start
while IFS='|' read -r f at msg; do
    for cmd in check digest inspect claims kbs-request; do
        run_tool $cmd "$T/$f.toml"
        status "$cmd $f" 1
        if grep -q "^$T/$f.toml:$at: error: $msg" "$T/err" && grep -q "$WHO" "$T/err"; then
            ok
        else
            bad "$cmd $f: want $at '$msg': $(head -1 "$T/err")"
        fi
    done
    # The encoders pass the bytes through, but not a document no Rust
    # consumer can parse: nothing is written.
    for enc in encode "image create"; do
        # shellcheck disable=SC2086 # "image create" is two words
        run_tool $enc "$T/$f.toml" -o "$T/out.enc"
        status "$enc $f" 1
        if grep -q "error: $msg" "$T/err"; then ok; else bad "$enc $f: $(head -1 "$T/err")"; fi
        if [ -e "$T/out.enc" ]; then bad "$enc $f wrote its output"; else ok; fi
    done
    printf 'kind: Pod\nmetadata:\n  name: p\n' >"$T/pod.yaml"
    run_tool annotate --initdata "$T/$f.toml" -i "$T/pod.yaml"
    status "annotate $f" 1
    if grep -q "error: $msg" "$T/err"; then ok; else bad "annotate $f: $(head -1 "$T/err")"; fi
    if grep -q cc_init_data "$T/pod.yaml"; then bad "annotate $f wrote the manifest"; else ok; fi
    run_tool apply --toml "$T/$f.toml" --platform none --insecure-no-binding --root "$T/root" \
        -o "$T/installed"
    status "apply $f" 1
    if grep -q "error: $msg" "$T/err"; then ok; else bad "apply $f: $(head -1 "$T/err")"; fi
    if [ -e "$T/installed/initdata.toml" ]; then bad "apply $f installed something"; else ok; fi
done <<'EOF'
deep81|3:85|arrays and inline tables nested 81 deep here
aot41|3:246|arrays and inline tables nested 82 deep here
key81|4:2|a key of 81 parts
dotted81|4:1|a key of 81 parts
EOF

# toml-json has its own bound: it reads what the consumers refuse.
run_tool toml-json "$T/deep81.toml"
status "toml-json deep81 (its own bound)" 0
run_tool toml-json --max-depth 81 "$T/deep81.toml"
status "toml-json --max-depth 81 deep81" 0
run_tool toml-json --max-depth 80 "$T/deep81.toml"
status "toml-json --max-depth 80 deep81" 1
run_tool toml-json --max-depth 0 "$T/deep81.toml"
status "toml-json --max-depth 0" 2
run_tool toml-json --toml 1.2 "$T/deep81.toml"
status "toml-json --toml 1.2" 2

echo "toml11: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
