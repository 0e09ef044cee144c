#!/usr/bin/env python3
"""Helpers for the evidence tests, written with the standard library only so
that they stay independent of the tool under test.

  field JSON NAME [GROUP]    hex (or value) of a field in `evidence --json`
  check JSON NAME            status of a check in `evidence --json`
  describe JSON BNAME RNAME CHECK...
                             one line each: tee, init_data_field,
                             report_data_field, BNAME's hex, RNAME's hex,
                             certificate_chains_checked, each CHECK's status
  value ALG PLATFORM FILE    the binding value of FILE's bytes hashed with ALG:
                             tdx/snp/sgx/cca-kata fit (pad or truncate),
                             cca exact, vtpm SHA-256(0^32 || digest),
                             vtpm-peerpods the same with the first 32 bytes
  hash ALG FILE              hex digest of FILE
  bin SRC DST OFFSET HEX     copy SRC to DST with HEX written at OFFSET
  snpjson SRC DST HEX        Trustee SNP JSON with host_data replaced
  pcr8 SRC DST HEX           vTPM JSON with PCR 8 replaced (same encoding)
  cca SRC DST HEX            CCA token with the personalization value replaced
  azsnp SRC DIR              the SNP report (DIR/report.bin) and VCEK
                             (DIR/vcek.pem) inside az-snp-vtpm v0 evidence
  tpmjson AKDER MSG SIG PCRS OUT
                             Trustee's tpm evidence JSON from tpm2_quote files
                             (PCRS: the 24 SHA-256 PCR values, -F values)
"""
import base64
import hashlib
import json
import sys

SIZES = {"tdx": 48, "snp": 32, "sgx": 64, "cca": 64, "cca-kata": 64}


def fit(d, n):
    return (d + bytes(n))[:n]


def value(alg, platform, data):
    d = hashlib.new(alg, data).digest()
    if platform == "vtpm":
        return hashlib.sha256(bytes(32) + d).digest()
    if platform == "vtpm-peerpods":
        return hashlib.sha256(bytes(32) + d[:32]).digest()
    if platform == "cca":
        return d
    return fit(d, SIZES[platform])


def load(path):
    with open(path, "rb") as f:
        return f.read()


def save(path, data):
    with open(path, "wb") as f:
        f.write(data)


def field(doc, name, group):
    for f in doc["fields"]:
        if f["name"] == name and (f["group"] or "") == group:
            return f.get("hex", f.get("text", f.get("value")))
    return "(absent)"


def replace_pcr8(ev, new):
    q = ev.get("tpm_quote") or ev.get("quote")
    old = q["pcrs"][8]
    q["pcrs"][8] = list(new) if isinstance(old, list) else new.hex()


def main(argv):
    cmd = argv[1]
    if cmd == "field":
        print(field(json.loads(load(argv[2])), argv[3], argv[4] if len(argv) > 4 else ""))
    elif cmd == "check":
        doc = json.loads(load(argv[2]))
        print(next((c["status"] for c in doc["checks"] if c["name"] == argv[3]), "(absent)"))
    elif cmd == "describe":
        doc = json.loads(load(argv[2]))
        print(doc["tee"], doc["init_data_field"], doc["report_data_field"], sep="\n")
        print(field(doc, argv[3], ""), field(doc, argv[4], ""), sep="\n")
        print(doc["certificate_chains_checked"])
        for name in argv[5:]:
            print(next((c["status"] for c in doc["checks"] if c["name"] == name), "(absent)"))
    elif cmd == "value":
        print(value(argv[2], argv[3], load(argv[4])).hex())
    elif cmd == "hash":
        print(hashlib.new(argv[2], load(argv[3])).hexdigest())
    elif cmd == "bin":
        data = bytearray(load(argv[2]))
        new = bytes.fromhex(argv[5])
        off = int(argv[4])
        data[off:off + len(new)] = new
        save(argv[3], bytes(data))
    elif cmd == "snpjson":
        ev = json.loads(load(argv[2]))
        ev["attestation_report"]["host_data"] = list(bytes.fromhex(argv[4]))
        save(argv[3], json.dumps(ev).encode())
    elif cmd == "pcr8":
        ev = json.loads(load(argv[2]))
        replace_pcr8(ev, bytes.fromhex(argv[4]))
        save(argv[3], json.dumps(ev).encode())
    elif cmd == "cca":
        data = load(argv[2])
        key = bytes.fromhex("19accb5840")  # claim 44235, a 64-byte bstr
        i = data.index(key) + len(key)
        new = bytes.fromhex(argv[4])
        assert len(new) == 64
        save(argv[3], data[:i] + new + data[i + 64:])
    elif cmd == "azsnp":
        ev = json.loads(load(argv[2]))
        save(argv[3] + "/report.bin", bytes(ev["report"])[32:32 + 1184])
        save(argv[3] + "/vcek.pem", ev["vcek"].encode())
    elif cmd == "tpmjson":
        pcrs = load(argv[5])
        assert len(pcrs) == 24 * 32, len(pcrs)
        ev = {
            "ak_public": base64.b64encode(load(argv[2])).decode(),
            "tpm_quote": {
                "message": base64.b64encode(load(argv[3])).decode(),
                "signature": base64.b64encode(load(argv[4])).decode(),
                "pcrs": [pcrs[i:i + 32].hex() for i in range(0, len(pcrs), 32)],
            },
        }
        save(argv[6], json.dumps(ev).encode())
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
