/*
 * initdata/common.h - status codes, the error record and shared types.
 *
 * Every fallible function in libinitdata returns an int: IDT_OK (0) on
 * success, or a negative idt_status.  Details go into an idt_error that the
 * caller owns (there is no thread-local "last error"), so the library is
 * safe to call from many threads at once.  Any `idt_error *err` parameter
 * may be NULL when the caller only needs the status code.
 */
#ifndef INITDATA_COMMON_H
#define INITDATA_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(IDT_BUILDING_LIBRARY) && defined(__GNUC__)
#define IDT_API __attribute__((visibility("default")))
#else
#define IDT_API
#endif

/*
 * Status codes.  The values are pinned: they never change meaning and a
 * retired value is never reused.
 */
typedef enum idt_status {
    IDT_OK = 0,
    IDT_ERROR = -1,         /* generic failure */
    IDT_ENOMEM = -2,        /* an allocation failed */
    IDT_EIO = -3,           /* reading or writing a file or device failed */
    IDT_ESYNTAX = -4,       /* malformed text (TOML, base64, YAML) */
    IDT_ESCHEMA = -5,       /* well-formed, but not a valid Init-Data document */
    IDT_ETRUNC = -6,        /* input ends before a structure does */
    IDT_EFORMAT = -7,       /* malformed binary data (gzip, image, evidence) */
    IDT_EMISMATCH = -8,     /* a checked value differs from the expected one */
    IDT_ELIMIT = -9,        /* a size, depth or count bound was exceeded */
    IDT_EUNSUPPORTED = -10, /* valid, but not supported (algorithm, platform) */
    IDT_EINVAL = -11        /* a caller passed an invalid argument */
} idt_status;

/* Where in a text a token or value sits.  Lines and columns are 1-based;
 * columns count bytes.  0 means "not applicable". */
typedef struct idt_span {
    size_t offset;   /* byte offset of the first byte */
    size_t length;   /* number of bytes */
    uint32_t line;   /* line of the first byte */
    uint32_t column; /* column of the first byte */
} idt_span;

#define IDT_ERROR_MESSAGE_MAX 320

/*
 * Hints: the input or option a caller could supply so that a call gets
 * further.  Library messages never name a tool's command-line flags (the
 * library runs in programs that have none); they say in words what is
 * missing ("no attestation key was given").  The hint says the same thing
 * as a code a front end can act on in its own terms: the initdata tool
 * prints the flag that supplies the input, a web form could highlight its
 * field.  Hints are found in idt_error.hint, idt_evidence_check.hint,
 * idt_diagnosis.hint and idt_guest_notes.hint; 0 (IDT_HINT_NONE) means
 * there is nothing to suggest.  The values are pinned: a hint keeps its
 * value for good and a retired value is never reused, so a front end may
 * switch on them; an unknown value is to be ignored.
 */
typedef enum idt_hint {
    IDT_HINT_NONE = 0,
    /* initdata/evidence.h */
    IDT_HINT_EVIDENCE_TEE = 1,          /* the format is not recognised: name the
                                           TEE in idt_evidence_options.tee */
    IDT_HINT_EVIDENCE_TEE_MISMATCH = 2, /* the TEE named in idt_evidence_options.tee
                                           does not fit the input (0 detects it) */
    IDT_HINT_EVIDENCE_VCEK = 3,         /* idt_evidence_options.vcek: the SNP chip's
                                           VCEK or VLEK certificate */
    IDT_HINT_EVIDENCE_AK = 4,           /* idt_evidence_options.ak: the TPM AK
                                           public key */
    IDT_HINT_EVIDENCE_SIGNATURE = 5,    /* idt_evidence_options.tpm_signature */
    IDT_HINT_EVIDENCE_PCRS = 6,         /* idt_evidence_options.tpm_pcrs: the PCR
                                           values of a TPM quote */
    IDT_HINT_VERIFY_RULES_KATA = 7,     /* idt_verify_binding with IDT_RULES_KATA
                                           gives MATCH */
    /* initdata/guest.h */
    IDT_HINT_GUEST_PLATFORM = 8,        /* several TEE interfaces: the caller names
                                           the platform instead of detecting it */
    IDT_HINT_GUEST_NO_TEE = 9,          /* no TEE interface: the caller names the
                                           platform, or (tests only) skips the
                                           binding check */
    IDT_HINT_GUEST_DEVICE = 10,         /* several initdata disks: the caller names
                                           the device (idt_guest_device_read) */
    IDT_HINT_GUEST_FORCE_PCR = 11,      /* idt_guest_bind_options.force_pcr extends
                                           a PCR 8 that is not all zeros */
    IDT_HINT_GUEST_ALL_ENTRIES = 12     /* idt_guest_install_options.all_entries
                                           installs the other data entries */
} idt_hint;

/* A stable identifier for a hint ("evidence-ak", "guest-all-entries"...: the
 * constant's name after IDT_HINT_, lowercase, '_' as '-'); NULL for
 * IDT_HINT_NONE and unknown values. */
IDT_API const char *idt_hint_name(idt_hint hint);

/*
 * The error record.  Filled by a failing call when the caller passes one.
 * `source` is borrowed from the caller (see idt_error_set_source); the
 * library never sets it on its own.
 */
typedef struct idt_error {
    idt_status code;
    const char *source; /* input name ("initdata.toml", "<stdin>"), or NULL */
    uint32_t line;      /* 1-based; 0 when the input is not text */
    uint32_t column;    /* 1-based, in bytes; 0 when not applicable */
    uint64_t offset;    /* byte offset into the input */
    bool has_offset;    /* offset is meaningful */
    char message[IDT_ERROR_MESSAGE_MAX];
    idt_hint hint;      /* what the caller could give to get further, or
                           IDT_HINT_NONE.  Last, where LP64 targets had
                           padding: sizeof (idt_error) did not change. */
} idt_error;

/* Resets *err to "no error".  err may be NULL. */
IDT_API void idt_error_clear(idt_error *err);

/* A short, stable English name for a status ("out of memory"...).  Never
 * returns NULL; unknown values give "unknown error". */
IDT_API const char *idt_status_str(int status);

/*
 * Formats err in the GNU shape editors understand:
 *   SOURCE:LINE:COL: error: MESSAGE
 * leaving out the parts that are unknown (SOURCE: error: MESSAGE, or
 * SOURCE: error: at byte N: MESSAGE for binary inputs).
 * Writes at most cap bytes including the NUL.  Returns the length the full
 * text would have (like snprintf), or a negative value on a NULL argument.
 */
IDT_API int idt_error_format(char *buf, size_t cap, const idt_error *err);

/* Releases memory that a library function returned through an out
 * parameter documented as "free with idt_free".  NULL is allowed. */
IDT_API void idt_free(void *p);

/* The library's version, "MAJOR.MINOR.PATCH". */
IDT_API const char *idt_version(void);

#ifdef __cplusplus
}
#endif
#endif /* INITDATA_COMMON_H */
