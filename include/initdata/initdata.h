/*
 * initdata/initdata.h - the umbrella header of libinitdata.
 *
 * libinitdata reads, checks, digests, encodes and binds Confidential
 * Containers Init-Data documents, byte-compatible with Kata Containers,
 * guest-components and Trustee.  Include this header, link with
 * `pkg-config --libs initdata`.
 *
 * Modules:
 *   common.h  status codes and the error record
 *   toml.h    the strict TOML 1.1 / 1.0 parser, with positions and JSON output
 *   doc.h     a validated Init-Data document (exact bytes, entries, diagnostics,
 *             the KBS init-data object)
 *   digest.h  the digest and its TEE binding values (tdx, snp, cca, sgx, se, vtpm)
 *   codec.h   the Pod annotation (gzip + base64) and the Kata block image
 *   author.h  writing new documents (idt_author_new, the TOML string emitter)
 *   lint.h    the entries as their consumers read them (aa.toml, cdh.toml,
 *             policy.rego), the platforms, Trustee's claims
 *   manifest.h  the annotation in Kubernetes manifests (find, read, splice)
 *   evidence.h  TEE evidence: readers, signature checks, binding check, diagnosis
 *   guest.h   inside the guest: find, verify against the TEE, install (apply)
 *   admission.h  Kubernetes admission: validate and inject Init-Data (webhook, admit)
 */
#ifndef INITDATA_INITDATA_H
#define INITDATA_INITDATA_H

#define IDT_VERSION_MAJOR 0
#define IDT_VERSION_MINOR 1
#define IDT_VERSION_PATCH 0
#define IDT_VERSION_STRING "0.1.0"

#include "common.h"
#include "toml.h"
#include "doc.h"
#include "digest.h"
#include "codec.h"
#include "author.h"
#include "lint.h"
#include "manifest.h"
#include "guest.h"
#include "evidence.h"
#include "admission.h"

#endif /* INITDATA_INITDATA_H */
