#!/bin/sh
# The README's main command (`make run`): the flow of the Confidential
# Containers Init-Data page ("Use-In-Attestation"), done with this tool.
#
#   Step 1  initdata.toml for the KBS at http://1.2.3.4:8080: aa.toml
#           [token_configs.kbs] url, cdh.toml [kbc] cc_kbc + url, and the
#           allow-all agent policy; checked; its digest and the values the
#           TDX (MRCONFIGID) and SNP (HOST_DATA) fields must hold.
#   Step 2  pod.yaml: the page's encrypted-image Pod on kata-qemu-tdx (with the
#           kernel_params annotation), carrying the Init-Data annotation under
#           io.katacontainers.config.hypervisor.cc_init_data, the key current
#           Kata reads (the page shows the older ...runtime.cc_init_data,
#           which only the Go runtime of Kata 3.8 to 3.19 reads).
#   Check   `initdata extract --summary pod.yaml`, and the annotation decodes
#           to the exact bytes of initdata.toml.
#
# Usage: sh scripts/run-default.sh [BIN] [OUTDIR]
#   BIN      the tool (default: build/initdata)
#   OUTDIR   where the two files go (default: $SEED_OUT, else ./seed-out)
#   SEED_LEGACY_KEY=1  use the page's legacy key instead, for the Go runtime of
#                      Kata 3.8 to 3.19
set -eu

BIN=${1:-build/initdata}
OUT=${2:-${SEED_OUT:-seed-out}}
KBS=http://1.2.3.4:8080
KEY=current
if [ "${SEED_LEGACY_KEY:-0}" = 1 ]; then
    KEY=legacy
fi

mkdir -p "$OUT"
TOML=$OUT/initdata.toml
POD=$OUT/pod.yaml

echo "== Step 1: $TOML (Init-Data for the KBS at $KBS) =="
"$BIN" new --kbs-url "$KBS" -o "$TOML"
"$BIN" check --platform tdx,snp "$TOML"
echo "digest:                   $("$BIN" digest "$TOML")"
echo "TDX MRCONFIGID (QEMU):    $("$BIN" digest --platform tdx --format qemu "$TOML")"
echo "SNP HOST_DATA (QEMU):     $("$BIN" digest --platform snp --format qemu "$TOML")"

echo
echo "== Step 2: $POD (the encrypted-image Pod, annotated) =="
# The page's Pod without its last annotation; `initdata annotate` adds it
# in the same place, so only the key differs from the page.
cat >"$POD" <<'EOF'
apiVersion: v1
kind: Pod
metadata:
  name: encrypted-image
  annotations:
    io.containerd.cri.runtime-handler: kata-qemu-tdx
    io.katacontainers.config.hypervisor.kernel_params: ' agent.guest_components_procs=confidential-data-hub'
spec:
  runtimeClassName: kata-qemu-tdx
  containers:
    - name: test-container
      image: some-registry.io/image
      imagePullPolicy: Always
      command:
        - sleep
        - "30"
EOF
"$BIN" annotate --initdata "$TOML" --key "$KEY" -i "$POD"

echo
echo "== Check: initdata extract --summary $POD =="
"$BIN" extract --summary "$POD"
if ! "$BIN" extract --raw "$POD" | cmp -s - "$TOML"; then
    echo "error: the annotation in $POD does not decode to $TOML" >&2
    exit 1
fi
echo
echo "ok: the annotation decodes to the exact bytes of $TOML (same digest)."
echo "Next: kubectl apply -f $POD"

echo
echo "== What else the tool does: initdata --help =="
"$BIN" --help
