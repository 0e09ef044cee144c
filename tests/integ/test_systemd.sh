#!/bin/sh
# The guest's boot units, systemd/initdata-apply.service.in (Kata) and
# systemd/initdata-apply-peerpod.service.in (peer pods):
#   * `systemd-analyze verify` accepts both (with the tool at their
#     ExecStart path and the man page of Documentation= found), and prints
#     nothing: a misspelt setting is only a warning to verify, so silence is
#     what is checked;
#   * the ordering and the fail-closed wiring: a oneshot that stays active,
#     ordered before, and required by, the attestation-agent and the
#     confidential-data-hub; its messages to the journal;
#   * the ExecStart line itself, run as systemd would (its $VARIABLES split
#     at blanks) in staged guests (--root, from the environment file's
#     INITDATA_APPLY_ARGS): the Kata unit installs the document found on
#     the initdata disk; without a TEE it fails (exit 3) with a deny-all
#     policy.rego and the reason on stderr; the peer-pods unit installs
#     /run/peerpod/{aa.toml,cdh.toml,policy.rego,initdata.digest} from the
#     annotation value in a file.
# Without systemd-analyze the test is skipped.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

if ! command -v systemd-analyze >/dev/null 2>&1; then
    echo "systemd: skipped (systemd-analyze is not installed: apt-get install systemd)"
    exit 77
fi
SRC=${IDT_SOURCE_DIR:-$(dirname "$0")/../..}
TOOL=$(cd "$(dirname "$INITDATA")" && pwd)/$(basename "$INITDATA")
BINDIR=$(dirname "$TOOL")
UNITS="initdata-apply initdata-apply-peerpod"
mkdir -p "$T/units" "$T/man/man1"
cp "$SRC"/docs/man/*.1 "$T/man/man1/"
for u in $UNITS; do
    sed "s|@IDT_BINDIR@|$BINDIR|g" "$SRC/systemd/$u.service.in" >"$T/units/$u.service"
done

# --- systemd-analyze verify -------------------------------------------------------
for u in $UNITS; do
    (cd "$T/units" && MANPATH="$T/man" SYSTEMD_LOG_LEVEL=notice systemd-analyze verify "./$u.service") \
        >"$T/out" 2>&1
    rc=$?
    status "systemd-analyze verify $u.service" 0
    same "systemd-analyze verify $u.service: output" "" "$(cat "$T/out")"
done
# verify does catch a broken unit (so its silence above means something)
sed 's|^ExecStart=[^ ]*|ExecStart=/nonexistent/initdata|' "$T/units/initdata-apply.service" \
    >"$T/units/broken.service"
if (cd "$T/units" && MANPATH="$T/man" systemd-analyze verify ./broken.service) >/dev/null 2>&1; then
    bad "systemd-analyze verify accepts a unit whose tool is missing"
else ok; fi

# --- the wiring -------------------------------------------------------------------
# setting UNIT KEY: the values of KEY in UNIT, one line
setting() { sed -n "s/^$2=//p" "$T/units/$1.service" | tr '\n' ' ' | sed 's/ $//'; }
for u in $UNITS; do
    same "$u: Type" oneshot "$(setting "$u" Type)"
    same "$u: RemainAfterExit" yes "$(setting "$u" RemainAfterExit)"
    case " $(setting "$u" Before) " in
    *" attestation-agent.service confidential-data-hub.service "*) ok ;;
    *) bad "$u: not Before= the attestation-agent and the confidential-data-hub" ;;
    esac
    same "$u: RequiredBy" "attestation-agent.service confidential-data-hub.service" \
        "$(setting "$u" RequiredBy)"
    same "$u: StandardError" "journal+console" "$(setting "$u" StandardError)"
    same "$u: SyslogIdentifier" "$u" "$(setting "$u" SyslogIdentifier)"
    case $(setting "$u" ExecStart) in
    *--deny-policy-on-error*) ok ;;
    *) bad "$u: ExecStart without --deny-policy-on-error" ;;
    esac
done

# run_unit UNIT VAR=VALUE...: runs UNIT's ExecStart as systemd would: the
# unit's Environment= defaults, then VAR=VALUE (the environment file), each
# $VAR replaced by its value split at blanks.
run_unit() {
    unit=$1
    shift
    line=$(setting "$unit" ExecStart)
    # the environment file's values first: they override the defaults
    for kv in "$@" $(sed -n 's/^Environment=//p' "$T/units/$unit.service"); do
        var=${kv%%=*}
        line=$(printf '%s\n' "$line" | sed "s|\\\$$var|${kv#*=}|")
    done
    # never on this machine's own /sys, /dev and /run: only in a staged guest
    case $line in
    *"--root $T/"*) ;;
    *)
        bad "$unit: refusing to run without --root in the scratch folder: $line"
        rc=99
        return
        ;;
    esac
    # shellcheck disable=SC2086  # split at blanks, as systemd splits $VAR
    set -- $line
    "$@" >"$T/out" 2>"$T/err"
    rc=$?
    crashed "$unit: $line"
}

"$INITDATA" new --kbs-url http://10.0.0.1:8080 -o "$T/initdata.toml" 2>/dev/null
R=$T/kata
mkdir -p "$R/sys/block/vda" "$R/sys/block/vdb" "$R/dev"
printf 'initdata\n' >"$R/sys/block/vdb/serial"
head -c 4096 /dev/zero >"$R/dev/vda"
"$INITDATA" image create "$T/initdata.toml" -o "$R/dev/vdb"

run_unit initdata-apply "INITDATA_APPLY_ARGS=--root $R --platform none --insecure-no-binding"
status "initdata-apply.service in a staged Kata guest" 0
D=$R/run/confidential-containers/initdata
if cmp -s "$D/initdata.toml" "$T/initdata.toml" && [ -s "$D/aa.toml" ] && [ -s "$D/cdh.toml" ] &&
    [ -s "$D/policy.rego" ]; then ok; else bad "initdata-apply.service: not installed: $(ls "$D") $(cat "$T/err")"; fi

R=$T/kata-no-tee
cp -r "$T/kata" "$R"
rm -rf "$R/run"
run_unit initdata-apply "INITDATA_APPLY_ARGS=--root $R"
if [ "$rc" -ne 0 ]; then ok; else bad "initdata-apply.service without a TEE: exit 0"; fi
P=$R/run/confidential-containers/initdata/policy.rego
if [ "$(ls "$R/run/confidential-containers/initdata")" = policy.rego ] &&
    grep -q '^default CreateContainerRequest := false$' "$P"; then ok; else
    bad "initdata-apply.service without a TEE: no deny-all policy: $(ls "$R/run/confidential-containers/initdata")"
fi
if grep -q 'error' "$T/err"; then ok; else bad "initdata-apply.service without a TEE: no message for the journal"; fi

R=$T/peerpod
mkdir -p "$R"
"$INITDATA" encode "$T/initdata.toml" >"$T/initdata.b64"
run_unit initdata-apply-peerpod "INITDATA_SOURCE=--annotation=@$T/initdata.b64" INITDATA_VTPM_RULE= \
    "INITDATA_APPLY_ARGS=--root $R --platform none --insecure-no-binding"
status "initdata-apply-peerpod.service in a staged pod VM" 0
D=$R/run/peerpod
same "initdata-apply-peerpod.service: initdata.digest" "$("$INITDATA" digest "$T/initdata.toml")" \
    "$(cat "$D/initdata.digest" 2>/dev/null)"
if [ -s "$D/aa.toml" ] && [ -s "$D/cdh.toml" ] && [ -s "$D/policy.rego" ]; then ok; else
    bad "initdata-apply-peerpod.service: not installed: $(ls "$D") $(cat "$T/err")"
fi
run_unit initdata-apply-peerpod "INITDATA_SOURCE=--annotation=@$T/missing.b64" INITDATA_VTPM_RULE= \
    "INITDATA_APPLY_ARGS=--root $T/peerpod2 --platform none --insecure-no-binding"
if [ "$rc" -ne 0 ] && grep -q "missing.b64" "$T/err"; then ok; else
    bad "initdata-apply-peerpod.service without its document: exit $rc: $(cat "$T/err")"
fi

echo "systemd: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
