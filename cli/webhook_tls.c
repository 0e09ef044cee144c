/* The serving certificate (webhook.h): parsed with GnuTLS and handed to
 * every TLS handshake by libmicrohttpd's certificate callback, so that a
 * rotated certificate (a Secret volume swapping its files) is served from
 * the next handshake on, without a restart or a dropped connection.
 *
 * The callback gets no pointer of ours (GnuTLS passes only the session), so
 * the current credentials are a file-level pointer: the tool serves one
 * webhook per process.  A replaced generation is kept until the server
 * stops, since a handshake that began with it may still be using it;
 * rotations are rare, and each generation is a few kilobytes. */
#include "webhook.h"

#include <gnutls/x509.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHAIN 16

typedef struct generation {
    gnutls_pcert_st chain[MAX_CHAIN];
    unsigned chain_len;
    gnutls_privkey_t key;
    int64_t not_after;          /* the leaf's expiry, seconds since 1970 */
    struct generation *older;   /* kept until cli_webhook_tls_dispose */
} generation;

static _Atomic(generation *) current;

static void generation_free(generation *g)
{
    for (unsigned i = 0; i < g->chain_len; i++)
        gnutls_pcert_deinit(&g->chain[i]);
    if (g->key)
        gnutls_privkey_deinit(g->key);
    free(g);
}

int cli_webhook_tls_load(const char *cert_pem, const char *key_pem, char *why, size_t why_len)
{
    generation *g = calloc(1, sizeof *g);
    if (!g) {
        snprintf(why, why_len, "out of memory");
        return -1;
    }
    gnutls_datum_t cert = { (unsigned char *)(uintptr_t)cert_pem, (unsigned)strlen(cert_pem) };
    gnutls_datum_t key = { (unsigned char *)(uintptr_t)key_pem, (unsigned)strlen(key_pem) };
    g->chain_len = MAX_CHAIN;
    int rc = gnutls_pcert_list_import_x509_raw(g->chain, &g->chain_len, &cert,
                                               GNUTLS_X509_FMT_PEM, 0);
    if (rc < 0) {
        g->chain_len = 0;
        snprintf(why, why_len, "the certificate is not a PEM chain of at most %d: %s", MAX_CHAIN,
                 gnutls_strerror(rc));
        generation_free(g);
        return -1;
    }
    if ((rc = gnutls_privkey_init(&g->key)) < 0 ||
        (rc = gnutls_privkey_import_x509_raw(g->key, &key, GNUTLS_X509_FMT_PEM, NULL, 0)) < 0) {
        snprintf(why, why_len, "the private key is not a PEM key: %s", gnutls_strerror(rc));
        generation_free(g);
        return -1;
    }
    /* The key must be the leaf's: a handshake would fail otherwise. */
    gnutls_datum_t probe = { (unsigned char *)"initdata", 8 }, sig = { NULL, 0 };
    gnutls_sign_algorithm_t alg = gnutls_pk_to_sign(
        gnutls_pubkey_get_pk_algorithm(g->chain[0].pubkey, NULL), GNUTLS_DIG_SHA256);
    rc = gnutls_privkey_sign_data2(g->key, alg, 0, &probe, &sig);
    if (rc >= 0)
        rc = gnutls_pubkey_verify_data2(g->chain[0].pubkey, alg, 0, &probe, &sig);
    gnutls_free(sig.data);
    if (rc < 0) {
        snprintf(why, why_len, "the private key does not belong to the certificate (%s)",
                 gnutls_strerror(rc));
        generation_free(g);
        return -1;
    }
    gnutls_x509_crt_t leaf;
    g->not_after = 0;
    if (gnutls_x509_crt_init(&leaf) >= 0) {
        if (gnutls_x509_crt_import(leaf, &g->chain[0].cert, GNUTLS_X509_FMT_DER) >= 0)
            g->not_after = (int64_t)gnutls_x509_crt_get_expiration_time(leaf);
        gnutls_x509_crt_deinit(leaf);
    }
    g->older = atomic_load(&current);
    atomic_store(&current, g);
    return 0;
}

int64_t cli_webhook_tls_not_after(void)
{
    generation *g = atomic_load(&current);
    return g ? g->not_after : 0;
}

int cli_webhook_tls_retrieve(gnutls_session_t session, const gnutls_datum_t *req_ca_rdn, int nreqs,
                    const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
                    gnutls_pcert_st **pcert, unsigned int *pcert_length, gnutls_privkey_t *privkey)
{
    (void)session, (void)req_ca_rdn, (void)nreqs, (void)pk_algos, (void)pk_algos_length;
    generation *g = atomic_load(&current);
    if (!g)
        return -1;
    *pcert = g->chain;
    *pcert_length = g->chain_len;
    *privkey = g->key;
    return 0;
}

void cli_webhook_tls_dispose(void)
{
    generation *g = atomic_exchange(&current, NULL);
    while (g) {
        generation *older = g->older;
        generation_free(g);
        g = older;
    }
}
