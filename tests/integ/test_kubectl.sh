#!/bin/sh
# kubectl: the plugin that `make install` links (kubectl-initdata), and
# kustomize through `kubectl kustomize --enable-alpha-plugins` running the
# installed exec plugin for the InitData kind (PREFIX/lib/kustomize/plugin).
#
# The tool is installed from the build tree (cmake --install, DESTDIR in a
# scratch folder), as `make install` does.  Oracles: `kubectl plugin list`
# must list the link; what `kubectl initdata ...` prints must be what the
# tool prints; kustomize's output must carry the annotation on the
# pod-bearing objects only, decoding (coreutils base64 + gzip) to the exact
# document bytes, and nothing of the plugin's protocol left behind.
# Without kubectl the test is skipped.  Exec KRM functions (exec: path:
# initdata-krm) need kustomize's --enable-exec, which kubectl 1.32 does not
# have: that part runs only when `kubectl kustomize --help` offers it.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"

if ! command -v kubectl >/dev/null 2>&1; then
    echo "kubectl: skipped (kubectl is not installed; the kubectl plugin and kustomize parts need it)"
    exit 77
fi
: "${IDT_BUILD_DIR:?IDT_BUILD_DIR must name the build tree}"
export KUBECONFIG="$T/no-kubeconfig" # nothing here talks to a cluster

# --- make install's links ------------------------------------------------------
R=$T/root
if DESTDIR=$R cmake --install "$IDT_BUILD_DIR" --prefix /usr >"$T/install.log" 2>&1; then ok; else
    bad "cmake --install: $(tail -5 "$T/install.log")"
fi
for link in usr/bin/kubectl-initdata usr/bin/initdata-krm \
    usr/lib/kustomize/plugin/initdata.confidentialcontainers.org/v1alpha1/initdata/InitData; do
    if [ -L "$R/$link" ] && [ -x "$R/$link" ]; then ok; else bad "make install: no link $link"; fi
done
BIN=$R/usr/bin
export KUSTOMIZE_PLUGIN_HOME="$R/usr/lib/kustomize/plugin"

# --- the kubectl plugin --------------------------------------------------------
PATH="$BIN:$PATH" kubectl plugin list >"$T/out" 2>"$T/err"
if grep -qx "$BIN/kubectl-initdata" "$T/out"; then ok; else
    bad "kubectl plugin list does not list $BIN/kubectl-initdata: $(cat "$T/out" "$T/err")"
fi
same "kubectl initdata --version" "$("$INITDATA" --version)" "$(PATH="$BIN:$PATH" kubectl initdata --version)"

"$INITDATA" new --kbs-url http://10.0.0.1:8080 -o "$T/initdata.toml" 2>/dev/null
cat >"$T/pod.yaml" <<'EOF'
apiVersion: v1
kind: Pod
metadata:
  name: p   # kept
spec:
  runtimeClassName: kata-qemu-tdx
  containers: [{name: c, image: busybox}]
EOF
PATH="$BIN:$PATH" kubectl initdata annotate --initdata "$T/initdata.toml" - <"$T/pod.yaml" >"$T/kout" 2>"$T/kerr"
rc=$?
crashed "kubectl initdata annotate"
status "kubectl initdata annotate" 0
"$INITDATA" annotate --initdata "$T/initdata.toml" - <"$T/pod.yaml" >"$T/tout" 2>/dev/null
if cmp -s "$T/kout" "$T/tout" && [ -s "$T/kout" ]; then ok; else
    bad "kubectl initdata annotate differs from initdata annotate: $(cat "$T/kerr")"
fi
# the annotation decodes (coreutils) to the document
sed -n 's/^ *io\.katacontainers\.config\.hypervisor\.cc_init_data: //p' "$T/kout" | base64 -d |
    gzip -dc >"$T/decoded" 2>/dev/null
if cmp -s "$T/decoded" "$T/initdata.toml"; then ok; else bad "kubectl initdata annotate: the value does not decode to the document"; fi
# exit statuses come through kubectl
printf 'version = 1\n' >"$T/bad.toml"
PATH="$BIN:$PATH" kubectl initdata check "$T/bad.toml" >/dev/null 2>&1
rc=$?
status "kubectl initdata check of an invalid document" 1

# --- kustomize: the exec plugin for kind InitData --------------------------------
mkdir -p "$T/k/base" "$T/k/overlay" "$T/k/services"
cat >"$T/k/base/app.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web}
    spec:
      runtimeClassName: kata-qemu-tdx
      containers: [{name: web, image: nginx}]
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        metadata:
          labels: {job: report}
        spec:
          runtimeClassName: kata-qemu-tdx
          restartPolicy: Never
          containers: [{name: r, image: busybox}]
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports: [{port: 80}]
EOF
printf 'resources:\n- app.yaml\n' >"$T/k/base/kustomization.yaml"
cp "$T/initdata.toml" "$T/k/overlay/initdata.toml"
cat >"$T/k/overlay/kustomization.yaml" <<'EOF'
resources:
- ../base
namePrefix: prod-
transformers:
- initdata.yaml
EOF
cat >"$T/k/overlay/initdata.yaml" <<'EOF'
apiVersion: initdata.confidentialcontainers.org/v1alpha1
kind: InitData
metadata:
  name: initdata
spec:
  initdata: initdata.toml   # relative to this kustomization
  key: both
EOF
kubectl kustomize --enable-alpha-plugins "$T/k/overlay" >"$T/built.yaml" 2>"$T/err"
rc=$?
status "kubectl kustomize overlay with InitData" 0
if [ "$rc" -ne 0 ]; then bad "kubectl kustomize: $(cat "$T/err")"; fi
for sel in Deployment/prod-web CronJob/prod-report; do
    "$INITDATA" extract --raw --select "$sel" "$T/built.yaml" >"$T/x" 2>"$T/xerr"
    if cmp -s "$T/x" "$T/initdata.toml"; then ok; else bad "kustomize: $sel does not carry the document: $(cat "$T/xerr")"; fi
done
same "kustomize: annotations set (both keys, 2 objects)" 4 \
    "$(grep -c 'io\.katacontainers\.config\.[a-z]*\.cc_init_data: H4sI' "$T/built.yaml")"
if grep -q 'kustomize.config.k8s.io/id\|config.kubernetes.io/index' "$T/built.yaml"; then
    bad "kustomize: the plugin protocol's annotations are left in the output"
else ok; fi
# the rest is what kustomize builds without the transformer
printf 'resources:\n- ../base\nnamePrefix: prod-\n' >"$T/k/plain.yaml"
mkdir "$T/k/plain" && cp "$T/k/plain.yaml" "$T/k/plain/kustomization.yaml"
kubectl kustomize "$T/k/plain" | grep -v '^ *annotations:$' >"$T/plain.out"
grep -v 'cc_init_data: H4sI\|^ *annotations:$' "$T/built.yaml" >"$T/built.rest"
if cmp -s "$T/plain.out" "$T/built.rest"; then ok; else bad "kustomize: more than the annotation changed: $(diff "$T/plain.out" "$T/built.rest" | head -20)"; fi

# the document inline, selecting the CronJob only
{
    printf 'apiVersion: initdata.confidentialcontainers.org/v1alpha1\nkind: InitData\nmetadata:\n  name: initdata\nspec:\n  select: [CronJob]\n  document: |\n'
    sed 's/^/    /' "$T/initdata.toml"
} >"$T/k/overlay/initdata.yaml"
kubectl kustomize --enable-alpha-plugins "$T/k/overlay" >"$T/built2.yaml" 2>"$T/err"
rc=$?
status "kubectl kustomize, the document inline" 0
same "kustomize, the document inline: one annotation (the CronJob)" 1 \
    "$(grep -c 'cc_init_data: H4sI' "$T/built2.yaml")"
"$INITDATA" extract --raw --select CronJob "$T/built2.yaml" >"$T/x" 2>/dev/null
if cmp -s "$T/x" "$T/initdata.toml"; then ok; else bad "kustomize, the document inline: the CronJob does not carry it"; fi

# a failure fails the build, with the tool's message
printf 'apiVersion: initdata.confidentialcontainers.org/v1alpha1\nkind: InitData\nmetadata: {name: i}\nspec: {initdata: missing.toml}\n' \
    >"$T/k/overlay/initdata.yaml"
kubectl kustomize --enable-alpha-plugins "$T/k/overlay" >"$T/out" 2>"$T/err"
rc=$?
if [ "$rc" -ne 0 ] && grep -q "missing.toml" "$T/err"; then ok; else
    bad "kustomize with a missing document: exit $rc, stderr: $(cat "$T/err")"
fi
# a kustomization without pods passes through
printf 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\n' >"$T/k/services/s.yaml"
printf 'resources:\n- s.yaml\ntransformers:\n- initdata.yaml\n' >"$T/k/services/kustomization.yaml"
printf 'apiVersion: initdata.confidentialcontainers.org/v1alpha1\nkind: InitData\nmetadata: {name: i}\nspec: {initdata: %s}\n' \
    "$T/initdata.toml" >"$T/k/services/initdata.yaml"
kubectl kustomize --enable-alpha-plugins "$T/k/services" >"$T/out" 2>"$T/err"
rc=$?
status "kubectl kustomize without pods" 0
if grep -q "kind: Service" "$T/out"; then ok; else bad "kustomize without pods: $(cat "$T/out" "$T/err")"; fi

# --- kustomize: the KRM function (exec: path), where kustomize can run it ------
if kubectl kustomize --help 2>/dev/null | grep -q -- '--enable-exec'; then
    ln -s "$BIN/initdata-krm" "$T/k/overlay/initdata-krm"
    cat >"$T/k/overlay/initdata.yaml" <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: initdata
  annotations:
    config.kubernetes.io/function: |
      exec:
        path: ./initdata-krm
data:
  initdata: initdata.toml
EOF
    kubectl kustomize --enable-alpha-plugins --enable-exec "$T/k/overlay" >"$T/built3.yaml" 2>"$T/err"
    rc=$?
    status "kubectl kustomize --enable-exec (KRM function)" 0
    same "KRM function: annotations" 2 "$(grep -c 'cc_init_data: H4sI' "$T/built3.yaml")"
else
    echo "kubectl: note: this kubectl's kustomize has no --enable-exec: the KRM exec function (initdata-krm) is tested directly (test_krm.py), not through kubectl"
fi

echo "kubectl: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
