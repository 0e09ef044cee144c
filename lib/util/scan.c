/* Wide scanners (scan.h): SSE2 or NEON when the build allows them
 * (IDT_SIMD), with portable SWAR code for the tails and for the build
 * without them. */
#include "util/scan.h"

#include <string.h>

#if defined(IDT_SIMD) && (defined(__SSE2__) || defined(_M_X64))
#include <emmintrin.h>
#define SCAN_SSE2 1
#elif defined(IDT_SIMD) && (defined(__ARM_NEON) || defined(__aarch64__))
#include <arm_neon.h>
#define SCAN_NEON 1
#endif

const char *idtx_scan_impl(void)
{
#if defined(SCAN_SSE2)
    return "sse2";
#elif defined(SCAN_NEON)
    return "neon";
#else
    return "portable";
#endif
}

/* ---- text: portable ------------------------------------------------------- */

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* Flags the high bit of each byte of w that is a control character, DEL
 * or above, s1 or s2 (broadcast in s1s, s2s).  The lowest flag is exact;
 * higher ones may be spurious (a borrow), so only the lowest is used. */
static inline uint64_t special_bytes(uint64_t w, uint64_t s1s, uint64_t s2s)
{
    uint64_t ctl = (w - ONES * 0x20) & ~w; /* bytes below 0x20 */
    uint64_t high = (w + ONES) | w;        /* 0x7f and above */
    uint64_t x1 = w ^ s1s, x2 = w ^ s2s;
    uint64_t eq = ((x1 - ONES) & ~x1) | ((x2 - ONES) & ~x2);
    return (ctl | high | eq) & HIGHS;
}

/* Whether byte c stops the scan; a tab never does, an LF does unless lf. */
static inline int stops(unsigned char c, unsigned char s1, unsigned char s2, int lf)
{
    if (c == '\t' || (c == '\n' && lf))
        return 0;
    return c < 0x20 || c >= 0x7f || c == s1 || c == s2;
}

size_t idtx_scan_text_portable(const char *s, size_t i, size_t n, unsigned char stop1,
                               unsigned char stop2, unsigned flags, uint32_t *lines,
                               size_t *line_start)
{
    const unsigned char *u = (const unsigned char *)s;
    int lf = (flags & IDTX_SCAN_LF) != 0;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t s1s = ONES * stop1, s2s = ONES * stop2;
    while (n - i >= 8) {
        uint64_t w;
        memcpy(&w, u + i, 8);
        uint64_t m = special_bytes(w, s1s, s2s);
        if (!m) {
            i += 8;
            continue;
        }
        i += (size_t)__builtin_ctzll(m) / 8;
        /* A tab, or a counted LF, is flagged as a control character:
         * step over it and go on. */
        if (u[i] == '\t') {
            i++;
        } else if (u[i] == '\n' && lf) {
            ++*lines;
            *line_start = ++i;
        } else if (stops(u[i], stop1, stop2, lf)) {
            return i;
        } else {
            i++; /* a spurious flag */
        }
    }
#endif
    for (; i < n; i++) {
        unsigned char c = u[i];
        if (c == '\n' && lf) {
            ++*lines;
            *line_start = i + 1;
        } else if (stops(c, stop1, stop2, lf)) {
            return i;
        }
    }
    return n;
}

/* ---- text: vectors -------------------------------------------------------- */

#if defined(SCAN_SSE2)
/* The bits set in a 16-bit mask.  Not __builtin_popcount: without POPCNT
 * (not in the x86-64 baseline) that is a library call in the loop. */
static inline unsigned popcount16(unsigned x)
{
    x = x - ((x >> 1) & 0x5555u);
    x = (x & 0x3333u) + ((x >> 2) & 0x3333u);
    x = (x + (x >> 4)) & 0x0f0fu;
    return (x + (x >> 8)) & 0x1fu;
}

/* The sum of the byte lanes of v (each at most 255). */
static inline uint32_t sum_bytes(__m128i v)
{
    __m128i s = _mm_sad_epu8(v, _mm_setzero_si128());
    return (uint32_t)_mm_cvtsi128_si32(s) + (uint32_t)_mm_extract_epi16(s, 4);
}

/* After LFs were counted in s[from..to): the offset just after the last
 * one, found backwards (a line is short next to the run). */
static inline size_t after_last_lf(const char *s, size_t from, size_t to)
{
    while (to > from && s[to - 1] != '\n')
        to--;
    return to;
}

size_t idtx_scan_text(const char *s, size_t i, size_t n, unsigned char stop1,
                      unsigned char stop2, unsigned flags, uint32_t *lines, size_t *line_start)
{
    const __m128i below = _mm_set1_epi8(0x20), tab = _mm_set1_epi8('\t');
    const __m128i nl = _mm_set1_epi8('\n'), del = _mm_set1_epi8(0x7f);
    const __m128i s1 = _mm_set1_epi8((char)stop1), s2 = _mm_set1_epi8((char)stop2);
    if (!(flags & IDTX_SCAN_LF)) {
        while (n - i >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            /* Signed: 0x00-0x1f and 0x80-0xff are both "below 0x20". */
            __m128i ctl = _mm_andnot_si128(_mm_cmpeq_epi8(v, tab), _mm_cmplt_epi8(v, below));
            __m128i sp = _mm_or_si128(ctl, _mm_cmpeq_epi8(v, del));
            sp = _mm_or_si128(sp, _mm_or_si128(_mm_cmpeq_epi8(v, s1), _mm_cmpeq_epi8(v, s2)));
            unsigned m = (unsigned)_mm_movemask_epi8(sp);
            if (m)
                return i + (size_t)__builtin_ctz(m);
            i += 16;
        }
        return idtx_scan_text_portable(s, i, n, stop1, stop2, flags, lines, line_start);
    }
    /* LFs are counted in byte lanes (0 - (-1) per LF), summed every 255
     * blocks and at the end; where the last one was is found backwards
     * once, at the end, not per block. */
    const size_t from = i;
    __m128i acc = _mm_setzero_si128();
    uint32_t counted = 0;
    unsigned blocks = 0;
    while (n - i >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i isnl = _mm_cmpeq_epi8(v, nl);
        __m128i ok = _mm_or_si128(_mm_cmpeq_epi8(v, tab), isnl);
        __m128i sp = _mm_or_si128(_mm_andnot_si128(ok, _mm_cmplt_epi8(v, below)),
                                  _mm_cmpeq_epi8(v, del));
        sp = _mm_or_si128(sp, _mm_or_si128(_mm_cmpeq_epi8(v, s1), _mm_cmpeq_epi8(v, s2)));
        unsigned m = (unsigned)_mm_movemask_epi8(sp);
        if (m) {
            unsigned k = (unsigned)__builtin_ctz(m);
            unsigned l = (unsigned)_mm_movemask_epi8(isnl) & ((1u << k) - 1);
            counted += sum_bytes(acc) + popcount16(l);
            i += k;
            if (counted) {
                *lines += counted;
                *line_start = after_last_lf(s, from, i);
            }
            return i;
        }
        acc = _mm_sub_epi8(acc, isnl);
        if (++blocks == 255) {
            counted += sum_bytes(acc);
            acc = _mm_setzero_si128();
            blocks = 0;
        }
        i += 16;
    }
    counted += sum_bytes(acc);
    if (counted) {
        *lines += counted;
        *line_start = after_last_lf(s, from, i);
    }
    return idtx_scan_text_portable(s, i, n, stop1, stop2, flags, lines, line_start);
}
#elif defined(SCAN_NEON)
/* Four bits per byte: NEON has no movemask; narrowing by 4 is the usual
 * substitute. */
static inline uint64_t neon_mask(uint8x16_t v)
{
    return vget_lane_u64(vreinterpret_u64_u8(vshrn_n_u16(vreinterpretq_u16_u8(v), 4)), 0);
}

size_t idtx_scan_text(const char *s, size_t i, size_t n, unsigned char stop1,
                      unsigned char stop2, unsigned flags, uint32_t *lines, size_t *line_start)
{
    const uint8x16_t below = vdupq_n_u8(0x20), tab = vdupq_n_u8('\t');
    const uint8x16_t nl = vdupq_n_u8('\n'), del = vdupq_n_u8(0x7f);
    const uint8x16_t s1 = vdupq_n_u8(stop1), s2 = vdupq_n_u8(stop2);
    int lf = (flags & IDTX_SCAN_LF) != 0;
    while (n - i >= 16) {
        uint8x16_t v = vld1q_u8((const uint8_t *)s + i);
        uint8x16_t ctl = vcltq_u8(v, below);
        uint8x16_t isnl = vceqq_u8(v, nl);
        uint8x16_t ok = vceqq_u8(v, tab);
        if (lf)
            ok = vorrq_u8(ok, isnl);
        uint8x16_t sp = vorrq_u8(vbicq_u8(ctl, ok), vcgeq_u8(v, del));
        sp = vorrq_u8(sp, vorrq_u8(vceqq_u8(v, s1), vceqq_u8(v, s2)));
        uint64_t m = neon_mask(sp);
        if (lf) {
            uint64_t l = neon_mask(isnl);
            if (m)
                l &= (UINT64_C(1) << __builtin_ctzll(m)) - 1;
            if (l) {
                *lines += (uint32_t)(__builtin_popcountll(l) / 4);
                *line_start = i + (size_t)((63 - __builtin_clzll(l)) / 4) + 1;
            }
        }
        if (m)
            return i + (size_t)__builtin_ctzll(m) / 4;
        i += 16;
    }
    return idtx_scan_text_portable(s, i, n, stop1, stop2, flags, lines, line_start);
}
#else
size_t idtx_scan_text(const char *s, size_t i, size_t n, unsigned char stop1,
                      unsigned char stop2, unsigned flags, uint32_t *lines, size_t *line_start)
{
    return idtx_scan_text_portable(s, i, n, stop1, stop2, flags, lines, line_start);
}
#endif

/* ---- ASCII without NUL ---------------------------------------------------- */

size_t idtx_scan_ascii_portable(const char *s, size_t i, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (n - i >= 8) {
        uint64_t w;
        memcpy(&w, u + i, 8);
        uint64_t m = (((w - ONES) & ~w) | w) & HIGHS; /* lowest flag exact */
        if (m)
            return i + (size_t)__builtin_ctzll(m) / 8;
        i += 8;
    }
#endif
    for (; i < n; i++)
        if (u[i] == 0 || u[i] >= 0x80)
            return i;
    return n;
}

#if defined(SCAN_SSE2)
size_t idtx_scan_ascii(const char *s, size_t i, size_t n)
{
    const __m128i zero = _mm_setzero_si128();
    while (n - i >= 32) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 16));
        /* movemask takes the high bits; NUL bytes by comparison. */
        __m128i z = _mm_or_si128(_mm_cmpeq_epi8(a, zero), _mm_cmpeq_epi8(b, zero));
        if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b), z)))
            break; /* the portable code finds which byte */
        i += 32;
    }
    return idtx_scan_ascii_portable(s, i, n);
}
#elif defined(SCAN_NEON)
size_t idtx_scan_ascii(const char *s, size_t i, size_t n)
{
    while (n - i >= 32) {
        uint8x16_t a = vld1q_u8((const uint8_t *)s + i);
        uint8x16_t b = vld1q_u8((const uint8_t *)s + i + 16);
        /* Every byte in 1..0x7f: the minimum is not 0, the maximum below 0x80. */
        if (vminvq_u8(vminq_u8(a, b)) == 0 || vmaxvq_u8(vmaxq_u8(a, b)) >= 0x80)
            break;
        i += 32;
    }
    return idtx_scan_ascii_portable(s, i, n);
}
#else
size_t idtx_scan_ascii(const char *s, size_t i, size_t n)
{
    return idtx_scan_ascii_portable(s, i, n);
}
#endif

/* ---- base64: portable ----------------------------------------------------- */

/* The 6-bit value + 1 of every byte, 0 for bytes outside the alphabet,
 * built by the compiler so that it is constant. */
#define SYM1(c) (unsigned char)((c) >= 'A' && (c) <= 'Z' ? (c) - 'A' + 1                 \
                 : (c) >= 'a' && (c) <= 'z' ? (c) - 'a' + 27                     \
                 : (c) >= '0' && (c) <= '9' ? (c) - '0' + 53                     \
                 : (c) == '+'               ? 63                                 \
                 : (c) == '/'               ? 64                                 \
                                            : 0)
#define SYM1_4(c) SYM1(c), SYM1((c) + 1), SYM1((c) + 2), SYM1((c) + 3)
#define SYM1_16(c) SYM1_4(c), SYM1_4((c) + 4), SYM1_4((c) + 8), SYM1_4((c) + 12)
#define SYM1_64(c) SYM1_16(c), SYM1_16((c) + 16), SYM1_16((c) + 32), SYM1_16((c) + 48)
static const unsigned char symbol1[256] = { SYM1_64(0), SYM1_64(64), SYM1_64(128),
                                            SYM1_64(192) };

size_t idtx_base64_quanta_portable(unsigned char *dst, const char *src, size_t n)
{
    const unsigned char *u = (const unsigned char *)src;
    size_t at = 0, out = 0;
    while (n - at >= 4) {
        unsigned a = symbol1[u[at]], b = symbol1[u[at + 1]];
        unsigned c = symbol1[u[at + 2]], d = symbol1[u[at + 3]];
        if (!a || !b || !c || !d)
            break;
        uint32_t v = (uint32_t)(a - 1) << 18 | (uint32_t)(b - 1) << 12 |
                     (uint32_t)(c - 1) << 6 | (uint32_t)(d - 1);
        dst[out++] = (unsigned char)(v >> 16);
        dst[out++] = (unsigned char)(v >> 8);
        dst[out++] = (unsigned char)v;
        at += 4;
    }
    return at;
}

/* ---- base64: vectors ------------------------------------------------------ */

#if defined(SCAN_SSE2)
/* Writes the 24-bit value in each 32-bit lane of v as 3 bytes, big end
 * first: 12 bytes. */
static inline void put_lanes(unsigned char *dst, __m128i v)
{
    uint32_t w[4];
    _mm_storeu_si128((__m128i *)(void *)w, v);
    for (int k = 0; k < 4; k++) {
        dst[3 * k] = (unsigned char)(w[k] >> 16);
        dst[3 * k + 1] = (unsigned char)(w[k] >> 8);
        dst[3 * k + 2] = (unsigned char)w[k];
    }
}

/* 16 symbols to their 6-bit values with range compares (SSE2 has no byte
 * shuffle); *valid receives a 16-bit mask of the bytes in the alphabet. */
static inline __m128i sse2_values(__m128i v, unsigned *valid)
{
#define GT(x) _mm_cmpgt_epi8(v, _mm_set1_epi8((char)(x)))
#define LT(x) _mm_cmplt_epi8(v, _mm_set1_epi8((char)(x)))
#define EQ(x) _mm_cmpeq_epi8(v, _mm_set1_epi8((char)(x)))
    /* Signed compares: bytes of 0x80 and above are negative and fall in
     * no range. */
    __m128i upper = _mm_and_si128(GT('A' - 1), LT('Z' + 1));
    __m128i lower = _mm_and_si128(GT('a' - 1), LT('z' + 1));
    __m128i digit = _mm_and_si128(GT('0' - 1), LT('9' + 1));
    __m128i plus = EQ('+'), slash = EQ('/');
#undef GT
#undef LT
#undef EQ
    __m128i off = _mm_and_si128(upper, _mm_set1_epi8((char)-'A'));
    off = _mm_or_si128(off, _mm_and_si128(lower, _mm_set1_epi8((char)(26 - 'a'))));
    off = _mm_or_si128(off, _mm_and_si128(digit, _mm_set1_epi8((char)(52 - '0'))));
    off = _mm_or_si128(off, _mm_and_si128(plus, _mm_set1_epi8((char)(62 - '+'))));
    off = _mm_or_si128(off, _mm_and_si128(slash, _mm_set1_epi8((char)(63 - '/'))));
    __m128i ok = _mm_or_si128(_mm_or_si128(upper, lower), _mm_or_si128(digit,
                                                                       _mm_or_si128(plus, slash)));
    *valid = (unsigned)_mm_movemask_epi8(ok);
    return _mm_add_epi8(v, off);
}

size_t idtx_base64_quanta(unsigned char *dst, const char *src, size_t n)
{
    size_t at = 0, out = 0;
    while (n - at >= 16) {
        unsigned valid;
        __m128i v = sse2_values(_mm_loadu_si128((const __m128i *)(const void *)(src + at)),
                                &valid);
        if (valid != 0xffff)
            break;
        /* Pairs of 6-bit values into 12 bits (first symbol high), then
         * pairs of those into 24. */
        __m128i t = _mm_or_si128(_mm_slli_epi16(_mm_and_si128(v, _mm_set1_epi16(0x00ff)), 6),
                                 _mm_srli_epi16(v, 8));
        t = _mm_or_si128(_mm_slli_epi32(_mm_and_si128(t, _mm_set1_epi32(0x0000ffff)), 12),
                         _mm_srli_epi32(t, 16));
        put_lanes(dst + out, t);
        at += 16;
        out += 12;
    }
    return at + idtx_base64_quanta_portable(dst + out, src + at, n - at);
}
#elif defined(SCAN_NEON)
size_t idtx_base64_quanta(unsigned char *dst, const char *src, size_t n)
{
    size_t at = 0, out = 0;
    while (n - at >= 16) {
        uint8x16_t v = vld1q_u8((const uint8_t *)src + at);
        uint8x16_t upper = vandq_u8(vcgeq_u8(v, vdupq_n_u8('A')), vcleq_u8(v, vdupq_n_u8('Z')));
        uint8x16_t lower = vandq_u8(vcgeq_u8(v, vdupq_n_u8('a')), vcleq_u8(v, vdupq_n_u8('z')));
        uint8x16_t digit = vandq_u8(vcgeq_u8(v, vdupq_n_u8('0')), vcleq_u8(v, vdupq_n_u8('9')));
        uint8x16_t plus = vceqq_u8(v, vdupq_n_u8('+')), slash = vceqq_u8(v, vdupq_n_u8('/'));
        uint8x16_t ok = vorrq_u8(vorrq_u8(upper, lower), vorrq_u8(digit, vorrq_u8(plus, slash)));
        if (vminvq_u8(ok) != 0xff)
            break;
        uint8x16_t off = vandq_u8(upper, vdupq_n_u8((uint8_t)-'A'));
        off = vorrq_u8(off, vandq_u8(lower, vdupq_n_u8((uint8_t)(26 - 'a'))));
        off = vorrq_u8(off, vandq_u8(digit, vdupq_n_u8((uint8_t)(52 - '0'))));
        off = vorrq_u8(off, vandq_u8(plus, vdupq_n_u8((uint8_t)(62 - '+'))));
        off = vorrq_u8(off, vandq_u8(slash, vdupq_n_u8((uint8_t)(63 - '/'))));
        uint8_t b[16];
        vst1q_u8(b, vaddq_u8(v, off));
        for (int k = 0; k < 4; k++) {
            uint32_t w = (uint32_t)b[4 * k] << 18 | (uint32_t)b[4 * k + 1] << 12 |
                         (uint32_t)b[4 * k + 2] << 6 | b[4 * k + 3];
            dst[out + 3 * (size_t)k] = (unsigned char)(w >> 16);
            dst[out + 3 * (size_t)k + 1] = (unsigned char)(w >> 8);
            dst[out + 3 * (size_t)k + 2] = (unsigned char)w;
        }
        at += 16;
        out += 12;
    }
    return at + idtx_base64_quanta_portable(dst + out, src + at, n - at);
}
#else
size_t idtx_base64_quanta(unsigned char *dst, const char *src, size_t n)
{
    return idtx_base64_quanta_portable(dst, src, n);
}
#endif
