# shellcheck shell=sh
# Sourced by the shell tests that need a TPM (after tests/lib.sh): starts
# and stops swtpm, Debian's TPM 2.0 simulator, on loopback only.
#   start_swtpm   starts a fresh TPM (new state) on two free consecutive
#                 ports (the swtpm TCTI finds the control port at port+1);
#                 sets TCTI and exports TPM2TOOLS_TCTI; returns 1 if it
#                 could not start (the log is in $T/swtpm.log)
#   stop_swtpm    stops it (also on exit, whatever happens)
SWTPM_PID=
SWTPM_STARTS=0
TCTI=
stop_swtpm() {
    if [ -n "$SWTPM_PID" ]; then
        kill "$SWTPM_PID" 2>/dev/null
        wait "$SWTPM_PID" 2>/dev/null
        SWTPM_PID=
    fi
}
trap 'stop_swtpm; rm -rf "$T"' EXIT
trap 'stop_swtpm; rm -rf "$T"; exit 1' INT TERM

swtpm_free_port_pair() {
    python3 - <<'PY'
import socket
for _ in range(100):
    a = socket.socket()
    a.bind(("127.0.0.1", 0))
    p = a.getsockname()[1]
    b = socket.socket()
    try:
        b.bind(("127.0.0.1", p + 1))
    except OSError:
        continue
    print(p)
    break
PY
}

start_swtpm() {
    for _attempt in 1 2 3 4 5; do
        SWTPM_STARTS=$((SWTPM_STARTS + 1))
        _state=$T/tpm-state-$SWTPM_STARTS
        mkdir -p "$_state"
        _port=$(swtpm_free_port_pair)
        swtpm socket --tpm2 --server "type=tcp,port=$_port,bindaddr=127.0.0.1" \
            --ctrl "type=tcp,port=$((_port + 1)),bindaddr=127.0.0.1" --tpmstate "dir=$_state" \
            --flags not-need-init,startup-clear >"$T/swtpm.log" 2>&1 &
        SWTPM_PID=$!
        TCTI=swtpm:host=127.0.0.1,port=$_port
        export TPM2TOOLS_TCTI="$TCTI"
        _i=0
        while [ $_i -lt 100 ] && kill -0 "$SWTPM_PID" 2>/dev/null; do
            if tpm2_pcrread sha256:8 >/dev/null 2>&1; then return 0; fi
            sleep 0.1
            _i=$((_i + 1))
        done
        stop_swtpm # a port was taken meanwhile: try others
    done
    return 1
}
