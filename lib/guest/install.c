/* Installing the files all-or-nothing (guest.h): stage in a new directory
 * beside the target, sync, swap in with one rename. */
#define _GNU_SOURCE /* renameat2 */
#include "guest/guest_int.h"
#include "util/buf.h"
#include "util/quote.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIR_MODE 0755
#define FILE_MODE 0644
#define STAGE_TAG ".staging-"
#define NAME_MAX_BYTES 255
/* One write() at a time, so the hook sees a file being filled. */
#define CHUNK ((size_t)1 << 20)
#define REMOVE_DEPTH 16

/* The files of an install. */
typedef struct file_spec {
    const char *name;
    const char *data;
    size_t len;
} file_spec;

typedef struct file_list {
    file_spec *items;
    size_t count, cap;
} file_list;

/* An open install target: its parent directory and its name there. */
typedef struct target {
    int parent_fd;
    const char *path; /* the caller's spelling, for messages */
    char base[NAME_MAX_BYTES + 1];
    char stage[NAME_MAX_BYTES + 1];
    bool staged;  /* stage exists in parent_fd */
    bool existed; /* the target existed when we looked */
} target;

static const char *const known_entries[] = { "aa.toml", "cdh.toml", "policy.rego" };
#define KNOWN_COUNT (sizeof known_entries / sizeof known_entries[0])

const char *idt_guest_name_check(const char *name, size_t len)
{
    if (!name || len == 0)
        return "is empty";
    if (len > NAME_MAX_BYTES)
        return "is longer than 255 bytes";
    if (memchr(name, '\0', len))
        return "contains a NUL byte";
    if (memchr(name, '/', len))
        return "contains '/'";
    if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
        return "is \".\" or \"..\"";
    if (name[0] == '-')
        return "starts with '-'";
    return NULL;
}

int idt_guest_default_out(char *buf, size_t cap, idt_guest_layout layout, const char *root,
                          idt_error *err)
{
    if (!buf)
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_guest_default_out: NULL argument");
    if (layout == IDT_GUEST_LAYOUT_KATA)
        return idt_guest__path(buf, cap, root, "/run/confidential-containers/initdata", err);
    if (layout == IDT_GUEST_LAYOUT_PEERPOD)
        return idt_guest__path(buf, cap, root, "/run/peerpod", err);
    return idtx_error_set(err, IDT_EINVAL, NULL, "unknown install layout %d", (int)layout);
}

/* --- removing trees without following links ------------------------------------ */

static int remove_entries(int fd, int depth);

/* Removes dirfd/name: a directory with everything in it, or anything else
 * (a symlink is removed, never followed).  0 or -1 with errno. */
static int remove_tree(int dirfd, const char *name, int depth)
{
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOTDIR || errno == ELOOP)
            return unlinkat(dirfd, name, 0);
        return errno == ENOENT ? 0 : -1;
    }
    int rc = remove_entries(fd, depth);
    if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
        rc = -1;
    return rc;
}

/* Empties the directory fd (and closes it). */
static int remove_entries(int fd, int depth)
{
    DIR *d;
    struct dirent *e;
    int rc = 0;
    if (depth > REMOVE_DEPTH) {
        close(fd);
        errno = ELOOP;
        return -1;
    }
    if (!(d = fdopendir(fd))) {
        close(fd);
        return -1;
    }
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (unlinkat(dirfd(d), e->d_name, 0) == 0 || errno == ENOENT)
            continue;
        if (errno != EISDIR && errno != EPERM)
            rc = -1;
        else if (remove_tree(dirfd(d), e->d_name, depth + 1) < 0)
            rc = -1;
    }
    closedir(d);
    return rc;
}

/* --- opening the target's parent ------------------------------------------------ */

/* Explains why path could not be opened as a directory. */
static int not_a_directory(int dirfd, const char *comp, const char *path, idt_error *err)
{
    struct stat st;
    char link[256], q[IDTX_QUOTE_MAX];
    if (fstatat(dirfd, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
        ssize_t n = readlinkat(dirfd, comp, link, sizeof link);
        return idtx_error_set(err, IDT_EIO, NULL, "%s is a symbolic link (to %s); refusing to "
                              "follow it", path,
                              idtx_quote(q, link, n > 0 ? (size_t)n : 0));
    }
    return idtx_error_set(err, IDT_EIO, NULL, "%s is not a directory", path);
}

/* Opens (making it if missing) the directory dirfd/comp, never through a
 * symlink.  walked names it for messages. */
static int open_dir_step(int dirfd, const char *comp, const char *walked, idt_error *err)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        int fd = openat(dirfd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0)
            return fd;
        if (errno == ELOOP || errno == ENOTDIR)
            return not_a_directory(dirfd, comp, walked, err);
        if (errno != ENOENT || attempt)
            break;
        if (mkdirat(dirfd, comp, DIR_MODE) < 0 && errno != EEXIST)
            return idtx_error_set(err, IDT_EIO, NULL, "cannot create %s: %s", walked,
                                  strerror(errno));
    }
    return idtx_error_set(err, IDT_EIO, NULL, "cannot open %s: %s", walked, strerror(errno));
}

/* Splits t->path into the parent (opened component by component) and
 * t->base. */
static int open_parent(target *t, idt_error *err)
{
    char buf[IDT_GUEST_PATH_MAX], walked[IDT_GUEST_PATH_MAX];
    size_t len = strlen(t->path);
    char *slash, *base, *save = NULL;
    int fd;

    if (len == 0 || len >= sizeof buf)
        return idtx_error_set(err, IDT_EINVAL, NULL, "bad target directory \"%s\"", t->path);
    memcpy(buf, t->path, len + 1);
    while (len > 1 && buf[len - 1] == '/')
        buf[--len] = '\0';
    slash = strrchr(buf, '/');
    base = slash ? slash + 1 : buf;
    if (!*base || !strcmp(base, ".") || !strcmp(base, "..") || strlen(base) > NAME_MAX_BYTES)
        return idtx_error_set(err, IDT_EINVAL, NULL, "the target \"%s\" does not end in a "
                              "directory name", t->path);
    memcpy(t->base, base, strlen(base) + 1);
    if (slash)
        *(slash == buf ? slash + 1 : slash) = '\0';
    else
        memcpy(buf, ".", sizeof ".");
    fd = open(buf[0] == '/' ? "/" : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return idtx_error_set(err, IDT_EIO, NULL, "cannot open %s: %s",
                              buf[0] == '/' ? "/" : "the working directory", strerror(errno));
    snprintf(walked, sizeof walked, "%s", buf[0] == '/' ? "" : ".");
    for (char *c = strtok_r(buf, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
        if (!strcmp(c, "."))
            continue;
        size_t w = strlen(walked);
        snprintf(walked + w, sizeof walked - w, "/%s", c);
        int next = open_dir_step(fd, c, walked, err);
        close(fd);
        if (next < 0)
            return next;
        fd = next;
    }
    t->parent_fd = fd;
    return IDT_OK;
}

/* Looks at the target itself: absent, a directory, or refused. */
static int check_target(target *t, idt_error *err)
{
    struct stat st;
    t->existed = false;
    if (fstatat(t->parent_fd, t->base, &st, AT_SYMLINK_NOFOLLOW) < 0) {
        if (errno == ENOENT)
            return IDT_OK;
        return idtx_error_set(err, IDT_EIO, NULL, "cannot stat %s: %s", t->path, strerror(errno));
    }
    if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode))
        return not_a_directory(t->parent_fd, t->base, t->path, err);
    t->existed = true;
    return IDT_OK;
}

/* Removes what an interrupted install left beside the target. */
static void remove_stale(target *t, idt_guest_notes *notes)
{
    char prefix[NAME_MAX_BYTES + 32];
    int fd = dup(t->parent_fd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    struct dirent *e;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return;
    }
    snprintf(prefix, sizeof prefix, ".%s" STAGE_TAG, t->base);
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
            continue;
        if (remove_tree(t->parent_fd, e->d_name, 0) == 0)
            idt_guest__note(notes, "removed %s, left beside %s by an interrupted install",
                            e->d_name, t->path);
        else
            idt_guest__note(notes, "cannot remove %s beside %s: %s", e->d_name, t->path,
                            strerror(errno));
    }
    closedir(d);
}

/* --- staging --------------------------------------------------------------------- */

static int hook(const idt_guest_install_options *o, idt_guest_install_step step,
                const char *name, idt_error *err)
{
    if (o->hook && o->hook(o->hook_ctx, step, name) != 0)
        return idtx_error_set(err, IDT_ERROR, NULL, "the install was cancelled at step %d",
                              (int)step);
    return IDT_OK;
}

/* A fresh, private directory beside the target: .BASE.staging-<random>. */
static int make_stage(target *t, idt_error *err)
{
    for (int attempt = 0; attempt < 8; attempt++) {
        uint8_t rnd[6];
        char hex[13];
        IDTX_TRY(idt_guest__random(rnd, sizeof rnd, err));
        idtx_hex_encode(hex, rnd, sizeof rnd);
        IDTX_TRY(idt_guest__fmt(t->stage, sizeof t->stage, err, "the staging directory name",
                                ".%s" STAGE_TAG "%s", t->base, hex));
        if (mkdirat(t->parent_fd, t->stage, 0700) == 0) {
            t->staged = true;
            return IDT_OK;
        }
        if (errno != EEXIST)
            break;
    }
    return idtx_error_set(err, IDT_EIO, NULL, "cannot create a staging directory beside %s: %s",
                          t->path, strerror(errno));
}

static int write_file(int dirfd, const file_spec *f, const target *t,
                      const idt_guest_install_options *o, idt_error *err)
{
    const char *p = f->data;
    size_t left = f->len;
    int fd = openat(dirfd, f->name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                    FILE_MODE);
    if (fd < 0)
        return idtx_error_set(err, IDT_EIO, NULL, "cannot create %s/%s: %s", t->stage, f->name,
                              strerror(errno));
    int rc = fchmod(fd, FILE_MODE) < 0 ? -1 : 0; /* the umask must not narrow it */
    if (rc == 0 && hook(o, IDT_GUEST_STEP_FILE_OPEN, f->name, err) < 0) {
        close(fd);
        return IDT_ERROR;
    }
    while (rc == 0 && left) {
        ssize_t w = write(fd, p, left < CHUNK ? left : CHUNK);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            rc = -1;
            break;
        }
        p += w;
        left -= (size_t)w;
        if (hook(o, IDT_GUEST_STEP_FILE_CHUNK, f->name, err) < 0) {
            close(fd);
            return IDT_ERROR;
        }
    }
    if (rc == 0)
        rc = fsync(fd);
    if (close(fd) < 0)
        rc = -1;
    if (rc < 0)
        return idtx_error_set(err, IDT_EIO, NULL, "cannot write %s/%s: %s", t->stage, f->name,
                              strerror(errno));
    return hook(o, IDT_GUEST_STEP_FILE_DONE, f->name, err);
}

static int fill_stage(target *t, const file_list *files, const idt_guest_install_options *o,
                      idt_error *err)
{
    int fd = openat(t->parent_fd, t->stage, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int rc = IDT_OK;
    if (fd < 0)
        return idtx_error_set(err, IDT_EIO, NULL, "cannot open %s: %s", t->stage,
                              strerror(errno));
    rc = hook(o, IDT_GUEST_STEP_STAGE_DIR, NULL, err);
    for (size_t i = 0; rc >= 0 && i < files->count; i++)
        rc = write_file(fd, &files->items[i], t, o, err);
    if (rc >= 0 && (fchmod(fd, DIR_MODE) < 0 || fsync(fd) < 0))
        rc = idtx_error_set(err, IDT_EIO, NULL, "cannot sync %s: %s", t->stage,
                            strerror(errno));
    close(fd);
    if (rc >= 0)
        rc = hook(o, IDT_GUEST_STEP_STAGED, NULL, err);
    return rc;
}

/* --- the swap -------------------------------------------------------------------- */

/* For filesystems without RENAME_EXCHANGE: move the old install aside,
 * then the new one in.  The target is briefly absent, never half-written. */
static int swap_two_steps(target *t, idt_guest_notes *notes, idt_error *err)
{
    char aside[NAME_MAX_BYTES + 1];
    uint8_t rnd[6];
    char hex[13];
    IDTX_TRY(idt_guest__random(rnd, sizeof rnd, err));
    idtx_hex_encode(hex, rnd, sizeof rnd);
    IDTX_TRY(idt_guest__fmt(aside, sizeof aside, err, "a staging name", ".%s" STAGE_TAG "%s",
                            t->base, hex));
    if (renameat(t->parent_fd, t->base, t->parent_fd, aside) < 0)
        return idtx_error_set(err, IDT_EIO, NULL, "cannot move %s aside: %s", t->path,
                              strerror(errno));
    if (renameat(t->parent_fd, t->stage, t->parent_fd, t->base) < 0) {
        int e = errno;
        renameat(t->parent_fd, aside, t->parent_fd, t->base);
        return idtx_error_set(err, IDT_EIO, NULL, "cannot rename the staged install to %s: %s",
                              t->path, strerror(e));
    }
    idt_guest__note(notes, "the filesystem of %s cannot exchange two directories in one "
                    "rename; the old install was moved aside first", t->path);
    /* What is left under a staging name is now the old install. */
    memcpy(t->stage, aside, sizeof aside);
    return IDT_OK;
}

static int swap_in(target *t, idt_guest_notes *notes, idt_error *err)
{
    for (int attempt = 0; attempt < 4; attempt++) {
        if (!t->existed) {
            if (renameat2(t->parent_fd, t->stage, t->parent_fd, t->base, RENAME_NOREPLACE) == 0) {
                t->staged = false;
                return IDT_OK;
            }
            if (errno != EEXIST)
                break;
        } else {
            if (renameat2(t->parent_fd, t->stage, t->parent_fd, t->base, RENAME_EXCHANGE) == 0)
                return IDT_OK; /* the old install now sits under the staging name */
            if (errno == EINVAL || errno == ENOSYS)
                return swap_two_steps(t, notes, err);
            if (errno != ENOENT)
                break;
        }
        /* The target appeared or vanished since we looked: look again. */
        IDTX_TRY(check_target(t, err));
    }
    return idtx_error_set(err, IDT_EIO, NULL, "cannot rename the staged install to %s: %s",
                          t->path, strerror(errno));
}

/* Stages files and swaps them in at the target of o. */
static int install_files(const file_list *files, const idt_guest_install_options *o,
                         idt_guest_notes *notes, idt_error *err)
{
    char def[IDT_GUEST_PATH_MAX];
    target t;
    int rc;

    memset(&t, 0, sizeof t);
    t.parent_fd = -1;
    t.path = o->out;
    if (!t.path) {
        IDTX_TRY(idt_guest_default_out(def, sizeof def, o->layout, o->root, err));
        t.path = def;
    }
    IDTX_TRY(open_parent(&t, err));
    /* Two installs into one place take turns; the lock also makes the
     * stale-directory sweep safe. */
    while ((rc = flock(t.parent_fd, LOCK_EX)) < 0 && errno == EINTR)
        ;
    if (rc < 0)
        rc = idtx_error_set(err, IDT_EIO, NULL, "cannot lock the parent of %s: %s", t.path,
                            strerror(errno));
    if (rc >= 0)
        rc = check_target(&t, err);
    if (rc >= 0) {
        remove_stale(&t, notes);
        rc = make_stage(&t, err);
    }
    if (rc >= 0)
        rc = fill_stage(&t, files, o, err);
    if (rc >= 0)
        rc = swap_in(&t, notes, err);
    if (rc >= 0) {
        if (o->hook)
            o->hook(o->hook_ctx, IDT_GUEST_STEP_SWAPPED, NULL);
        if (fsync(t.parent_fd) < 0)
            idt_guest__note(notes, "cannot sync the parent of %s: %s", t.path, strerror(errno));
    }
    if (t.staged && remove_tree(t.parent_fd, t.stage, 0) < 0)
        idt_guest__note(notes, "cannot remove %s beside %s: %s", t.stage, t.path,
                        strerror(errno));
    if (rc >= 0 && o->hook)
        o->hook(o->hook_ctx, IDT_GUEST_STEP_OLD_REMOVED, NULL);
    close(t.parent_fd); /* releases the lock */
    return rc;
}

/* --- what to install -------------------------------------------------------------- */

static int list_init(file_list *l, size_t cap, idt_error *err)
{
    l->count = 0;
    l->cap = cap;
    l->items = calloc(cap ? cap : 1, sizeof *l->items);
    if (!l->items)
        return idtx_error_set(err, IDT_ENOMEM, NULL, "out of memory");
    return IDT_OK;
}

static void list_add(file_list *l, const char *name, const char *data, size_t len)
{
    if (l->count < l->cap)
        l->items[l->count++] = (file_spec){ name, data, len };
}

static bool is_known(const idt_doc_entry *e)
{
    for (size_t k = 0; k < KNOWN_COUNT; k++)
        if (e->name_len == strlen(known_entries[k]) &&
            !memcmp(e->name, known_entries[k], e->name_len))
            return true;
    return false;
}

/* An entry that is not one of the known three. */
static int add_other(file_list *l, const idt_doc_entry *e, const char *reserved, bool all,
                     idt_guest_notes *notes, idt_error *err)
{
    char q[IDTX_QUOTE_MAX];
    const char *why = idt_guest_name_check(e->name, e->name_len);
    idtx_quote(q, e->name, e->name_len);
    if (!all && why) {
        idt_guest__note(notes, "data entry %s is not installed: only aa.toml, cdh.toml and "
                        "policy.rego are, and its name %s, which an install of all entries "
                        "refuses", q, why);
        return IDT_OK;
    }
    if (!all) {
        idt_guest__note_hint(notes, IDT_HINT_GUEST_ALL_ENTRIES, "data entry %s is not "
                             "installed: by default only aa.toml, cdh.toml and policy.rego "
                             "are", q);
        return IDT_OK;
    }
    if (why)
        return idtx_error_set(err, IDT_ESCHEMA, &e->name_span, "data entry %s cannot be "
                              "installed: the name %s, and only a plain file name is safe; "
                              "nothing was installed", q, why);
    if (e->name_len == strlen(reserved) && !memcmp(e->name, reserved, e->name_len))
        return idtx_error_set(err, IDT_ESCHEMA, &e->name_span, "data entry %s clashes with the "
                              "file this layout writes under that name; nothing was installed",
                              q);
    list_add(l, e->name, e->content, e->content_len);
    return IDT_OK;
}

int idt_guest_install(const idt_doc *doc, const idt_guest_install_options *o,
                      idt_guest_notes *notes, idt_error *err)
{
    idt_guest_install_options defaults = IDT_GUEST_INSTALL_OPTIONS_INIT;
    bool kata;
    char hex[2 * IDT_DIGEST_MAX + 1];
    size_t n, doc_len = 0;
    file_list files;
    int rc = IDT_OK;

    if (!doc)
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_guest_install: NULL document");
    if (!o)
        o = &defaults;
    if (o->version != IDT_GUEST_INSTALL_OPTIONS_VERSION ||
        (o->layout != IDT_GUEST_LAYOUT_KATA && o->layout != IDT_GUEST_LAYOUT_PEERPOD))
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_guest_install: bad options");
    kata = o->layout == IDT_GUEST_LAYOUT_KATA;
    n = idt_doc_entry_count(doc);
    IDTX_TRY(list_init(&files, n + 1, err));
    if (kata) {
        const char *bytes = idt_doc_bytes(doc, &doc_len);
        list_add(&files, "initdata.toml", bytes, doc_len);
    } else {
        idt_digest d;
        rc = idt_doc_digest(&d, doc, err);
        if (rc >= 0) {
            idtx_hex_encode(hex, d.bytes, d.len);
            list_add(&files, "initdata.digest", hex, 2 * d.len);
        }
    }
    for (size_t i = 0; rc >= 0 && i < n; i++) {
        const idt_doc_entry *e = idt_doc_entry_at(doc, i);
        if (is_known(e))
            list_add(&files, e->name, e->content, e->content_len);
        else
            rc = add_other(&files, e, kata ? "initdata.toml" : "initdata.digest",
                           o->all_entries, notes, err);
    }
    if (rc >= 0)
        rc = install_files(&files, o, notes, err);
    free(files.items);
    return rc;
}

/* --- the deny-all policy ------------------------------------------------------------ */

/* Every request of the Kata agent's API that a policy can allow. */
static const char *const agent_requests[] = {
    "AddARPNeighborsRequest", "CloseStdinRequest", "CopyFileRequest",
    "CreateContainerRequest", "CreateSandboxRequest", "DestroySandboxRequest",
    "ExecProcessRequest", "GetDiagnosticDataRequest", "GetMetricsRequest",
    "GetOOMEventRequest", "GuestDetailsRequest", "ListInterfacesRequest",
    "ListRoutesRequest", "MemHotplugByProbeRequest", "OnlineCPUMemRequest",
    "PauseContainerRequest", "PullImageRequest", "ReadStreamRequest",
    "RemoveContainerRequest", "RemoveStaleVirtiofsShareMountsRequest",
    "ReseedRandomDevRequest", "ResumeContainerRequest", "SetGuestDateTimeRequest",
    "SetPolicyRequest", "SignalProcessRequest", "StartContainerRequest",
    "StartTracingRequest", "StatsContainerRequest", "StopTracingRequest",
    "TtyWinResizeRequest", "UpdateContainerRequest", "UpdateEphemeralMountsRequest",
    "UpdateInterfaceRequest", "UpdateRoutesRequest", "WaitProcessRequest",
    "WriteStreamRequest",
};

static const char deny_head[] =
    "# Deny-all Kata agent policy, installed because the Init-Data could not be\n"
    "# verified and installed.  Every request of the agent is refused.  The error:\n";

/* Appends reason[0..len) as comment lines: "#   " per line, bytes outside
 * printable ASCII as \xNN (Rego sources must be UTF-8; control bytes must
 * not end the comment). */
static int put_reason(idtx_buf *b, const char *reason, size_t len, idt_error *err)
{
    bool line_start = true;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)reason[i];
        if (line_start) {
            IDTX_TRY(idtx_buf_put(b, "#   ", 4, err));
            line_start = false;
        }
        if (c == '\n') {
            IDTX_TRY(idtx_buf_putc(b, '\n', err));
            line_start = true;
        } else if (c >= 0x20 && c < 0x7f) {
            IDTX_TRY(idtx_buf_putc(b, (char)c, err));
        } else {
            IDTX_TRY(idtx_buf_printf(b, err, "\\x%02x", c));
        }
    }
    return line_start ? IDT_OK : idtx_buf_putc(b, '\n', err);
}

static int deny_text(idtx_buf *b, const char *reason, size_t rlen, idt_error *err)
{
    IDTX_TRY(idtx_buf_put(b, deny_head, sizeof deny_head - 1, err));
    IDTX_TRY(put_reason(b, reason, rlen, err));
    IDTX_TRY(idtx_buf_puts(b, "\npackage agent_policy\n\n"
                              "default AllowRequestsFailingPolicy := false\n", err));
    for (size_t i = 0; i < sizeof agent_requests / sizeof agent_requests[0]; i++)
        IDTX_TRY(idtx_buf_printf(b, err, "default %s := false\n", agent_requests[i]));
    return IDT_OK;
}

int idt_guest_deny_policy(char **out, size_t *len, const char *reason, idt_error *err)
{
    if (!out || !len)
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_guest_deny_policy: NULL argument");
    *out = NULL;
    *len = 0;
    if (!reason || !*reason)
        reason = "(no message)";
    size_t rlen = strnlen(reason, 65536);
    /* Worst case: every byte escaped (4) and every line prefixed (4); each
     * request's line is under 64 bytes. */
    idtx_buf b;
    idtx_buf_init(&b, sizeof deny_head + 8 * rlen + 64 + 256 +
                          (sizeof agent_requests / sizeof agent_requests[0]) * 64,
                  "the deny-all policy");
    int rc = deny_text(&b, reason, rlen, err);
    if (rc == IDT_OK)
        rc = idtx_buf_take(&b, out, len, err);
    idtx_buf_dispose(&b);
    return rc;
}

int idt_guest_install_deny(const char *reason, const idt_guest_install_options *o,
                           idt_guest_notes *notes, idt_error *err)
{
    idt_guest_install_options defaults = IDT_GUEST_INSTALL_OPTIONS_INIT;
    file_list files;
    char *text = NULL;
    size_t len = 0;
    if (!o)
        o = &defaults;
    if (o->version != IDT_GUEST_INSTALL_OPTIONS_VERSION)
        return idtx_error_set(err, IDT_EINVAL, NULL, "idt_guest_install_deny: bad options");
    IDTX_TRY(idt_guest_deny_policy(&text, &len, reason, err));
    int rc = list_init(&files, 1, err);
    if (rc >= 0) {
        list_add(&files, "policy.rego", text, len);
        rc = install_files(&files, o, notes, err);
        free(files.items);
    }
    free(text);
    return rc;
}
