/* Kubernetes' annotation budget: ValidateAnnotations (apimachinery) sums
 * len(key) + len(value) over an object's annotations and refuses a total
 * above TotalAnnotationSizeLimitB = 256 KiB.  A pod template's metadata is
 * validated the same way, so each template counts on its own. */
#include "manifest_int.h"
#include "util/quote.h"

#include <inttypes.h>

uint64_t idt_manifest__budget(const idt_manifest *m)
{
    return m->opts.budget ? m->opts.budget : IDT_MANIFEST_ANNOTATION_BUDGET;
}

int idt_manifest__check_budget(const idt_manifest *m, const idt_manifest__object *o, uint64_t total,
                               uint64_t added, idt_error *err)
{
    uint64_t budget = idt_manifest__budget(m);
    if (total <= budget)
        return IDT_OK;
    char label[2 * IDTX_QUOTE_MAX + 8];
    idt_manifest__label(label, sizeof label, o);
    return idt_manifest__fail_at(err, IDT_ELIMIT, m, o->root,
                                 "%s: its annotations would total %" PRIu64 " bytes, %" PRIu64
                                 " over Kubernetes' limit of %" PRIu64 " (keys and values "
                                 "summed; the Init-Data annotation adds %" PRIu64 ")",
                                 label, total, total - budget, budget, added);
}
