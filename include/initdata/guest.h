/*
 * initdata/guest.h - inside the confidential VM: find the Init-Data the host
 * delivered, prove it is the document the TEE was launched with, install it.
 *
 * The host is not trusted.  It writes the document into a virtio-blk disk
 * (initdata/codec.h, the Kata block image) and launches the TEE with the
 * document's digest in a hardware field (initdata/digest.h).  Inside the
 * guest, `initdata apply` strings these steps together:
 *
 *   idt_guest_device_find     which disk holds the image (bounded, deterministic)
 *   idt_guest_device_read     the exact document bytes, bounded by the device
 *                             size and a cap before anything is allocated
 *   idt_doc_parse             the core validation (initdata/doc.h)
 *   idt_guest_platform_detect which TEE this is (tdx, snp or vtpm)
 *   idt_guest_bind            compares the TEE field with the binding value
 *                             (tdx, snp), or extends PCR 8 and reads it back
 *                             (vtpm)
 *   idt_guest_install         installs the files all-or-nothing
 *   idt_guest_install_deny    or, after a failure, a deny-all policy.rego
 *                             that carries the error
 *
 * The root prefix.  Every function that looks at the guest's /sys, /dev or
 * /run takes `root`: NULL, "" or "/" means the running system; any other
 * directory is a staged tree (tests, or an offline look at a captured
 * guest).  In a staged tree a regular file stands in for a device node:
 * dev/<disk> holds an image, dev/tdx_guest a 1024-byte TDREPORT, and
 * dev/sev-guest a 1184-byte SNP report (or the 4000-byte SNP_GET_REPORT
 * response).  On the running system only real device nodes are used, and
 * only then are the ioctls issued.
 *
 * Nothing here prints or exits (but libtss2 logs its own errors to stderr
 * unless the caller sets TSS2_LOG, e.g. to "all+none"; the idt_error carries
 * the decoded TSS2 code either way).  Errors come back in an idt_error; things a
 * person should know although the step succeeded (a skipped data entry, a
 * disk that could not be read during the scan, a forced PCR extend) come
 * back as notes (idt_guest_notes), in order.  The functions keep no state
 * between calls and may run in several threads at once (on different
 * targets: two installs into the same directory serialise on a lock).
 *
 * Exit-status classes the tool maps to: IDT_EIO and IDT_ENOMEM are the
 * environment (no device, an unreadable file, the TPM); every other status
 * means the input is invalid or does not match the TEE.
 */
#ifndef INITDATA_GUEST_H
#define INITDATA_GUEST_H

#include "common.h"
#include "codec.h"
#include "digest.h"
#include "doc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- notes ------------------------------------------------------------- */

#define IDT_GUEST_NOTES_MAX 16

/* Warnings collected during a step, oldest first.  Caller-owned; may be
 * reused across calls (they append).  Every `notes` parameter may be NULL. */
typedef struct idt_guest_notes {
    size_t count;   /* messages held in message[0..count) */
    size_t dropped; /* further messages that did not fit */
    char message[IDT_GUEST_NOTES_MAX][IDT_ERROR_MESSAGE_MAX];
    idt_hint hint[IDT_GUEST_NOTES_MAX]; /* hint[i] goes with message[i]: an
                                           option that would change what the
                                           note reports, or IDT_HINT_NONE */
} idt_guest_notes;

/* Empties notes.  NULL is allowed. */
IDT_API void idt_guest_notes_clear(idt_guest_notes *notes);

/* Longest path the guest functions build or accept, NUL included. */
#define IDT_GUEST_PATH_MAX 4096

/* --- the source: the Kata initdata disk -------------------------------- */

/*
 * Finds the initdata disk under root.  The block devices are the entries of
 * ROOT/sys/block, taken in byte order of their names; the device node of
 * `vdb` is ROOT/dev/vdb.  A device whose ROOT/sys/block/NAME/serial reads
 * "initdata" (the serial the Kata runtime gives the disk) is preferred;
 * without one, every block device is opened and the one whose first 8
 * bytes are the magic "initdata" is taken.  Devices that cannot be opened
 * are skipped (with a note unless they simply have no medium).
 *
 * @param[out] path  the device node, NUL-terminated, at most cap bytes.
 * @return IDT_OK; IDT_EIO when there is no candidate, when more than one
 *         device qualifies (the message lists them: a host that attaches
 *         two initdata disks is refused rather than guessed at), or when
 *         ROOT/sys/block cannot be read (several: err->hint
 *         IDT_HINT_GUEST_DEVICE); IDT_ELIMIT when a path does not
 *         fit cap; IDT_EINVAL for NULL arguments.
 */
IDT_API int idt_guest_device_find(char *path, size_t cap, const char *root,
                                  idt_guest_notes *notes, idt_error *err);

/*
 * Reads the document from the image on an open file or block device: the
 * device size (BLKGETSIZE64, or the file size), the 16-byte header checked
 * against that size and opts->max_encoded (idt_image_check_header), then
 * only the image the header announces (16 + N rounded up to 512, at most
 * the device size), decoded as idt_image_decode does (strict unless
 * opts->lenient), by the kata-agent's gzip header rules: FHCRC is refused,
 * reserved flag bits go to opts->warnings.  Nothing is allocated before N
 * is known to fit.
 * Bytes on the device after the image are not read.  The file offset of
 * fd is not used (pread).
 *
 * @param[out] doc  the exact document bytes, NUL-terminated (free with
 *                  idt_free); *len excludes the NUL.  NULL on failure.
 * @param opts      NULL for IDT_CODEC_OPTIONS_INIT.
 * @param err       error offsets are byte offsets on the device.
 * @return IDT_OK; the errors of idt_image_check_header and idt_image_decode
 *         (IDT_EFORMAT, IDT_ESCHEMA for an empty document, IDT_ETRUNC,
 *         IDT_ELIMIT); IDT_EIO when fd is not a
 *         regular file or block device or a read fails; IDT_ENOMEM;
 *         IDT_EINVAL.
 */
IDT_API int idt_guest_device_read_fd(unsigned char **doc, size_t *len, int fd,
                                     const idt_codec_options *opts, idt_error *err);

/*
 * Opens path (a block device, or a regular file holding an image; not
 * followed if it is a FIFO or character device, which are refused) and
 * reads it with idt_guest_device_read_fd.
 */
IDT_API int idt_guest_device_read(unsigned char **doc, size_t *len, const char *path,
                                  const idt_codec_options *opts, idt_error *err);

/* --- the TEE ----------------------------------------------------------- */

/*
 * Detects the TEE under root:
 *   tdx   ROOT/dev/tdx_guest or ROOT/sys/devices/virtual/misc/tdx_guest exists;
 *   snp   ROOT/dev/sev-guest exists;
 *   vtpm  neither, and ROOT/dev/tpmrm0 exists (Azure's SNP and TDX guests
 *         expose only a vTPM).
 * A note says what was found.
 *
 * @param[out] out  IDT_PLATFORM_TDX, IDT_PLATFORM_SNP or IDT_PLATFORM_VTPM.
 * @return IDT_OK; IDT_EIO when no TEE interface is present (the message
 *         lists what was looked for; err->hint IDT_HINT_GUEST_NO_TEE) or
 *         both TDX and SNP are (IDT_HINT_GUEST_PLATFORM); IDT_EINVAL.
 */
IDT_API int idt_guest_platform_detect(idt_platform *out, const char *root,
                                      idt_guest_notes *notes, idt_error *err);

/* Where a TEE field value came from. */
typedef enum idt_guest_method {
    IDT_GUEST_METHOD_SYSFS = 1,     /* TDX: sysfs measurements/mrconfigid */
    IDT_GUEST_METHOD_TDX_IOCTL = 2, /* TDX: TDREPORT from /dev/tdx_guest */
    IDT_GUEST_METHOD_TSM = 3,       /* SNP: a configfs-tsm report */
    IDT_GUEST_METHOD_SEV_IOCTL = 4, /* SNP: SNP_GET_REPORT on /dev/sev-guest */
    IDT_GUEST_METHOD_STAGED = 5,    /* a staged regular file stood in for a device */
    IDT_GUEST_METHOD_TPM = 6        /* vTPM: PCR 8 through the TSS2 stack */
} idt_guest_method;

/* "sysfs", "tdreport-ioctl", "configfs-tsm", "sev-guest-ioctl",
 * "staged-file", "tpm"; NULL for unknown values. */
IDT_API const char *idt_guest_method_name(idt_guest_method m);

/* A TEE field as read from the guest. */
typedef struct idt_guest_field {
    idt_platform platform;
    idt_guest_method method;
    char source[IDT_GUEST_PATH_MAX]; /* the file or device it came from */
    size_t len;                      /* 48 (MRCONFIGID) or 32 (HOST_DATA) */
    uint8_t bytes[64];
} idt_guest_field;

/*
 * Reads the binding field of a TDX or SNP guest under root.
 *   tdx: ROOT/sys/devices/virtual/misc/tdx_guest/measurements/mrconfigid
 *        (exactly 48 raw bytes); when that file does not exist, the
 *        TDREPORT of ROOT/dev/tdx_guest (TDX_CMD_GET_REPORT0 on a device
 *        node; a staged file must hold the 1024-byte TDREPORT), MRCONFIGID
 *        at byte 576.  The report type must be TDX (0x81).
 *   snp: a configfs-tsm report when ROOT/sys/kernel/config/tsm/report
 *        exists (provider sev_guest, a random 64-byte inblob that must come
 *        back as REPORT_DATA, generation 1, entry removed afterwards); else
 *        SNP_GET_REPORT on ROOT/dev/sev-guest (a staged file holds the
 *        1184-byte report or the 4000-byte response).  HOST_DATA at 192.
 *
 * @return IDT_OK; IDT_EIO when the interface is missing or fails;
 *         IDT_EFORMAT when what it returned is not a report of that TEE
 *         (size, type, version, REPORT_DATA echo); IDT_EMISMATCH when the
 *         configfs-tsm generation shows that another process raced us;
 *         IDT_EUNSUPPORTED for other platforms; IDT_EINVAL.
 */
IDT_API int idt_guest_tee_read(idt_guest_field *out, idt_platform p, const char *root,
                               idt_guest_notes *notes, idt_error *err);

/* Options of idt_guest_bind.  Initialise with IDT_GUEST_BIND_OPTIONS_INIT. */
typedef struct idt_guest_bind_options {
    unsigned version;      /* IDT_GUEST_BIND_OPTIONS_VERSION */
    const char *root;      /* see the top of this file */
    const char *tcti;      /* vTPM: a TSS2 TCTI configuration string
                              ("device:/dev/tpmrm0", "swtpm:host=127.0.0.1,port=2321");
                              NULL means "device:ROOT/dev/tpmrm0" */
    idt_vtpm_rule vtpm_rule; /* what to extend PCR 8 with */
    bool force_pcr;        /* vTPM: extend even when PCR 8 is not all zeros */
} idt_guest_bind_options;

#define IDT_GUEST_BIND_OPTIONS_VERSION 1
#define IDT_GUEST_BIND_OPTIONS_INIT { IDT_GUEST_BIND_OPTIONS_VERSION, NULL, NULL, IDT_VTPM_RULE_AA, false }

/* What idt_guest_bind compared. */
typedef struct idt_guest_binding {
    idt_platform platform;
    idt_guest_method method;
    char source[IDT_GUEST_PATH_MAX]; /* file, device or TCTI */
    idt_binding expected; /* the value the document's digest requires */
    idt_binding actual;   /* the value the TEE holds */
    /* vTPM only: PCR 8 before the extend, and what it was extended with. */
    bool pcr_was_zero;
    uint8_t pcr_before[32];
    uint8_t extended_with[32];
} idt_guest_binding;

/*
 * Binds the document digest d to the TEE p (tdx, snp or vtpm).
 *   tdx, snp: reads the field (idt_guest_tee_read) and compares it with
 *     idt_binding_compute(p, d).
 *   vtpm: computes the PCR 8 value to expect first (so a digest the rule
 *     cannot use never reaches the TPM), reads PCR 8 of the SHA-256 bank,
 *     refuses unless it is all zeros (someone extended it first; with
 *     o->force_pcr a note says so and the value to expect becomes
 *     SHA-256(PCR8 || x), which Trustee will not accept), extends it with
 *     x (the digest, or its first 32 bytes under IDT_VTPM_RULE_PEERPODS),
 *     reads it back and compares.
 * *out is filled as far as the step got, also on failure.
 *
 * @return IDT_OK when the TEE holds the expected value; IDT_EMISMATCH when
 *         it does not (the message gives both values in hex, and says when
 *         the field is all zeros: the host launched the TEE without a
 *         binding), or when PCR 8 was not zero and force_pcr is off
 *         (err->hint IDT_HINT_GUEST_FORCE_PCR);
 *         IDT_EUNSUPPORTED for a digest the vTPM rule cannot use or a
 *         platform other than tdx, snp and vtpm; the errors of
 *         idt_guest_tee_read; IDT_EIO for TPM failures (the TSS2 message
 *         is included); IDT_EINVAL.
 */
IDT_API int idt_guest_bind(idt_guest_binding *out, idt_platform p, const idt_digest *d,
                           const idt_guest_bind_options *o, idt_guest_notes *notes,
                           idt_error *err);

/* --- installing -------------------------------------------------------- */

/* Where and how the files go. */
typedef enum idt_guest_layout {
    /* /run/confidential-containers/initdata: initdata.toml (the exact
     * bytes), aa.toml, cdh.toml, policy.rego — what the kata-agent writes */
    IDT_GUEST_LAYOUT_KATA = 1,
    /* /run/peerpod: aa.toml, cdh.toml, policy.rego and initdata.digest (the
     * lowercase hex digest, no newline) — what the cloud-api-adaptor writes */
    IDT_GUEST_LAYOUT_PEERPOD = 2
} idt_guest_layout;

/* The layout's keyword: "kata" or "peerpod".  Unknown values give NULL. */
IDT_API const char *idt_guest_layout_name(idt_guest_layout layout);

/*
 * Looks up a layout by its keyword ("kata" or "peerpod"; exact, lowercase;
 * len bytes, need not be NUL-terminated).
 *
 * @param[out] out  the layout; unchanged on failure.
 * @return IDT_OK; IDT_EUNSUPPORTED for any other keyword, with a message
 *         listing the known ones; IDT_EINVAL for NULL arguments.
 */
IDT_API int idt_guest_layout_parse(idt_guest_layout *out, const char *name, size_t len,
                                   idt_error *err);

/* Points during an install, for the progress hook. */
typedef enum idt_guest_install_step {
    IDT_GUEST_STEP_STAGE_DIR = 1,  /* the staging directory exists, empty */
    IDT_GUEST_STEP_FILE_OPEN = 2,  /* a file was created in it, empty */
    IDT_GUEST_STEP_FILE_CHUNK = 3, /* one write() of a file's bytes went through */
    IDT_GUEST_STEP_FILE_DONE = 4,  /* the file is complete, synced and closed */
    IDT_GUEST_STEP_STAGED = 5,     /* the staging directory is synced: ready */
    IDT_GUEST_STEP_SWAPPED = 6,    /* the rename put the new install in place */
    IDT_GUEST_STEP_OLD_REMOVED = 7 /* the previous install is gone */
} idt_guest_install_step;

/* Called at each step; name is the file for the FILE_* steps, else NULL.
 * A non-zero return before IDT_GUEST_STEP_SWAPPED cancels the install
 * (nothing is installed, the staging directory is removed, the call
 * returns IDT_ERROR); later returns are ignored. */
typedef int (*idt_guest_install_hook)(void *ctx, idt_guest_install_step step,
                                      const char *name);

/* Options of the install functions.  Initialise with
 * IDT_GUEST_INSTALL_OPTIONS_INIT. */
typedef struct idt_guest_install_options {
    unsigned version;        /* IDT_GUEST_INSTALL_OPTIONS_VERSION */
    idt_guest_layout layout; /* which files, and the default target */
    const char *out;         /* the target directory, used as given; NULL for
                                the layout's default under root */
    const char *root;        /* prefixes the default target only */
    bool all_entries;        /* also install every other data entry with a
                                safe name (idt_guest_name_check) */
    idt_guest_install_hook hook; /* NULL: none */
    void *hook_ctx;
} idt_guest_install_options;

#define IDT_GUEST_INSTALL_OPTIONS_VERSION 1
#define IDT_GUEST_INSTALL_OPTIONS_INIT                                                   \
    { IDT_GUEST_INSTALL_OPTIONS_VERSION, IDT_GUEST_LAYOUT_KATA, NULL, NULL, false, NULL, NULL }

/*
 * The layout's default target under root: ROOT/run/confidential-containers/
 * initdata or ROOT/run/peerpod.
 * @return IDT_OK; IDT_ELIMIT when it does not fit cap; IDT_EINVAL.
 */
IDT_API int idt_guest_default_out(char *buf, size_t cap, idt_guest_layout layout,
                                  const char *root, idt_error *err);

/*
 * Whether a data entry name may become a file name: not empty, at most 255
 * bytes, not "." or "..", no '/', no NUL, no leading '-'.  Returns NULL
 * when it is safe, else a static phrase saying why not ("contains '/'").
 */
IDT_API const char *idt_guest_name_check(const char *name, size_t len);

/*
 * Installs doc into the target directory, all or nothing:
 *   1. the path to the target's parent is walked one component at a time
 *      with O_DIRECTORY|O_NOFOLLOW (missing directories are made, mode
 *      0755); a symbolic link anywhere on it, or at the target itself, is
 *      refused, never followed;
 *   2. the parent is locked (flock) and stale staging directories of an
 *      earlier, interrupted install are removed;
 *   3. the files are written into a new directory beside the target
 *      (.NAME.staging-XXXXXXXXXXXX, made with mkdirat and used through
 *      openat), mode 0644 each, fsynced, the directory set to 0755 and
 *      fsynced;
 *   4. one rename puts it in place: renameat2(RENAME_EXCHANGE) when the
 *      target exists (RENAME_NOREPLACE when it does not), then the parent is
 *      fsynced and the previous install removed.
 * A crash at any moment leaves the previous install (or none) or the
 * complete new one at the target; only a hidden staging directory may be
 * left beside it, which the next install removes.
 *
 * Files: see idt_guest_layout.  Of the other data entries, none is
 * installed without o->all_entries (a note names each, with the hint
 * IDT_HINT_GUEST_ALL_ENTRIES when its name is safe); with it, every one
 * is, and a name that is not safe or that clashes with a file of the layout
 * (initdata.toml, initdata.digest) fails the whole install.
 *
 * @return IDT_OK; IDT_ESCHEMA for an unsafe or clashing entry name with
 *         all_entries (nothing is written); IDT_EIO for a symbolic link on
 *         the path, a target that is not a directory, or a failing file
 *         operation (the message names the path and the system error);
 *         IDT_ERROR when the hook cancelled; IDT_ENOMEM; IDT_EINVAL.
 */
IDT_API int idt_guest_install(const idt_doc *doc, const idt_guest_install_options *o,
                              idt_guest_notes *notes, idt_error *err);

/*
 * The deny-all agent policy: `package agent_policy` with every request of
 * the Kata agent API set to false, headed by comment lines that carry
 * reason (each line of it prefixed with "# ", control bytes escaped), so
 * that the agent refuses every request and the reason can be read from the
 * host (the agent's policy errors name the file).
 * @param[out] out  the text (free with idt_free), NUL-terminated.
 * @return IDT_OK; IDT_ENOMEM; IDT_EINVAL.
 */
IDT_API int idt_guest_deny_policy(char **out, size_t *len, const char *reason,
                                  idt_error *err);

/*
 * Installs only policy.rego = idt_guest_deny_policy(reason) into the
 * target of o, with the same all-or-nothing procedure as idt_guest_install
 * (o->all_entries is ignored).  Whatever was installed before is replaced.
 * @return as idt_guest_install.
 */
IDT_API int idt_guest_install_deny(const char *reason, const idt_guest_install_options *o,
                                   idt_guest_notes *notes, idt_error *err);

#ifdef __cplusplus
}
#endif
#endif /* INITDATA_GUEST_H */
