/* Unit tests of lib/util/buf.h, the one bounded growable buffer: the limit
 * at and one past max, the message of a refusal, growth through printf,
 * in-place writes, take of an empty buffer, and the size arithmetic with a
 * max near SIZE_MAX (refused before anything is allocated). */
#include "idt_unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

/* Every failed call must leave the contents as they were. */
static void assert_contents(const idtx_buf *b, const char *want, size_t n)
{
    assert_int_equal(b->len, n);
    assert_non_null(b->data);
    assert_memory_equal(b->data, want, n);
    assert_int_equal(b->data[n], '\0');
}

static void test_buf__limit_exactly_at_max(void **state)
{
    (void)state;
    idtx_buf b;
    idt_error err;
    idt_error_clear(&err);
    idtx_buf_init(&b, 8, "the test output");
    assert_status(idtx_buf_puts(&b, "abcd", &err), IDT_OK, &err);
    assert_status(idtx_buf_put(&b, "efgh", 4, &err), IDT_OK, &err);
    assert_contents(&b, "abcdefgh", 8);
    assert_int_equal(err.code, IDT_OK);
    /* Full: an empty put still succeeds, one more byte does not. */
    assert_status(idtx_buf_put(&b, "", 0, NULL), IDT_OK, NULL);
    assert_status(idtx_buf_putc(&b, 'i', NULL), IDT_ELIMIT, NULL);
    assert_contents(&b, "abcdefgh", 8);
    idtx_buf_dispose(&b);
}

static void test_buf__one_past_max_is_elimit(void **state)
{
    (void)state;
    idtx_buf b;
    idt_error err;
    idt_error_clear(&err);
    idtx_buf_init(&b, 8, "the test output");
    assert_status(idtx_buf_puts(&b, "abcdefg", &err), IDT_OK, &err);
    assert_status(idtx_buf_puts(&b, "hi", &err), IDT_ELIMIT, &err);
    assert_int_equal(err.code, IDT_ELIMIT);
    assert_string_equal(err.message, "the test output would be larger than the limit of 8 bytes");
    assert_contents(&b, "abcdefg", 7);
    /* Each way in is refused the same way, and changes nothing. */
    assert_status(idtx_buf_fill(&b, 'x', 2, NULL), IDT_ELIMIT, NULL);
    assert_int_equal(idtx_buf_printf(&b, NULL, "%d", 42), IDT_ELIMIT);
    assert_status(idtx_buf_reserve(&b, 2, NULL), IDT_ELIMIT, NULL);
    assert_contents(&b, "abcdefg", 7);
    assert_status(idtx_buf_putc(&b, 'h', NULL), IDT_OK, NULL);
    assert_status(idtx_buf_putc(&b, 'i', NULL), IDT_ELIMIT, NULL);
    assert_contents(&b, "abcdefgh", 8);
    idtx_buf_dispose(&b);

    /* Without a name the message still says what it is. */
    idtx_buf_init(&b, 0, NULL);
    assert_status(idtx_buf_putc(&b, 'a', &err), IDT_ELIMIT, &err);
    assert_string_equal(err.message, "the output would be larger than the limit of 0 bytes");
    assert_null(b.data);
    idtx_buf_dispose(&b);
}

static void test_buf__printf_grows(void **state)
{
    (void)state;
    idtx_buf b;
    idtx_buf_init(&b, 1 << 20, "the test output");
    /* Past the first allocation (256 bytes) several times over. */
    char want[4000];
    size_t n = 0;
    for (int i = 0; i < 500; i++) {
        assert_int_equal(idtx_buf_printf(&b, NULL, "%d,", i), IDT_OK);
        n += (size_t)snprintf(want + n, sizeof want - n, "%d,", i);
    }
    assert_contents(&b, want, n);
    assert_true(b.cap > n);
    /* One piece bigger than twice the allocation goes straight to its size. */
    char big[10000];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(idtx_buf_printf(&b, NULL, "%s", big), IDT_OK);
    assert_int_equal(b.len, n + sizeof big - 1);
    assert_int_equal(b.data[b.len], '\0');
    assert_int_equal(b.data[n], 'z');
    /* A printf that does not fit is refused before it is written. */
    idtx_buf_dispose(&b);
    idtx_buf_init(&b, 5, "the test output");
    assert_int_equal(idtx_buf_printf(&b, NULL, "%s", "abc"), IDT_OK);
    assert_int_equal(idtx_buf_printf(&b, NULL, "%d", 123), IDT_ELIMIT);
    assert_contents(&b, "abc", 3);
    assert_int_equal(idtx_buf_printf(&b, NULL, "%d", 12), IDT_OK);
    assert_contents(&b, "abc12", 5);
    idtx_buf_dispose(&b);
}

static void test_buf__take(void **state)
{
    (void)state;
    idtx_buf b;
    char *out = NULL;
    size_t len = 99;

    /* An empty buffer gives an allocated "". */
    idtx_buf_init(&b, 16, "the test output");
    assert_status(idtx_buf_take(&b, &out, &len, NULL), IDT_OK, NULL);
    assert_non_null(out);
    assert_string_equal(out, "");
    assert_int_equal(len, 0);
    free(out);

    /* So does one that was only reserved. */
    assert_status(idtx_buf_reserve(&b, 10, NULL), IDT_OK, NULL);
    assert_status(idtx_buf_take(&b, &out, NULL, NULL), IDT_OK, NULL);
    assert_string_equal(out, "");
    free(out);

    /* Take hands the contents over, NUL bytes and all, and empties b. */
    assert_status(idtx_buf_put(&b, "a\0b", 3, NULL), IDT_OK, NULL);
    assert_status(idtx_buf_take(&b, &out, &len, NULL), IDT_OK, NULL);
    assert_int_equal(len, 3);
    assert_memory_equal(out, "a\0b", 4);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    free(out);

    /* The limit stays: b is ready for more. */
    assert_status(idtx_buf_fill(&b, 'q', 17, NULL), IDT_ELIMIT, NULL);
    assert_status(idtx_buf_fill(&b, 'q', 16, NULL), IDT_OK, NULL);
    idtx_buf_dispose(&b);
    idtx_buf_dispose(&b); /* twice is harmless */
}

static void test_buf__fill(void **state)
{
    (void)state;
    idtx_buf b;
    idtx_buf_init(&b, 1000, "the test output");
    assert_status(idtx_buf_fill(&b, ' ', 0, NULL), IDT_OK, NULL);
    assert_int_equal(b.len, 0);
    assert_status(idtx_buf_putc(&b, '[', NULL), IDT_OK, NULL);
    assert_status(idtx_buf_fill(&b, '-', 600, NULL), IDT_OK, NULL);
    assert_status(idtx_buf_putc(&b, ']', NULL), IDT_OK, NULL);
    assert_int_equal(b.len, 602);
    assert_int_equal(b.data[0], '[');
    for (size_t i = 1; i <= 600; i++)
        assert_int_equal(b.data[i], '-');
    assert_int_equal(b.data[601], ']');
    assert_int_equal(b.data[602], '\0');
    assert_status(idtx_buf_fill(&b, '-', 399, NULL), IDT_ELIMIT, NULL);
    assert_int_equal(b.len, 602);
    idtx_buf_dispose(&b);
}

/* With max near SIZE_MAX, len + n + 1 would wrap: every such request must
 * be refused as over the limit, never allocated small and overrun. */
static void test_buf__overflow_guard(void **state)
{
    (void)state;
    idtx_buf b;
    idt_error err;
    idt_error_clear(&err);
    idtx_buf_init(&b, SIZE_MAX, "the test output");
    assert_true(b.max <= SIZE_MAX - 2); /* len + NUL always fits a size_t */
    assert_status(idtx_buf_puts(&b, "abc", NULL), IDT_OK, NULL);
    assert_status(idtx_buf_reserve(&b, SIZE_MAX, &err), IDT_ELIMIT, &err);
    assert_status(idtx_buf_reserve(&b, SIZE_MAX - 1, NULL), IDT_ELIMIT, NULL);
    assert_status(idtx_buf_reserve(&b, SIZE_MAX - 3, NULL), IDT_ELIMIT, NULL);
    assert_status(idtx_buf_fill(&b, 'x', SIZE_MAX - 2, NULL), IDT_ELIMIT, NULL);
    assert_status(idtx_buf_put(&b, "x", SIZE_MAX, NULL), IDT_ELIMIT, NULL);
    assert_int_equal(err.code, IDT_ELIMIT);
    assert_contents(&b, "abc", 3);
    idtx_buf_dispose(&b);

    idtx_buf_init(&b, SIZE_MAX - 1, NULL);
    assert_int_equal(b.max, SIZE_MAX - 2);
    idtx_buf_dispose(&b);
    idtx_buf_init(&b, SIZE_MAX - 2, NULL);
    assert_int_equal(b.max, SIZE_MAX - 2);
    idtx_buf_dispose(&b);
}

/* A producer writing in place (read(2), an inflater): room, then commit. */
static void test_buf__room_and_commit(void **state)
{
    (void)state;
    idtx_buf b;
    idtx_buf_init(&b, 300, "the test output");
    assert_int_equal(idtx_buf_room(&b), 0);
    assert_status(idtx_buf_reserve(&b, 10, NULL), IDT_OK, NULL);
    size_t room = idtx_buf_room(&b);
    assert_true(room >= 10);
    assert_int_equal(b.data[0], '\0');
    memcpy(b.data, "hello", 5);
    idtx_buf_commit(&b, 5);
    assert_contents(&b, "hello", 5);
    assert_int_equal(idtx_buf_room(&b), room - 5);
    /* The room never reaches past max, whatever the allocation policy. */
    assert_status(idtx_buf_reserve(&b, 295, NULL), IDT_OK, NULL);
    assert_int_equal(idtx_buf_room(&b), 295);
    memset(b.data + b.len, 'w', 295);
    idtx_buf_commit(&b, 295);
    assert_int_equal(b.len, 300);
    assert_int_equal(idtx_buf_room(&b), 0);
    assert_int_equal(b.data[300], '\0');
    /* A commit past the room is clamped to it. */
    idtx_buf_commit(&b, 7);
    assert_int_equal(b.len, 300);
    idtx_buf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf__limit_exactly_at_max),
        cmocka_unit_test(test_buf__one_past_max_is_elimit),
        cmocka_unit_test(test_buf__printf_grows),
        cmocka_unit_test(test_buf__take),
        cmocka_unit_test(test_buf__fill),
        cmocka_unit_test(test_buf__overflow_guard),
        cmocka_unit_test(test_buf__room_and_commit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
