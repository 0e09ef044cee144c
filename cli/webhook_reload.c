/* Reloads (webhook.h): the configuration, its documents and the serving
 * certificate are read again on SIGHUP, and when a file they came from
 * changes.  Kubernetes mounts a ConfigMap or a Secret as a directory of
 * symlinks into a `..data` symlink that it swaps with a rename, so the
 * watch is on the directories (inotify sees the rename there), not on the
 * files.  A reload is all or nothing: a configuration that does not load
 * or a certificate that does not parse is refused, logged and counted, and
 * what was serving goes on serving. */
#include "webhook.h"
#include "io.h"
#include "util/fdio.h"
#include "initdata/digest.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#define PEM_MAX ((size_t)1 << 20)
#define FILE_MAX ((size_t)1 << 20)
#define QUIET_MS 250   /* a change is applied once its files are quiet this long */
#define SETTLE_MAX_MS 2000

struct cli_webhook_reloader {
    pthread_t thread;
    int inotify_fd;
    int wake[2];             /* a pipe: stop */
    cli_webhook_holder *holder;
    cli_webhook_reload_source src;
    uint8_t fingerprint[IDT_DIGEST_MAX]; /* of every file, at the last load */
};

/* --- loading ------------------------------------------------------------------- */

typedef struct first_error {
    char text[2 * IDT_ERROR_MESSAGE_MAX];
} first_error;

static int keep_first(const idt_doc_diag *d, const char *source, const char *text, size_t len,
                      void *payload)
{
    (void)text, (void)len;
    first_error *f = payload;
    if (d->severity == IDT_DOC_ERROR && !f->text[0])
        idt_doc_diag_format(f->text, sizeof f->text, d, source);
    return 0;
}

static int read_text(char **out, const char *path, char *why, size_t why_len)
{
    idt_error err = { 0 };
    size_t len;
    if (idtx_read_file(path, PEM_MAX, out, &len, &err) < 0) {
        snprintf(why, why_len, "%s", err.message);
        return -1;
    }
    return 0;
}

/* The certificate and key a configuration serves with (the command line's
 * when it named them). */
static void paths_of(const idt_admission_config *cfg, const cli_webhook_reload_source *src,
                     const char **cert, const char **key)
{
    const idt_admission_server *s = idt_admission_config_server(cfg);
    *cert = src->cert_file ? src->cert_file : s->cert_file;
    *key = src->key_file ? src->key_file : s->key_file;
}

/* SIGHUP and the watcher may ask at once: one reload at a time. */
static pthread_mutex_t reload_lock = PTHREAD_MUTEX_INITIALIZER;

static int reload_locked(cli_webhook_holder *h, const cli_webhook_reload_source *src);

int cli_webhook_reload(cli_webhook_holder *h, const cli_webhook_reload_source *src)
{
    pthread_mutex_lock(&reload_lock);
    int rc = reload_locked(h, src);
    pthread_mutex_unlock(&reload_lock);
    return rc;
}

/* The configuration part: load, and swap it in when it loads. */
static int reload_config(cli_webhook_holder *h, const cli_webhook_reload_source *src)
{
    first_error fe = { "" };
    idt_error err = { .source = src->config };
    idt_admission_config *cfg = NULL;
    const char *why = NULL;
    if (idt_admission_config_load(&cfg, src->config, keep_first, &fe, &err) < 0)
        why = fe.text[0] ? fe.text : err.message;
    else if (cli_webhook_holder_swap(h, cfg) < 0) /* frees cfg */
        why = "out of memory";
    cli_webhook_metrics_reload(!why);
    cli_webhook_log_event(why ? "reload-refused" : "reloaded", why ? why : src->config);
    return why ? -1 : 0;
}

/* The certificate part, from the paths of the configuration now serving
 * (a refused configuration does not hold a rotation back: the two are
 * separate volumes in a cluster, and an expiring certificate cannot wait). */
static int reload_certificate(cli_webhook_holder *h, const cli_webhook_reload_source *src)
{
    cli_webhook_cfg *ref;
    const idt_admission_config *cfg = cli_webhook_acquire(h, &ref);
    const char *cert, *key;
    paths_of(cfg, src, &cert, &key);
    char why[IDT_ERROR_MESSAGE_MAX + 64] = "";
    char *cert_pem = NULL, *key_pem = NULL;
    if (!cert || !key)
        snprintf(why, sizeof why, "no serving certificate: the [server] table has no cert or key");
    else if (read_text(&cert_pem, cert, why, sizeof why) == 0 &&
             read_text(&key_pem, key, why, sizeof why) == 0)
        cli_webhook_tls_load(cert_pem, key_pem, why, sizeof why);
    char what[4200];
    snprintf(what, sizeof what, "%s%s%s", cert ? cert : "", why[0] ? ": " : "", why);
    cli_webhook_release(ref);
    free(cert_pem);
    if (key_pem) {
        memset(key_pem, 0, strlen(key_pem));
        free(key_pem);
    }
    cli_webhook_metrics_reload(!why[0]);
    cli_webhook_log_event(why[0] ? "reload-refused" : "reloaded", what);
    return why[0] ? -1 : 0;
}

static int reload_locked(cli_webhook_holder *h, const cli_webhook_reload_source *src)
{
    int a = reload_config(h, src);
    int b = reload_certificate(h, src);
    return a < 0 || b < 0 ? -1 : 0;
}

/* --- watching -------------------------------------------------------------------- */

/* A digest of every file the current configuration was built from, so
 * that a change next to them (another file in the same directory) does not
 * reload for nothing. */
static void fingerprint(cli_webhook_reloader *r, uint8_t out[IDT_DIGEST_MAX])
{
    cli_webhook_cfg *ref;
    const idt_admission_config *cfg = cli_webhook_acquire(r->holder, &ref);
    size_t n = 0;
    const char *const *files = idt_admission_config_files(cfg, &n);
    const char *cert, *key;
    paths_of(cfg, &r->src, &cert, &key);
    idtx_buf all;
    idtx_buf_init(&all, (size_t)64 << 20, "the files");
    /* The configuration file itself may be unreadable now: its path stands in. */
    for (size_t i = 0; i <= n + 1; i++) {
        const char *p = i < n ? files[i] : i == n ? cert : key;
        if (!p)
            continue;
        char *text = NULL;
        size_t len = 0;
        idt_error err = { 0 };
        idtx_buf_printf(&all, NULL, "%s\n", p);
        if (idtx_read_file(p, FILE_MAX, &text, &len, &err) == IDT_OK)
            idtx_buf_put(&all, text, len, NULL);
        free(text);
    }
    cli_webhook_release(ref);
    idt_digest d;
    memset(out, 0, IDT_DIGEST_MAX);
    if (idt_digest_compute(&d, IDT_DIGEST_SHA256, all.data ? all.data : "", all.len, NULL) ==
        IDT_OK)
        memcpy(out, d.bytes, d.len);
    idtx_buf_dispose(&all);
}

static void watch_dir_of(cli_webhook_reloader *r, const char *path)
{
    if (!path)
        return;
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    /* The same directory twice gives the same watch. */
    if (inotify_add_watch(r->inotify_fd, dir,
                          IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE |
                              IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF) < 0)
        cli_webhook_log_event("watch-failed", dir);
}

static void watch_all(cli_webhook_reloader *r)
{
    cli_webhook_cfg *ref;
    const idt_admission_config *cfg = cli_webhook_acquire(r->holder, &ref);
    size_t n = 0;
    const char *const *files = idt_admission_config_files(cfg, &n);
    for (size_t i = 0; i < n; i++)
        watch_dir_of(r, files[i]);
    const char *cert, *key;
    paths_of(cfg, &r->src, &cert, &key);
    watch_dir_of(r, cert);
    watch_dir_of(r, key);
    cli_webhook_release(ref);
}

/* Drains the inotify queue; returns false when the stop pipe woke us. */
static bool wait_change(cli_webhook_reloader *r, int timeout_ms, bool *changed)
{
    struct pollfd p[2] = { { r->inotify_fd, POLLIN, 0 }, { r->wake[0], POLLIN, 0 } };
    int n = poll(p, 2, timeout_ms);
    if (n < 0 && errno != EINTR)
        return false;
    if (p[1].revents)
        return false;
    if (n > 0 && (p[0].revents & POLLIN)) {
        char buf[8192];
        while (read(r->inotify_fd, buf, sizeof buf) > 0)
            ;
        *changed = true;
    }
    return true;
}

static void *run(void *arg)
{
    cli_webhook_reloader *r = arg;
    for (;;) {
        bool changed = false;
        if (!wait_change(r, -1, &changed))
            return NULL;
        if (!changed)
            continue;
        /* Wait for the writer to finish: QUIET_MS without an event. */
        for (int waited = 0; waited < SETTLE_MAX_MS; waited += QUIET_MS) {
            bool more = false;
            if (!wait_change(r, QUIET_MS, &more))
                return NULL;
            if (!more)
                break;
        }
        uint8_t now[IDT_DIGEST_MAX];
        fingerprint(r, now);
        if (memcmp(now, r->fingerprint, sizeof now) == 0)
            continue;
        cli_webhook_reload(r->holder, &r->src);
        watch_all(r); /* a new document may sit in a new directory */
        fingerprint(r, r->fingerprint);
    }
}

int cli_webhook_reloader_start(cli_webhook_reloader **out, cli_webhook_holder *h,
                               const cli_webhook_reload_source *src, char *why, size_t why_len)
{
    *out = NULL;
    cli_webhook_reloader *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(why, why_len, "out of memory");
        return -1;
    }
    r->holder = h;
    r->src = *src;
    r->wake[0] = r->wake[1] = -1;
    r->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (r->inotify_fd < 0 || pipe(r->wake) < 0) {
        snprintf(why, why_len, "cannot watch the configuration's files: %s", strerror(errno));
        goto fail;
    }
    watch_all(r);
    fingerprint(r, r->fingerprint);
    if (pthread_create(&r->thread, NULL, run, r) != 0) {
        snprintf(why, why_len, "cannot start the watcher thread");
        goto fail;
    }
    *out = r;
    return 0;
fail:
    if (r->inotify_fd >= 0)
        close(r->inotify_fd);
    if (r->wake[0] >= 0) {
        close(r->wake[0]);
        close(r->wake[1]);
    }
    free(r);
    return -1;
}

void cli_webhook_reloader_stop(cli_webhook_reloader *r)
{
    if (!r)
        return;
    ssize_t w = write(r->wake[1], "x", 1);
    (void)w;
    pthread_join(r->thread, NULL);
    close(r->inotify_fd);
    close(r->wake[0]);
    close(r->wake[1]);
    free(r);
}
