/* initdata webhook certs: a CA and a serving certificate for the admission
 * webhook's Service, made with libcrypto, for clusters without cert-manager.
 *
 * This is the tool's work, not the library's: the library judges Init-Data
 * and admission requests and serves nothing; a certificate for a Service is
 * a deployment step, like kubectl's, that no program embedding the library
 * needs (the webhook server only reads the files this writes).
 *
 * The files are written the way keys should be: into a temporary file
 * opened O_EXCL|O_NOFOLLOW in DIR (mode 0600 for the key), flushed, then
 * hard-linked to their names, which fails when a name exists (so nothing is
 * replaced, not even a symlink, and nothing is followed) or, with --force,
 * renamed over them (a symlink is replaced, never followed).  The CA's key
 * is never written: nobody can sign another certificate with it, and a
 * renewal makes a new CA (and a new caBundle). */
#include "webhook_certs.h"
#include "cmd.h"
#include "diag.h"
#include "opt.h"
#include "util/base64.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "util/fdio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DAYS_DEFAULT 365
#define DAYS_MAX 3650

static const cli_help help = {
    "initdata webhook certs --service NAME --namespace NS --out DIR [--days N] [--force]",
    "Make a CA (an EC P-256 key and a self-signed certificate: CA:TRUE,\n"
    "keyCertSign) and a serving certificate signed by it for the webhook's\n"
    "Service (EC P-256, SHA-256, serverAuth, subjectAltName DNS: NAME, NAME.NS,\n"
    "NAME.NS.svc, NAME.NS.svc.cluster.local; the API server asks for\n"
    "NAME.NS.svc).  Write DIR/ca.crt, DIR/tls.crt and DIR/tls.key (mode 0600),\n"
    "each atomically, and print the caBundle (base64 of ca.crt) on standard\n"
    "output, for the webhook configurations' clientConfig.caBundle.  DIR is\n"
    "created (mode 0700) when it does not exist.  Existing files are never\n"
    "replaced without --force, and no symlink in DIR is followed.  The CA's\n"
    "key is not kept: renewing means running this again and updating the\n"
    "Secret and the caBundle together.",
    "  $ initdata webhook certs --service initdata-webhook --namespace initdata-system \\\n"
    "        --out certs > ca-bundle.b64\n"
    "  $ kubectl -n initdata-system create secret tls initdata-webhook-tls \\\n"
    "        --cert certs/tls.crt --key certs/tls.key\n"
    "  $ initdata webhook certs --service initdata-webhook --namespace initdata-system \\\n"
    "        --out certs --days 90 --force\n",
};

/* The files, in the order they are committed. */
enum { F_CA, F_CRT, F_KEY, F_COUNT };
static const char *const file_names[F_COUNT] = { "ca.crt", "tls.crt", "tls.key" };
static const mode_t file_modes[F_COUNT] = { 0644, 0644, 0600 };

typedef struct pem {
    char *data;
    size_t len;
} pem;

/* "initdata CMD: error: " and the message, with OpenSSL's first error. */
static int crypto_error(const char *cmd, const char *what)
{
    char buf[256] = "";
    unsigned long e = ERR_get_error();
    if (e)
        ERR_error_string_n(e, buf, sizeof buf);
    ERR_clear_error();
    fprintf(stderr, "initdata %s: error: %s%s%s\n", cmd, what, e ? ": " : "", buf);
    return CLI_EXIT_ENV;
}

/* A DNS-1123 label (a namespace; with first_digit false, a DNS-1035 label:
 * a Service's name): lowercase letters, digits and '-', 1 to 63 of them,
 * starting and ending with a letter or digit. */
static bool dns_label(const char *s, bool first_digit)
{
    size_t n = strlen(s);
    if (n == 0 || n > 63)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool alpha = c >= 'a' && c <= 'z', digit = c >= '0' && c <= '9';
        if (!alpha && !digit && (c != '-' || i == 0 || i == n - 1))
            return false;
        if (i == 0 && digit && !first_digit)
            return false;
    }
    return true;
}

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (!ext)
        return -1;
    int ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    return ok ? 0 : -1;
}

/* A random positive 127-bit serial number. */
static int set_serial(X509 *cert)
{
    unsigned char raw[16];
    if (RAND_bytes(raw, sizeof raw) != 1)
        return -1;
    raw[0] &= 0x7f;
    raw[0] |= 0x40; /* never zero, always 16 bytes */
    BIGNUM *bn = BN_bin2bn(raw, sizeof raw, NULL);
    int ok = bn && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != NULL;
    BN_free(bn);
    return ok ? 0 : -1;
}

typedef struct ext_spec {
    int nid;
    const char *value;
} ext_spec;

/* A certificate for key, named cn, valid from five minutes ago (clock skew)
 * for `days` days, with the extensions exts (n of them), signed by
 * issuer_key as issuer (NULL: self-signed). */
static X509 *make_cert(EVP_PKEY *key, const char *cn, long days, X509 *issuer,
                       EVP_PKEY *issuer_key, const ext_spec *exts, size_t n)
{
    X509 *cert = X509_new();
    if (!cert)
        return NULL;
    X509_NAME *name = X509_get_subject_name(cert);
    bool ok = X509_set_version(cert, X509_VERSION_3) && set_serial(cert) == 0 &&
              X509_gmtime_adj(X509_getm_notBefore(cert), -300) &&
              X509_time_adj_ex(X509_getm_notAfter(cert), (int)days, 0, NULL) &&
              X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn,
                                         -1, -1, 0) &&
              X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) : name) &&
              X509_set_pubkey(cert, key);
    for (size_t i = 0; ok && i < n; i++)
        ok = add_ext(cert, issuer ? issuer : cert, exts[i].nid, exts[i].value) == 0;
    if (ok)
        ok = X509_sign(cert, issuer ? issuer_key : key, EVP_sha256()) > 0;
    if (!ok) {
        X509_free(cert);
        return NULL;
    }
    return cert;
}

/* The PEM text of a certificate (key NULL) or of a private key (PKCS #8,
 * unencrypted), in a new buffer. */
static int to_pem(pem *out, X509 *cert, EVP_PKEY *key)
{
    BIO *bio = BIO_new(BIO_s_mem());
    if (!bio)
        return -1;
    int ok = cert ? PEM_write_bio_X509(bio, cert)
                  : PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL);
    char *p = NULL;
    long len = ok ? BIO_get_mem_data(bio, &p) : 0;
    out->data = len > 0 ? malloc((size_t)len) : NULL;
    if (out->data) {
        memcpy(out->data, p, (size_t)len);
        out->len = (size_t)len;
    }
    BIO_free(bio);
    return out->data ? 0 : -1;
}

/* The CA and the serving certificate, as PEM: files[F_CA], files[F_CRT],
 * files[F_KEY].  Returns 0, or an exit code after a message. */
static int make_all(pem files[F_COUNT], const char *cmd, const char *service, const char *ns,
                    long days)
{
    char ca_cn[160], leaf_cn[160], san[512];
    snprintf(ca_cn, sizeof ca_cn, "initdata webhook CA for %s.%s.svc", service, ns);
    snprintf(leaf_cn, sizeof leaf_cn, "%s.%s.svc", service, ns);
    /* The names are DNS labels (checked): nothing in them is syntax here. */
    snprintf(san, sizeof san, "DNS:%s,DNS:%s.%s,DNS:%s.%s.svc,DNS:%s.%s.svc.cluster.local",
             service, service, ns, service, ns, service, ns);
    const ext_spec ca_exts[] = {
        { NID_basic_constraints, "critical,CA:TRUE,pathlen:0" },
        { NID_key_usage, "critical,keyCertSign,cRLSign" },
        { NID_subject_key_identifier, "hash" },
    };
    const ext_spec leaf_exts[] = {
        { NID_basic_constraints, "critical,CA:FALSE" },
        { NID_key_usage, "critical,digitalSignature" },
        { NID_ext_key_usage, "serverAuth" },
        { NID_subject_alt_name, san },
        { NID_subject_key_identifier, "hash" },
        { NID_authority_key_identifier, "keyid:always" },
    };
    int rc = CLI_EXIT_OK;
    EVP_PKEY *ca_key = EVP_EC_gen("P-256");
    EVP_PKEY *leaf_key = ca_key ? EVP_EC_gen("P-256") : NULL;
    X509 *ca = NULL, *leaf = NULL;
    if (!leaf_key) {
        rc = crypto_error(cmd, "cannot make an EC P-256 key");
        goto out;
    }
    ca = make_cert(ca_key, ca_cn, days, NULL, NULL, ca_exts, sizeof ca_exts / sizeof *ca_exts);
    if (!ca) {
        rc = crypto_error(cmd, "cannot make the CA certificate");
        goto out;
    }
    leaf = make_cert(leaf_key, leaf_cn, days, ca, ca_key, leaf_exts,
                     sizeof leaf_exts / sizeof *leaf_exts);
    if (!leaf) {
        rc = crypto_error(cmd, "cannot make the serving certificate");
        goto out;
    }
    if (to_pem(&files[F_CA], ca, NULL) < 0 || to_pem(&files[F_CRT], leaf, NULL) < 0 ||
        to_pem(&files[F_KEY], NULL, leaf_key) < 0)
        rc = crypto_error(cmd, "cannot write PEM");
out:
    X509_free(leaf);
    X509_free(ca);
    EVP_PKEY_free(leaf_key);
    EVP_PKEY_free(ca_key);
    return rc;
}

/* Writes data to a new temporary file in dirfd, named into tmp (size
 * tmp_size), with mode `mode`, flushed to disk.  0, or -1 with errno. */
static int write_temp(int dirfd, const char *base, mode_t mode, const pem *data, char *tmp,
                      size_t tmp_size)
{
    for (int attempt = 0; attempt < 16; attempt++) {
        unsigned char r[6];
        if (RAND_bytes(r, sizeof r) != 1) {
            errno = EIO;
            return -1;
        }
        snprintf(tmp, tmp_size, ".%s.tmp.%02x%02x%02x%02x%02x%02x", base, r[0], r[1], r[2],
                 r[3], r[4], r[5]);
        int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        if (fd < 0 && errno == EEXIST)
            continue;
        if (fd < 0)
            return -1;
        if (fchmod(fd, mode) < 0 || idtx_write_all(fd, data->data, data->len) < 0 || fsync(fd) < 0) {
            int e = errno;
            close(fd);
            unlinkat(dirfd, tmp, 0);
            errno = e;
            return -1;
        }
        if (close(fd) < 0) {
            int e = errno;
            unlinkat(dirfd, tmp, 0);
            errno = e;
            return -1;
        }
        return 0;
    }
    errno = EEXIST;
    return -1;
}

/* Writes the files into dir.  Without force, all or none: a name that
 * exists (even a dangling symlink) fails the whole run, and the files this
 * run already placed are removed again. */
static int write_files(const char *cmd, const char *dir, const pem files[F_COUNT], bool force)
{
    if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
        fprintf(stderr, "initdata %s: error: cannot create %s: %s\n", cmd, dir, strerror(errno));
        return CLI_EXIT_ENV;
    }
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0) {
        fprintf(stderr, "initdata %s: error: cannot open %s: %s\n", cmd, dir, strerror(errno));
        return CLI_EXIT_ENV;
    }
    char tmp[F_COUNT][64] = { "", "", "" };
    int rc = CLI_EXIT_OK, placed = 0;
    for (int i = 0; i < F_COUNT && !force; i++) {
        struct stat st;
        if (fstatat(dirfd, file_names[i], &st, AT_SYMLINK_NOFOLLOW) == 0) {
            fprintf(stderr, "initdata %s: error: %s/%s exists; nothing was written (--force "
                    "replaces the files)\n", cmd, dir, file_names[i]);
            rc = CLI_EXIT_INVALID;
            goto out;
        }
    }
    for (int i = 0; i < F_COUNT; i++) {
        if (write_temp(dirfd, file_names[i], file_modes[i], &files[i], tmp[i], sizeof tmp[i]) <
            0) {
            fprintf(stderr, "initdata %s: error: cannot write %s/%s: %s\n", cmd, dir,
                    file_names[i], strerror(errno));
            rc = CLI_EXIT_ENV;
            goto out;
        }
    }
    for (; placed < F_COUNT; placed++) {
        const char *name = file_names[placed];
        int r = force ? renameat(dirfd, tmp[placed], dirfd, name)
                      : linkat(dirfd, tmp[placed], dirfd, name, 0);
        if (r < 0) {
            int e = errno;
            if (e == EEXIST)
                fprintf(stderr, "initdata %s: error: %s/%s appeared while writing; the files "
                        "of this run were removed\n", cmd, dir, name);
            else
                fprintf(stderr, "initdata %s: error: cannot create %s/%s: %s\n", cmd, dir, name,
                        strerror(e));
            rc = e == EEXIST ? CLI_EXIT_INVALID : CLI_EXIT_ENV;
            break;
        }
        if (force)
            tmp[placed][0] = '\0'; /* renamed: nothing left to remove */
    }
    if (rc != CLI_EXIT_OK && !force)
        for (int i = 0; i < placed; i++)
            unlinkat(dirfd, file_names[i], 0);
    if (rc == CLI_EXIT_OK && fsync(dirfd) < 0) {
        fprintf(stderr, "initdata %s: error: cannot flush %s: %s\n", cmd, dir, strerror(errno));
        rc = CLI_EXIT_ENV;
    }
out:
    for (int i = 0; i < F_COUNT; i++)
        if (tmp[i][0])
            unlinkat(dirfd, tmp[i], 0);
    close(dirfd);
    return rc;
}

int cli_webhook_certs(int argc, char **argv)
{
    const char *cmd = "webhook certs";
    const char *service = NULL, *ns = NULL, *dir = NULL, *days_s = NULL;
    bool force = false;
    const cli_opt opts[] = {
        { CLI_OPT_VALUE, "service", 's', &service, "NAME",
          "the webhook's Service (a DNS label; required)", false },
        { CLI_OPT_VALUE, "namespace", 'n', &ns, "NS", "the Service's namespace (required)",
          false },
        { CLI_OPT_VALUE, "out", 'o', &dir, "DIR",
          "write ca.crt, tls.crt and tls.key into DIR (required)", false },
        { CLI_OPT_VALUE, "days", 'd', &days_s, "N",
          "validity of both certificates in days (default 365, at most 3650)", false },
        { CLI_OPT_SWITCH, "force", 'f', &force, NULL, "replace existing files in DIR", false },
        { CLI_OPT_END, NULL, 0, NULL, NULL, NULL, false },
    };
    int rc = cli_opts_parse(cmd, opts, &help, argc, argv);
    if (rc != CLI_CONTINUE)
        return rc;
    if (!service || !ns || !dir)
        return cli_usage_error(cmd, "--service, --namespace and --out are required");
    if (!dns_label(service, false))
        return cli_usage_error(cmd, "--service: '%s' is not a Service name (lowercase letters, "
                               "digits and '-', at most 63, starting with a letter)", service);
    if (!dns_label(ns, true))
        return cli_usage_error(cmd, "--namespace: '%s' is not a namespace name (lowercase "
                               "letters, digits and '-', at most 63)", ns);
    if (!*dir)
        return cli_usage_error(cmd, "--out: an empty directory name");
    long days = DAYS_DEFAULT;
    if (days_s) {
        char *end;
        errno = 0;
        unsigned long d = strtoul(days_s, &end, 10);
        if (*days_s < '1' || *days_s > '9' || *end || errno || d > DAYS_MAX)
            return cli_usage_error(cmd, "--days needs a number from 1 to %d, not '%s'",
                                   DAYS_MAX, days_s);
        days = (long)d;
    }

    pem files[F_COUNT] = { { NULL, 0 }, { NULL, 0 }, { NULL, 0 } };
    char *bundle = NULL;
    rc = make_all(files, cmd, service, ns, days);
    if (rc == CLI_EXIT_OK)
        rc = write_files(cmd, dir, files, force);
    if (rc == CLI_EXIT_OK) {
        size_t n = idtx_base64_encoded_len(files[F_CA].len);
        bundle = malloc(n + 2);
        if (!bundle) {
            cli_diag_msg("out of memory");
            rc = CLI_EXIT_ENV;
        } else {
            idtx_base64_encode(bundle, files[F_CA].data, files[F_CA].len);
            bundle[n] = '\n';
            if (fwrite(bundle, 1, n + 1, stdout) != n + 1 || fflush(stdout) != 0) {
                fprintf(stderr, "initdata %s: error: cannot write to stdout: %s\n", cmd,
                        strerror(errno));
                rc = CLI_EXIT_ENV;
            }
        }
    }
    free(bundle);
    for (int i = 0; i < F_COUNT; i++) {
        if (files[i].data)
            OPENSSL_cleanse(files[i].data, files[i].len);
        free(files[i].data);
    }
    return rc;
}
