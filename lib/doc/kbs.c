/* The "init-data" object of Trustee's attestation request (doc.h). */
#include "initdata/doc.h"
#include "util/json.h"

#include <stdint.h>

int idt_kbs_init_data_json(char **out, size_t *out_len, const char *src, size_t len,
                           idt_error *err)
{
    if (!out || (!src && len))
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_kbs_init_data_json: NULL argument");
    *out = NULL;
    if (out_len)
        *out_len = 0;
    idtx_buf b;
    /* Each byte escapes to at most 6 ("\u00XX"); the frame adds 28. */
    if (len > (SIZE_MAX - 64) / 6)
        return idtx_error_set(err, IDT_ELIMIT, NULL, "the document is too large");
    idtx_buf_init(&b, len * 6 + 64, "the init-data object");
    size_t bad_at = 0;
    int rc = idtx_buf_puts(&b, "{\"format\":\"toml\",\"body\":", err);
    if (rc == IDT_OK)
        rc = idtx_json_string(&b, src, len, false, &bad_at, err);
    if (rc == IDT_EFORMAT)
        rc = idtx_error_at_offset(err, IDT_EFORMAT, bad_at,
                                  "the document is not UTF-8 (byte 0x%02x); a JSON body "
                                  "cannot carry it exactly", (unsigned char)src[bad_at]);
    if (rc == IDT_OK)
        rc = idtx_buf_putc(&b, '}', err);
    if (rc == IDT_OK)
        rc = idtx_buf_take(&b, out, out_len, err);
    idtx_buf_dispose(&b);
    return rc;
}
