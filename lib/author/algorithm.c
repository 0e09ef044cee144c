/* Which hash algorithm a new document uses, given the platforms it must
 * work on (author.h, initdata-facts section 3). */
#include "initdata/author.h"
#include "util/error_int.h"

/* The algorithms whose digest every consumer on a platform accepts, as
 * bits (1 << alg).  Only CCA and vTPM restrict: the other fields take any
 * digest, zero-padded or truncated.  The reasons are worded once, by
 * idt_platform_warning(). */
#define BIT(alg) (1u << (alg))
#define KATA_ALGS (BIT(IDT_DIGEST_SHA256) | BIT(IDT_DIGEST_SHA384) | BIT(IDT_DIGEST_SHA512))

static unsigned allowed_on(idt_platform p)
{
    switch (p) {
    case IDT_PLATFORM_CCA: return BIT(IDT_DIGEST_SHA512);
    case IDT_PLATFORM_VTPM: return BIT(IDT_DIGEST_SHA256);
    default: return KATA_ALGS;
    }
}

/* The first algorithm in mask (for masks of one bit: "use sha512"). */
static idt_digest_alg only(unsigned mask)
{
    for (int a = IDT_DIGEST_SHA256; a <= IDT_DIGEST_SHA512; a++)
        if (mask & BIT(a))
            return (idt_digest_alg)a;
    return IDT_DIGEST_SHA256;
}

static int check_requested(idt_digest_alg a, idt_error *err)
{
    if (a == IDT_DIGEST_SM3)
        return idtx_error_set(err, IDT_EINVAL, NULL,
                              "algorithm sm3 is accepted by the attestation-agent and Trustee "
                              "but rejected by kata; use sha256, sha384 or sha512");
    if (a < IDT_DIGEST_SHA256 || a > IDT_DIGEST_SHA512)
        return idtx_error_set(err, IDT_EINVAL, NULL, "unknown algorithm value %d", (int)a);
    return IDT_OK;
}

/* p and q (both valid) have no algorithm in common: say which rule of
 * which platform is in the way. */
static int no_common(idt_platform p, idt_platform q, idt_error *err)
{
    idt_platform strict = allowed_on(p) == KATA_ALGS ? q : p;
    idt_platform other = strict == p ? q : p;
    idt_digest_alg need = only(allowed_on(other));
    return idtx_error_set(err, IDT_EINVAL, NULL,
                          "no algorithm works on both %s (%s only) and %s (%s only): %s; "
                          "make one document per platform",
                          idt_platform_name(p), idt_digest_alg_name(only(allowed_on(p))),
                          idt_platform_name(q), idt_digest_alg_name(only(allowed_on(q))),
                          idt_platform_warning(strict, need));
}

int idt_author_pick_algorithm(idt_digest_alg *out, idt_digest_alg requested,
                              const idt_platform *platforms, size_t count, idt_error *err)
{
    if (!out || (!platforms && count))
        return idtx_error_set(err, IDT_EINVAL, NULL, "NULL argument");
    if (requested)
        IDTX_TRY(check_requested(requested, err));
    unsigned allowed = KATA_ALGS;
    for (size_t i = 0; i < count; i++) {
        idt_platform p = platforms[i];
        if (!idt_platform_name(p))
            return idtx_error_set(err, IDT_EINVAL, NULL, "unknown platform value %d", (int)p);
        if (requested && !(allowed_on(p) & BIT(requested)))
            return idtx_error_set(err, IDT_EINVAL, NULL,
                                  "algorithm %s does not work on %s: %s; use %s",
                                  idt_digest_alg_name(requested), idt_platform_name(p),
                                  idt_platform_warning(p, requested),
                                  idt_digest_alg_name(only(allowed_on(p))));
        if (!(allowed & allowed_on(p))) {
            /* Some earlier platform caused the clash; find it to name it. */
            size_t k = 0;
            while (k < i && (allowed_on(platforms[k]) & allowed_on(p)))
                k++;
            return no_common(platforms[k < i ? k : 0], p, err);
        }
        allowed &= allowed_on(p);
    }
    if (requested)
        *out = requested;
    else if (allowed & BIT(IDT_DIGEST_SHA256)) /* the seed's, and the most portable */
        *out = IDT_DIGEST_SHA256;
    else
        *out = only(allowed);
    return IDT_OK;
}
