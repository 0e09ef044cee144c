/* The webhook's log (webhook.h): JSON lines on stderr.  Each line goes out
 * in one write(2), under a lock in case a write is ever partial, so lines
 * written by the server's threads at the same time never interleave. */
#include "webhook.h"
#include "util/buf.h"
#include "util/json.h"

#include "util/fdio.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#define LOG_LINE_MAX 16384 /* 3 values of LOG_VALUE_MAX, each escaped at most 6 times over */

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void cli_webhook_log_line(const char *line, size_t len)
{
    idtx_buf b;
    idtx_buf_init(&b, len + 1 > len ? len + 1 : len, "the log line");
    if (idtx_buf_put(&b, line, len, NULL) < 0 || idtx_buf_putc(&b, '\n', NULL) < 0) {
        idtx_buf_dispose(&b);
        return;
    }
    pthread_mutex_lock(&log_lock);
    (void)idtx_write_all(STDERR_FILENO, b.data, b.len); /* nowhere to report a failure */
    pthread_mutex_unlock(&log_lock);
    idtx_buf_dispose(&b);
}

/* The longest value a line quotes (a path is the client's to choose), so
 * that a line always fits LOG_LINE_MAX whole. */
#define LOG_VALUE_MAX 512

/* Appends ,"key":"value" (value may be NULL: nothing). */
static void put_string(idtx_buf *b, const char *key, const char *value)
{
    if (!value)
        return;
    size_t n = strlen(value);
    idtx_buf_printf(b, NULL, ",\"%s\":", key);
    idtx_json_string(b, value, n > LOG_VALUE_MAX ? LOG_VALUE_MAX : n, true, NULL, NULL);
}

void cli_webhook_log_event(const char *event, const char *message)
{
    idtx_buf b;
    idtx_buf_init(&b, LOG_LINE_MAX, "the log line");
    idtx_buf_puts(&b, "{\"event\":", NULL);
    idtx_json_string(&b, event, strlen(event), true, NULL, NULL);
    put_string(&b, "message", message);
    if (idtx_buf_putc(&b, '}', NULL) == IDT_OK)
        cli_webhook_log_line(b.data, b.len);
    idtx_buf_dispose(&b);
}

void cli_webhook_log_rejected(unsigned status, const char *method, const char *path,
                              const char *message)
{
    idtx_buf b;
    idtx_buf_init(&b, LOG_LINE_MAX, "the log line");
    idtx_buf_printf(&b, NULL, "{\"event\":\"rejected\",\"status\":%u", status);
    put_string(&b, "method", method);
    put_string(&b, "path", path);
    put_string(&b, "message", message);
    if (idtx_buf_putc(&b, '}', NULL) == IDT_OK)
        cli_webhook_log_line(b.data, b.len);
    idtx_buf_dispose(&b);
}
