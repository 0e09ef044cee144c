/* placeholder until the parser lands */
#include "initdata/toml.h"
#include "util/error_int.h"
#include <stdlib.h>
int idt_toml_parse(idt_toml_doc **out, const char *src, size_t len,
                   const idt_toml_options *opts, idt_error *err)
{ (void)src; (void)len; (void)opts; *out = NULL; return idtx_error_set(err, IDT_EUNSUPPORTED, NULL, "not yet"); }
void idt_toml_doc_free(idt_toml_doc *doc) { (void)doc; }
const idt_toml_value *idt_toml_doc_root(const idt_toml_doc *doc) { (void)doc; return NULL; }
const idt_toml_entry *idt_toml_table_get(const idt_toml_value *t, const char *k, size_t n) { (void)t; (void)k; (void)n; return NULL; }
const char *idt_toml_type_name(idt_toml_type t) { (void)t; return "unknown"; }
int idt_toml_datetime_format(char *buf, size_t cap, const idt_toml_value *v) { (void)buf; (void)cap; (void)v; return -1; }
