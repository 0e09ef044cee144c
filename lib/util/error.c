/* The error record and status names (include/initdata/common.h). */
#include "initdata/initdata.h"
#include "util/error_int.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The 0.1.0 layout of idt_error.  idt_error.hint went into its tail
 * padding, so callers built against the old header still pass a record big
 * enough for the library to write (checked where that padding exists). */
struct idt_error_0_1 {
    idt_status code;
    const char *source;
    uint32_t line, column;
    uint64_t offset;
    bool has_offset;
    char message[IDT_ERROR_MESSAGE_MAX];
};
#if UINTPTR_MAX > 0xffffffffu
_Static_assert(sizeof(idt_error) == sizeof(struct idt_error_0_1),
               "idt_error must keep its size: callers allocate it");
#endif

void idt_error_clear(idt_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

const char *idt_status_str(int status)
{
    switch (status) {
    case IDT_OK: return "success";
    case IDT_ERROR: return "error";
    case IDT_ENOMEM: return "out of memory";
    case IDT_EIO: return "input/output error";
    case IDT_ESYNTAX: return "syntax error";
    case IDT_ESCHEMA: return "invalid Init-Data document";
    case IDT_ETRUNC: return "truncated input";
    case IDT_EFORMAT: return "malformed data";
    case IDT_EMISMATCH: return "mismatch";
    case IDT_ELIMIT: return "limit exceeded";
    case IDT_EUNSUPPORTED: return "unsupported";
    case IDT_EINVAL: return "invalid argument";
    default: return "unknown error";
    }
}

int idt_error_format(char *buf, size_t cap, const idt_error *err)
{
    if (!buf || !err)
        return -1;
    const char *src = err->source ? err->source : "";
    const char *sep = err->source ? ":" : "";
    if (err->line)
        return snprintf(buf, cap, "%s%s%u:%u: error: %s", src, sep,
                        (unsigned)err->line, (unsigned)err->column, err->message);
    if (err->has_offset)
        return snprintf(buf, cap, "%s%serror: at byte %llu: %s", src,
                        err->source ? ": " : "",
                        (unsigned long long)err->offset, err->message);
    return snprintf(buf, cap, "%s%serror: %s", src, err->source ? ": " : "",
                    err->message);
}

const char *idt_hint_name(idt_hint hint)
{
    switch (hint) {
    case IDT_HINT_NONE: return NULL;
    case IDT_HINT_EVIDENCE_TEE: return "evidence-tee";
    case IDT_HINT_EVIDENCE_TEE_MISMATCH: return "evidence-tee-mismatch";
    case IDT_HINT_EVIDENCE_VCEK: return "evidence-vcek";
    case IDT_HINT_EVIDENCE_AK: return "evidence-ak";
    case IDT_HINT_EVIDENCE_SIGNATURE: return "evidence-signature";
    case IDT_HINT_EVIDENCE_PCRS: return "evidence-pcrs";
    case IDT_HINT_VERIFY_RULES_KATA: return "verify-rules-kata";
    case IDT_HINT_GUEST_PLATFORM: return "guest-platform";
    case IDT_HINT_GUEST_NO_TEE: return "guest-no-tee";
    case IDT_HINT_GUEST_DEVICE: return "guest-device";
    case IDT_HINT_GUEST_FORCE_PCR: return "guest-force-pcr";
    case IDT_HINT_GUEST_ALL_ENTRIES: return "guest-all-entries";
    }
    return NULL;
}

int idtx_error_hint(idt_error *err, idt_hint hint, int code)
{
    if (err)
        err->hint = hint;
    return code;
}

void idt_free(void *p)
{
    free(p);
}

const char *idt_version(void)
{
    return IDT_VERSION_STRING;
}

int idtx_error_vset(idt_error *err, int code, const idt_span *at, const char *fmt,
                    va_list ap)
{
    if (!err)
        return code;
    const char *source = err->source;
    memset(err, 0, sizeof *err);
    err->source = source;
    err->code = (idt_status)code;
    if (at) {
        err->line = at->line;
        err->column = at->column;
        err->offset = at->offset;
        err->has_offset = true;
    }
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    return code;
}

int idtx_error_set(idt_error *err, int code, const idt_span *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    idtx_error_vset(err, code, at, fmt, ap);
    va_end(ap);
    return code;
}

int idtx_error_at_offset(idt_error *err, int code, uint64_t offset, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    idtx_error_vset(err, code, NULL, fmt, ap);
    va_end(ap);
    if (err) {
        err->offset = offset;
        err->has_offset = true;
    }
    return code;
}
