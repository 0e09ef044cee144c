/* PEM certificates in aa.toml and cdh.toml, read with OpenSSL
 * (lint_int.h): the KBS certificate the attestation-agent and the
 * confidential-data-hub trust, and image-rs's extra root certificates. */
#include "lint/lint_int.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

static void format_time(char out[32], const ASN1_TIME *t)
{
    struct tm tm;
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1 ||
        strftime(out, 32, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
        snprintf(out, 32, "(unreadable)");
}

static int read_subject(char *out, size_t cap, X509 *x)
{
    BIO *b = BIO_new(BIO_s_mem());
    if (!b)
        return IDT_ENOMEM;
    X509_NAME_print_ex(b, X509_get_subject_name(x), 0, XN_FLAG_RFC2253);
    char *data = NULL;
    long n = BIO_get_mem_data(b, &data);
    if (n <= 0 || !data)
        snprintf(out, cap, "(empty)");
    else
        snprintf(out, cap, "%.*s", (int)(n < 160 ? n : 159), data);
    BIO_free(b);
    return IDT_OK;
}

/* Why OpenSSL could not read a certificate, for a message: the first
 * error of the queue is the root cause ("header too long"), the last only
 * the layer that gave up ("ASN1 lib"). */
static void why_not(idt_lint__cert *cert, const char *s, size_t len)
{
    unsigned long e = ERR_peek_error();
    const char *reason = e ? ERR_reason_error_string(e) : NULL;
    bool pem = false;
    for (size_t i = 0; i + 11 <= len && !pem; i++)
        pem = memcmp(s + i, "-----BEGIN ", 11) == 0;
    if (!pem)
        snprintf(cert->problem, sizeof cert->problem,
                 "there is no PEM block (-----BEGIN CERTIFICATE-----)");
    else if (reason)
        snprintf(cert->problem, sizeof cert->problem,
                 "the PEM block does not hold a whole X.509 certificate (%s)", reason);
    else
        snprintf(cert->problem, sizeof cert->problem, "there is no certificate PEM block");
    ERR_clear_error();
}

int idt_lint__cert_parse(idt_lint__cert *cert, const char *s, size_t len, time_t now)
{
    memset(cert, 0, sizeof *cert);
    if (len > INT_MAX) {
        snprintf(cert->problem, sizeof cert->problem, "it is too long to be a certificate");
        return -1;
    }
    ERR_clear_error();
    BIO *b = BIO_new_mem_buf(s, (int)len);
    if (!b)
        return IDT_ENOMEM;
    X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);
    BIO_free(b);
    if (!x) {
        why_not(cert, s, len);
        return -1;
    }
    int rc = read_subject(cert->subject, sizeof cert->subject, x);
    format_time(cert->not_before, X509_get0_notBefore(x));
    format_time(cert->not_after, X509_get0_notAfter(x));
    time_t t = now;
    if (X509_cmp_time(X509_get0_notAfter(x), &t) < 0)
        cert->validity = 1;
    else if (X509_cmp_time(X509_get0_notBefore(x), &t) > 0)
        cert->validity = -1;
    X509_free(x);
    ERR_clear_error();
    return rc;
}

void idt_lint__check_cert(idt_lint__ctx *c, const idt_toml_value *v, const char *path,
                          const char *consequence)
{
    if (v->as.string.len == 0)
        return; /* an empty string is no certificate: the consumer sets none */
    idt_lint__cert cert;
    int rc = idt_lint__cert_parse(&cert, v->as.string.ptr, v->as.string.len, c->now);
    if (rc == IDT_ENOMEM) {
        idt_lint__fail(c, rc, "out of memory reading a certificate");
        return;
    }
    if (rc < 0) {
        idt_lint__report(c, IDT_LINT__CODE_CERT_PARSE, IDT_DOC_ERROR, c->consumer, &v->span,
                         "%s is not a certificate OpenSSL can read: %s; %s", path,
                         cert.problem, consequence);
        return;
    }
    if (cert.validity)
        idt_lint__report(c, IDT_LINT__CODE_CERT_VALIDITY, IDT_DOC_WARNING, 0, &v->span,
                         "%s (subject %s) %s %s: TLS connections that rely on it fail", path,
                         cert.subject, cert.validity > 0 ? "expired on" : "is not valid until",
                         cert.validity > 0 ? cert.not_after : cert.not_before);
    else
        idt_lint__report(c, IDT_LINT__CODE_CERT_INFO, IDT_DOC_NOTE, 0, &v->span,
                         "%s: subject %s, valid until %s", path, cert.subject,
                         cert.not_after);
}
