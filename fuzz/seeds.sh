# shellcheck shell=sh
# Inputs for the fuzz targets beyond their own corpus, shared by run.sh
# (libFuzzer runs) and replay.sh (ctest replays).  Sourced, not run.
#
# A target's own corpus is fuzz/corpora/<target>/ (checked in: small
# hand-written seeds and inputs that once crashed).  Seeds that live in the
# shared test data are listed here, by target, and never copied into the
# repository; so are the libFuzzer dictionaries.  Add a case when a new
# target reads TOML or has shared seeds.

# IDT_SHARED, or ../shared beside the source tree SOURCE_DIR (as
# tests/CMakeLists.txt does).
fuzz_shared_root() {
    if [ -n "${IDT_SHARED:-}" ]; then
        printf '%s\n' "$IDT_SHARED"
    else
        printf '%s/shared\n' "$(cd "$1/.." && pwd)"
    fi
}

# fuzz_shared_seeds TARGET SOURCE_DIR: prints the shared seed files of
# TARGET, one per line; nothing when the shared data is absent.  When it is
# there, a seed (or seed directory) it lacks is printed all the same, so
# that the replay and libFuzzer fail on it, naming it: broken shared data is
# an error, never fewer inputs.
fuzz_shared_seeds() {
    root=$(fuzz_shared_root "$2")/testdata
    [ -d "$root" ] || return 0
    case $1 in
    toml_*)
        # toml-test's valid and invalid documents (not its .json answers).
        for d in valid invalid; do
            seed_find "$root/toml-test/tests/$d" -name '*.toml'
        done | LC_ALL=C sort
        ;;
    doc_check)
        # Real Init-Data documents from Trustee, Kata and the CAA.
        for d in trustee kata caa; do
            seed_find "$root/$d" -maxdepth 1 -name '*.toml'
        done | LC_ALL=C sort
        ;;
    codec_decode)
        for f in kata/runtime-utils-test.annotation.b64 kata/how-to-agent-policy.annotation.b64 \
                 caa/provision-test.annotation.b64 caa/doc-pod-annotation.b64; do
            printf '%s\n' "$root/$f"
        done
        ;;
    evidence_dcap)
        for f in tdx_quote_4.dat tdx_quote_5.dat occlum_quote.dat az-tdx-vtpm_td-quote.bin; do
            printf '%s\n' "$root/trustee/evidence/$f"
        done
        ;;
    evidence_snp)
        for f in snp_test-report.bin snp_test-vlek-report.bin e2e_snp_evidence.json; do
            printf '%s\n' "$root/trustee/evidence/$f"
        done
        ;;
    evidence_cca)
        printf '%s\n' "$root/trustee/evidence/cca_misc_cca-example-token.cbor"
        ;;
    evidence_json)
        seed_find "$root/trustee/evidence" -name '*.json' ! -name 'parse_*' ! -name 'cca-claims*' |
            LC_ALL=C sort
        ;;
    evidence_hcl)
        for f in az-snp-vtpm_hcl-report.bin az-tdx-vtpm_hcl-report.bin; do
            printf '%s\n' "$root/trustee/evidence/$f"
        done
        ;;
    json_read)
        # The API server's JSON fixtures (Pods, Deployments, an AdmissionReview).
        seed_find "$root/k8s/api-testdata" -name '*.json' | LC_ALL=C sort
        ;;
    image_read | guest_device)
        printf '%s\n' "$root/kata/agent-testdata-initdata.img"
        ;;
    esac
    return 0
}

# seed_find DIR FIND-TESTS...: the regular files under DIR that the find(1)
# tests select; when DIR is missing, DIR itself.
seed_find() {
    if [ -d "$1" ]; then
        dir=$1
        shift
        find "$dir" "$@" -type f
    else
        printf '%s\n' "$1"
    fi
}

# fuzz_dictionary TARGET SOURCE_DIR: prints the libFuzzer dictionary of
# TARGET (fuzz/<TARGET>.dict, or fuzz/toml.dict for the targets whose input
# is TOML text), or nothing.
fuzz_dictionary() {
    if [ -f "$2/fuzz/$1.dict" ]; then
        printf '%s\n' "$2/fuzz/$1.dict"
        return 0
    fi
    case $1 in
    toml_* | doc_*) printf '%s\n' "$2/fuzz/toml.dict" ;;
    esac
    return 0
}
