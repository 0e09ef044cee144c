#!/usr/bin/env python3
"""deploy/Containerfile: its structure, and the image when buildah can build it.

Lint (always):
  * at least two stages, every FROM on Debian 12 (debian:bookworm-slim), the
    build stage named and every COPY --from naming an earlier stage;
  * no ADD of a remote URL (nor ADD at all: COPY says what it does);
  * the final stage's USER is a numeric non-root uid, the Deployment's
    runAsUser; ENTRYPOINT ["/usr/bin/initdata","webhook"] and CMD
    ["--config","/etc/initdata/webhook.toml"] in JSON form, the path the
    Deployment passes; EXPOSE is the configuration's [server] port;
  * the runtime stage's packages provide every shared library $INITDATA
    names (readelf's NEEDED, found with ldd, its package by `dpkg -S`:
    installed there, or in every Debian image: libc6, libgcc-s1; apt brings
    what those need), sanitizer runtimes aside;
  * with apt lists on the machine, every package named exists in Debian 12;
  * .containerignore keeps .git and the build trees out of the context.
Build (when buildah runs and the base image is in its local storage, unless
IDT_BUILDAH=0; there is no registry access here, see README "Run it in a
cluster"): `buildah build`, then the image's config (User, Entrypoint, Cmd)
and `initdata --version`, `initdata webhook --help` and `initdata check` of
the example document run in it as uid 65532.

Output: FAIL lines, then `containerfile: N passed, M failed`.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import idt_test  # noqa: E402

T = idt_test.Test("containerfile")
check = T.check
SRC = idt_test.source_dir()
CONTAINERFILE = os.path.join(SRC, "deploy", "Containerfile")
BASE_IMAGE = "docker.io/library/debian:bookworm-slim"
# Packages in every Debian image (Priority: required), and the sanitizer
# runtimes of a sanitized $INITDATA, which the Release build does not link.
IN_BASE = {"libc6", "libgcc-s1"}
SANITIZER_RE = re.compile(r"^lib(asan|ubsan|lsan|tsan)\d*$|^libstdc\+\+6$|^gcc-\d+-base$")


def instructions(text):
    """[(KEYWORD, arguments)] with line continuations joined, comments dropped."""
    out, cur = [], ""
    for line in text.split("\n"):
        s = line.strip()
        if not cur and (not s or s.startswith("#")):
            continue
        if cur and s.startswith("#"):
            continue
        cur += (" " if cur else "") + s
        if cur.endswith("\\"):
            cur = cur[:-1].rstrip()
            continue
        kw, _, rest = cur.partition(" ")
        out.append((kw.upper(), rest.strip()))
        cur = ""
    return out


def stages(instrs):
    """[{"from": image, "name": name or None, "instrs": [...]}]"""
    out = []
    for kw, rest in instrs:
        if kw == "FROM":
            words = [w for w in rest.split() if not w.startswith("--")]
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            out.append({"from": words[0] if words else "", "name": name, "instrs": []})
        elif out:
            out[-1]["instrs"].append((kw, rest))
    return out


def apt_packages(stage):
    """The packages of the stage's apt-get install commands."""
    pkgs = []
    for kw, rest in stage["instrs"]:
        if kw != "RUN":
            continue
        for cmd in re.split(r"&&|;", rest):
            words = cmd.split()
            if "apt-get" in words and "install" in words:
                pkgs += [w for w in words[words.index("install") + 1:] if not w.startswith("-")]
    return pkgs


def dpkg_owner(path):
    """The package that owns a file, trying the path as ldd gives it and as
    the real path (/lib is /usr/lib on merged-/usr systems)."""
    for p in dict.fromkeys([path, os.path.realpath(path), path.replace("/usr/lib/", "/lib/", 1),
                            path.replace("/lib/", "/usr/lib/", 1)]):
        r = subprocess.run(["dpkg", "-S", p], capture_output=True, text=True)
        if r.returncode == 0:
            return r.stdout.split(":")[0].strip()
    return None


def check_libraries(runtime_pkgs):
    """Every library the binary names (DT_NEEDED) comes from a runtime
    package (or the base image); apt brings their own dependencies."""
    if not all(shutil.which(p) for p in ("ldd", "readelf", "dpkg")):
        print("note: no ldd, readelf or dpkg: the runtime packages are not checked against "
              "the binary", file=sys.stderr)
        return
    # Both programs: initdata, and the server `initdata webhook` runs.
    for tool in (idt_test.tool_path(),
                 os.path.join(os.path.dirname(idt_test.tool_path()), "initdata-webhook")):
        check_binary(tool, runtime_pkgs)


def check_binary(tool, runtime_pkgs):
    r = subprocess.run(["ldd", tool], capture_output=True, text=True)
    d = subprocess.run(["readelf", "-d", tool], capture_output=True, text=True)
    if not check(r.returncode == 0 and d.returncode == 0,
                 f"ldd/readelf {tool}: {r.stderr}{d.stderr}"):
        return
    paths = dict(re.findall(r"^\s*(\S+) => (/\S+)", r.stdout, re.M))
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", d.stdout)
    allowed = set(runtime_pkgs) | IN_BASE
    libs = 0
    for lib in needed:
        pkg = dpkg_owner(paths[lib]) if lib in paths else None
        if pkg and SANITIZER_RE.match(pkg.split(":")[0]):
            continue
        libs += 1
        check(pkg is not None and pkg.split(":")[0] in allowed,
              f"{lib} (package {pkg}) is not installed by the runtime stage "
              f"({' '.join(runtime_pkgs)})")
    check(libs >= 5, f"{tool} needs only {libs} libraries: {d.stdout}")


def check_packages_exist(pkgs):
    if not shutil.which("apt-cache") or subprocess.run(
            ["apt-cache", "show", "libc6"], capture_output=True).returncode != 0:
        print("note: no apt lists (apt-get update): package names not checked", file=sys.stderr)
        return
    for p in pkgs:
        r = subprocess.run(["apt-cache", "show", "--no-all-versions", p], capture_output=True)
        check(r.returncode == 0 and r.stdout.strip() != b"", f"no Debian package {p}")


def buildah_works():
    if os.environ.get("IDT_BUILDAH") == "0":
        return "IDT_BUILDAH=0"
    if not shutil.which("buildah"):
        return "buildah is absent"
    r = subprocess.run(["buildah", "inspect", "--type", "image", BASE_IMAGE],
                       capture_output=True, timeout=120)
    if r.returncode != 0:
        return (f"the base image {BASE_IMAGE} is not in buildah's local storage and no "
                "registry can be reached here")
    return None


def build_image(uid):
    why = buildah_works()
    if why:
        print(f"note: the image is not built ({why}); the Containerfile was only linted",
              file=sys.stderr)
        return
    tag = f"localhost/initdata-test:{os.getpid()}"
    ctr = None
    try:
        r = subprocess.run(["buildah", "build", "--isolation", "chroot", "--pull=never",
                            "--layers=false", "-f", CONTAINERFILE, "-t", tag, SRC],
                           capture_output=True, timeout=1500)
        if not check(r.returncode == 0, f"buildah build: exit {r.returncode}: "
                     f"{r.stderr.decode('utf-8', 'replace')[-3000:]}"):
            return
        r = subprocess.run(["buildah", "inspect", "--type", "image", tag], capture_output=True)
        cfg = json.loads(r.stdout).get("OCIv1", {}).get("config", {})
        check(cfg.get("User") == f"{uid}:{uid}", f"image User {cfg.get('User')!r}")
        check(cfg.get("Entrypoint") == ["/usr/bin/initdata", "webhook"],
              f"image Entrypoint {cfg.get('Entrypoint')}")
        check(cfg.get("Cmd") == ["--config", "/etc/initdata/webhook.toml"],
              f"image Cmd {cfg.get('Cmd')}")
        r = subprocess.run(["buildah", "from", "--pull=never", tag], capture_output=True,
                           text=True)
        if not check(r.returncode == 0, f"buildah from: {r.stderr}"):
            return
        ctr = r.stdout.strip()
        cfgdir = os.path.join(SRC, "deploy", "config")
        for args, want in ((["/usr/bin/initdata", "--version"], b"initdata "),
                           (["/usr/bin/initdata", "check", "/cfg/documents/team-a.toml"],
                            b": valid:"),
                           (["/usr/bin/initdata", "webhook", "--help"],
                            b"Usage: initdata webhook"),
                           (["/usr/bin/id", "-u"], f"{uid}".encode())):
            r = subprocess.run(["buildah", "run", "--isolation", "chroot", "-v",
                                f"{cfgdir}:/cfg:ro", ctr, "--"] + args,
                               capture_output=True, timeout=300)
            check(r.returncode == 0 and want in r.stdout + r.stderr,
                  f"buildah run {' '.join(args)}: exit {r.returncode}: {r.stdout + r.stderr!r}")
        print(f"containerfile: built {tag} and ran it")
    finally:
        if ctr:
            subprocess.run(["buildah", "rm", ctr], capture_output=True)
        subprocess.run(["buildah", "rmi", "-f", tag], capture_output=True)


def main():
    with open(CONTAINERFILE, encoding="utf-8") as f:
        text = f.read()
    instrs = instructions(text)
    st = stages(instrs)
    check(len(st) >= 2, f"{len(st)} stages, want a build and a runtime stage")
    names = set()
    for i, s in enumerate(st):
        check(re.fullmatch(r"(docker\.io/(library/)?)?debian:bookworm(-slim)?(@sha256:[0-9a-f]{64})?",
                           s["from"]) is not None, f"stage {i}: FROM {s['from']}: not Debian 12")
        for kw, rest in s["instrs"]:
            m = re.search(r"--from=(\S+)", rest) if kw == "COPY" else None
            if m:
                check(m.group(1) in names, f"stage {i}: COPY --from={m.group(1)}: no such "
                      "earlier stage")
        if s["name"]:
            names.add(s["name"])
    check(st and st[0]["name"] is not None, "the build stage has no name (FROM ... AS build)")
    for kw, rest in instrs:
        check(kw != "ADD", f"ADD {rest}: use COPY (and never ADD a URL)")
        check(not re.search(r"\b(https?|ftp|git)://|\bgit@", rest),
              f"{kw} {rest[:100]}: names a URL (the build takes nothing but Debian packages)")
    final = st[-1] if st else {"instrs": []}
    users = [rest for kw, rest in final["instrs"] if kw == "USER"]
    uid = None
    if check(len(users) >= 1, "the final stage has no USER"):
        m = re.fullmatch(r"(\d+)(?::(\d+))?", users[-1])
        check(m is not None and int(m.group(1)) != 0 and (m.group(2) is None or
                                                          int(m.group(2)) != 0),
              f"USER {users[-1]}: want a numeric non-root uid (and gid)")
        uid = int(m.group(1)) if m else None
    last = {}
    for kw, rest in final["instrs"]:
        last[kw] = rest
    try:
        entry = json.loads(last.get("ENTRYPOINT", "null"))
        cmd = json.loads(last.get("CMD", "null"))
    except json.JSONDecodeError as e:
        entry = cmd = None
        T.fail(f"ENTRYPOINT or CMD is not in JSON form: {e}")
    check(entry == ["/usr/bin/initdata", "webhook"], f"ENTRYPOINT {entry}")
    check(cmd == ["--config", "/etc/initdata/webhook.toml"], f"CMD {cmd}")
    check(any(kw == "COPY" and "/usr/bin/initdata" in rest for kw, rest in final["instrs"]),
          "the final stage does not COPY the binary to /usr/bin/initdata")

    # The Deployment and the configuration agree with the image.
    with open(os.path.join(SRC, "deploy", "base", "deployment.yaml"), encoding="utf-8") as f:
        dep = yaml.safe_load(f)
    c = dep["spec"]["template"]["spec"]["containers"][0]
    run_as = c.get("securityContext", {}).get("runAsUser")
    check(uid is not None and run_as == uid, f"USER {uid} is not the Deployment's runAsUser "
          f"{run_as}")
    check(cmd is not None and c.get("args") == cmd,
          f"the Deployment's args {c.get('args')} are not the image's CMD {cmd}")
    with open(os.path.join(SRC, "deploy", "config", "webhook.toml"), "rb") as f:
        port = tomllib.load(f)["server"]["port"]
    check(last.get("EXPOSE") == str(port), f"EXPOSE {last.get('EXPOSE')}, want {port}")

    runtime = apt_packages(final)
    build = apt_packages(st[0]) if st else []
    check(len(runtime) > 0 and len(build) > 0, "no apt-get install in the stages")
    check(not [p for p in runtime if p.endswith("-dev")],
          f"-dev packages in the runtime stage: {runtime}")
    check_libraries(runtime)
    check_packages_exist(build + runtime)

    ignore_path = os.path.join(SRC, ".containerignore")
    if check(os.path.isfile(ignore_path), "no .containerignore: COPY . . takes .git and build*/"):
        with open(ignore_path, encoding="utf-8") as f:
            ignored = {l.strip() for l in f if l.strip() and not l.startswith("#")}
        check({".git", "build*"} <= ignored, f".containerignore lacks .git or build*: {ignored}")

    if uid is not None:
        build_image(uid)
    return T.finish()


if __name__ == "__main__":
    sys.exit(main())
