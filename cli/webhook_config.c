/* The webhook's configuration holder (webhook.h).  Requests hold a counted
 * reference, so a configuration published later (a reload) replaces the
 * current one without waiting for, or pulling it from under, the requests
 * that use it. */
#include "webhook.h"

#include <stdatomic.h>
#include <stdlib.h>

struct cli_webhook_cfg {
    idt_admission_config *cfg;
    atomic_size_t refs;
};

static cli_webhook_cfg *wrap(idt_admission_config *cfg)
{
    cli_webhook_cfg *r = malloc(sizeof *r);
    if (!r) {
        idt_admission_config_free(cfg);
        return NULL;
    }
    r->cfg = cfg;
    atomic_init(&r->refs, 1);
    return r;
}

int cli_webhook_holder_init(cli_webhook_holder *h, idt_admission_config *cfg)
{
    h->current = wrap(cfg);
    if (!h->current)
        return -1;
    if (pthread_mutex_init(&h->lock, NULL) != 0) {
        cli_webhook_release(h->current);
        h->current = NULL;
        return -1;
    }
    return 0;
}

const idt_admission_config *cli_webhook_acquire(cli_webhook_holder *h, cli_webhook_cfg **ref)
{
    /* The lock makes "read the pointer, count a reference" one step, so a
     * swap cannot free the configuration in between. */
    pthread_mutex_lock(&h->lock);
    cli_webhook_cfg *r = h->current;
    atomic_fetch_add_explicit(&r->refs, 1, memory_order_relaxed);
    pthread_mutex_unlock(&h->lock);
    *ref = r;
    return r->cfg;
}

void cli_webhook_release(cli_webhook_cfg *ref)
{
    if (ref && atomic_fetch_sub_explicit(&ref->refs, 1, memory_order_acq_rel) == 1) {
        idt_admission_config_free(ref->cfg);
        free(ref);
    }
}

int cli_webhook_holder_swap(cli_webhook_holder *h, idt_admission_config *cfg)
{
    cli_webhook_cfg *r = wrap(cfg);
    if (!r)
        return -1;
    pthread_mutex_lock(&h->lock);
    cli_webhook_cfg *old = h->current;
    h->current = r;
    pthread_mutex_unlock(&h->lock);
    cli_webhook_release(old);
    return 0;
}

void cli_webhook_holder_dispose(cli_webhook_holder *h)
{
    cli_webhook_release(h->current);
    h->current = NULL;
    pthread_mutex_destroy(&h->lock);
}
