// Byte searches the tracer runs over every long string value it records: the anchors of the credential shapes, and
// the bytes JSON escapes (as it copies the string escaped). Thirty-two bytes per step with AVX2 (x86-64 CPUs that
// have it, checked once), sixteen with SSE2 (other x86-64 CPUs, and the rest after the AVX2 steps) or NEON (AArch64),
// one at a time elsewhere.
#include "CSpoolSupport.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#elif defined(__ARM_NEON)
#include <arm_neon.h>
#endif

#if defined(__x86_64__) && defined(__SSE2__)
#include <immintrin.h>
#define TRACESPOOL_AVX2 1

// Whether the CPU (and the OS) support AVX2, checked once.
static int have_avx2(void) {
    static int cached = -1;
    int v = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (v < 0) {
        __builtin_cpu_init();
        v = __builtin_cpu_supports("avx2") ? 1 : 0;
        __atomic_store_n(&cached, v, __ATOMIC_RELAXED);
    }
    return v;
}
#else
static int have_avx2(void) { return 0; }
#endif

int tracespool_has_wide_vectors(void) { return have_avx2(); }

// Whether the byte at `i` of the `n` bytes at `p` may anchor a credential shape: the anchor byte with its neighbours
// as every shape holds them (`-` after `k` for `sk-` keys or before `-` for PEM blocks, `_` after `b` for
// `github_pat_` or after one of `pousr` for `gh?_` tokens, `A` before `K` or `S` for AWS key ids, `B`/`b` before
// `ea` in either case for bearer tokens: `be` alone is common in prose, `bea` much less).
static inline int is_credential_candidate(const uint8_t *p, size_t n, size_t i) {
    uint8_t prev = i > 0 ? p[i - 1] : 0, next = i + 1 < n ? p[i + 1] : 0, after_next = i + 2 < n ? p[i + 2] : 0;
    switch (p[i]) {
    case '-': return prev == 'k' || next == '-';
    case '_': return prev == 'b' || prev == 'p' || prev == 'o' || prev == 'u' || prev == 's' || prev == 'r';
    case 'A': return next == 'K' || next == 'S';
    case 'B': case 'b': return (next | 0x20) == 'e' && (after_next | 0x20) == 'a';
    default: return 0;
    }
}

static inline int may_need_json_escape(uint8_t c) {
    return c < 0x20 || c == '"' || c == '\\' || c == 0x7F || c == 0xE2;
}

// Writes at `out` the JSON form of `src[i]`, a byte `may_need_json_escape` stopped at: its escape (`\"`, `\\`, `\n`,
// `\r`, `\t`, `\b`, `\f`, else `\u00XX` for a control character or DEL, `\u2028` / `\u2029` for U+2028 and U+2029,
// whose UTF-8 starts with 0xE2), or the byte itself when it needs none (an 0xE2 that starts another character). Adds
// the bytes written (at most 6) to `*written` and returns the bytes of `src` consumed (1, or 3 for U+2028 and U+2029).
static inline size_t write_json_escape(const uint8_t *src, size_t n, size_t i, uint8_t *out, size_t *written) {
    static const char hex[] = "0123456789abcdef";
    uint8_t b = src[i], letter = 0;
    unsigned unit = b;
    size_t width = 1;
    switch (b) {
    case '"': case '\\': letter = b; break;
    case '\n': letter = 'n'; break;
    case '\r': letter = 'r'; break;
    case '\t': letter = 't'; break;
    case 0x08: letter = 'b'; break;
    case 0x0C: letter = 'f'; break;
    case 0xE2:
        if (i + 2 < n && src[i + 1] == 0x80 && (src[i + 2] == 0xA8 || src[i + 2] == 0xA9)) {
            unit = src[i + 2] == 0xA8 ? 0x2028 : 0x2029;
            width = 3;
            break;
        }
        out[0] = b;
        *written += 1;
        return 1;
    default:
        if (b >= 0x20 && b != 0x7F) {
            out[0] = b;
            *written += 1;
            return 1;
        }
    }
    out[0] = '\\';
    if (letter) {
        out[1] = letter;
        *written += 2;
    } else {
        out[1] = 'u';
        out[2] = (uint8_t)hex[(unit >> 12) & 0xF];
        out[3] = (uint8_t)hex[(unit >> 8) & 0xF];
        out[4] = (uint8_t)hex[(unit >> 4) & 0xF];
        out[5] = (uint8_t)hex[unit & 0xF];
        *written += 6;
    }
    return width;
}

// After a block copied whole to `dst + *o`: keeps its first `k` bytes, the ones before a byte that may need escaping,
// and writes that byte's form after them; returns 0 (having kept them) when the form might not fit in `room`.
static inline int keep_and_escape(const uint8_t *src, size_t n, size_t *r, uint8_t *dst, size_t room, size_t *o,
                                  size_t k) {
    *r += k;
    *o += k;
    if (*o + 6 > room) return 0;
    *r += write_json_escape(src, n, *r, dst + *o, o);
    return 1;
}

#if defined(__SSE2__)
// The candidate mask (bit per byte) of the sixteen bytes at `p`, which has a byte before and two after.
static inline unsigned candidate_mask(const uint8_t *p) {
    const __m128i dash = _mm_set1_epi8('-'), underscore = _mm_set1_epi8('_'), upper_a = _mm_set1_epi8('A');
    const __m128i lower_b = _mm_set1_epi8('b'), case_bit = _mm_set1_epi8(0x20);
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i is_dash = _mm_cmpeq_epi8(v, dash), is_underscore = _mm_cmpeq_epi8(v, underscore);
    __m128i is_a = _mm_cmpeq_epi8(v, upper_a), is_b = _mm_cmpeq_epi8(_mm_or_si128(v, case_bit), lower_b);
    // Most blocks of prose hold no anchor byte at all: the neighbours are looked at only when one does.
    if (!_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(is_dash, is_underscore), _mm_or_si128(is_a, is_b)))) return 0;
    __m128i before = _mm_loadu_si128((const __m128i *)(p - 1));
    __m128i after = _mm_loadu_si128((const __m128i *)(p + 1));
    __m128i m = _mm_and_si128(
        is_dash, _mm_or_si128(_mm_cmpeq_epi8(before, _mm_set1_epi8('k')), _mm_cmpeq_epi8(after, dash)));
    __m128i github = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(before, lower_b), _mm_cmpeq_epi8(before, _mm_set1_epi8('p'))),
        _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(before, _mm_set1_epi8('o')), _mm_cmpeq_epi8(before, _mm_set1_epi8('u'))),
            _mm_or_si128(_mm_cmpeq_epi8(before, _mm_set1_epi8('s')), _mm_cmpeq_epi8(before, _mm_set1_epi8('r')))));
    m = _mm_or_si128(m, _mm_and_si128(is_underscore, github));
    m = _mm_or_si128(m, _mm_and_si128(is_a, _mm_or_si128(_mm_cmpeq_epi8(after, _mm_set1_epi8('K')),
                                                         _mm_cmpeq_epi8(after, _mm_set1_epi8('S')))));
    __m128i after_next = _mm_loadu_si128((const __m128i *)(p + 2));
    m = _mm_or_si128(
        m, _mm_and_si128(is_b, _mm_and_si128(_mm_cmpeq_epi8(_mm_or_si128(after, case_bit), _mm_set1_epi8('e')),
                                             _mm_cmpeq_epi8(_mm_or_si128(after_next, case_bit), _mm_set1_epi8('a')))));
    return (unsigned)_mm_movemask_epi8(m);
}

// The mask (bit per byte) of the sixteen bytes at `p` JSON may escape.
static inline unsigned json_escape_mask(const uint8_t *p) {
    const __m128i last_control = _mm_set1_epi8(0x1F), quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
    const __m128i del = _mm_set1_epi8(0x7F), e2 = _mm_set1_epi8((char)0xE2);
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    // v <= 0x1F (unsigned) exactly where max(v, 0x1F) == 0x1F.
    __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(v, last_control), last_control);
    __m128i m = _mm_or_si128(
        _mm_or_si128(control, _mm_cmpeq_epi8(v, quote)),
        _mm_or_si128(_mm_cmpeq_epi8(v, backslash), _mm_or_si128(_mm_cmpeq_epi8(v, del), _mm_cmpeq_epi8(v, e2))));
    return (unsigned)_mm_movemask_epi8(m);
}
#endif

#if defined(TRACESPOOL_AVX2)
// `candidate_mask` for the thirty-two bytes at `p`, which has a byte before and two after.
__attribute__((target("avx2"))) static inline uint32_t candidate_mask32(const uint8_t *p) {
    const __m256i dash = _mm256_set1_epi8('-'), underscore = _mm256_set1_epi8('_'), upper_a = _mm256_set1_epi8('A');
    const __m256i lower_b = _mm256_set1_epi8('b'), case_bit = _mm256_set1_epi8(0x20);
    __m256i v = _mm256_loadu_si256((const __m256i *)p);
    __m256i is_dash = _mm256_cmpeq_epi8(v, dash), is_underscore = _mm256_cmpeq_epi8(v, underscore);
    __m256i is_a = _mm256_cmpeq_epi8(v, upper_a), is_b = _mm256_cmpeq_epi8(_mm256_or_si256(v, case_bit), lower_b);
    if (!_mm256_movemask_epi8(
            _mm256_or_si256(_mm256_or_si256(is_dash, is_underscore), _mm256_or_si256(is_a, is_b))))
        return 0;
    __m256i before = _mm256_loadu_si256((const __m256i *)(p - 1));
    __m256i after = _mm256_loadu_si256((const __m256i *)(p + 1));
    __m256i after_next = _mm256_loadu_si256((const __m256i *)(p + 2));
    __m256i m = _mm256_and_si256(
        is_dash, _mm256_or_si256(_mm256_cmpeq_epi8(before, _mm256_set1_epi8('k')), _mm256_cmpeq_epi8(after, dash)));
    __m256i github = _mm256_or_si256(
        _mm256_or_si256(_mm256_cmpeq_epi8(before, lower_b), _mm256_cmpeq_epi8(before, _mm256_set1_epi8('p'))),
        _mm256_or_si256(
            _mm256_or_si256(_mm256_cmpeq_epi8(before, _mm256_set1_epi8('o')),
                            _mm256_cmpeq_epi8(before, _mm256_set1_epi8('u'))),
            _mm256_or_si256(_mm256_cmpeq_epi8(before, _mm256_set1_epi8('s')),
                            _mm256_cmpeq_epi8(before, _mm256_set1_epi8('r')))));
    m = _mm256_or_si256(m, _mm256_and_si256(is_underscore, github));
    m = _mm256_or_si256(m, _mm256_and_si256(is_a, _mm256_or_si256(_mm256_cmpeq_epi8(after, _mm256_set1_epi8('K')),
                                                                   _mm256_cmpeq_epi8(after, _mm256_set1_epi8('S')))));
    m = _mm256_or_si256(
        m, _mm256_and_si256(
               is_b, _mm256_and_si256(
                         _mm256_cmpeq_epi8(_mm256_or_si256(after, case_bit), _mm256_set1_epi8('e')),
                         _mm256_cmpeq_epi8(_mm256_or_si256(after_next, case_bit), _mm256_set1_epi8('a')))));
    return (uint32_t)_mm256_movemask_epi8(m);
}

// The first candidate at or after `*i` in whole 32-byte steps (each with the byte before it and two after), or `n`
// having moved `*i` past the steps searched.
__attribute__((target("avx2"))) static size_t candidate_steps32(const uint8_t *p, size_t *i, size_t n) {
    size_t j = *i;
    for (; j + 34 <= n; j += 32) {
        uint32_t mask = candidate_mask32(p + j);
        if (mask) return j + (size_t)__builtin_ctz(mask);
    }
    *i = j;
    return n;
}

// The escaped form of `src[*i..<n]` into `dst[*w..<room]` (see `escape_blocks16`), 32 bytes a step.
__attribute__((target("avx2"))) static void escape_blocks32(
    const uint8_t *src, size_t n, size_t *i, uint8_t *dst, size_t room, size_t *w) {
    const __m256i last_control = _mm256_set1_epi8(0x1F), quote = _mm256_set1_epi8('"');
    const __m256i backslash = _mm256_set1_epi8('\\'), del = _mm256_set1_epi8(0x7F), e2 = _mm256_set1_epi8((char)0xE2);
    size_t r = *i, o = *w;
    while (r + 32 <= n && o + 32 <= room) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(src + r));
        __m256i control = _mm256_cmpeq_epi8(_mm256_max_epu8(v, last_control), last_control);
        __m256i m = _mm256_or_si256(
            _mm256_or_si256(control, _mm256_cmpeq_epi8(v, quote)),
            _mm256_or_si256(_mm256_cmpeq_epi8(v, backslash),
                            _mm256_or_si256(_mm256_cmpeq_epi8(v, del), _mm256_cmpeq_epi8(v, e2))));
        uint32_t mask = (uint32_t)_mm256_movemask_epi8(m);
        _mm256_storeu_si256((__m256i *)(dst + o), v);
        if (!mask) {
            r += 32;
            o += 32;
            continue;
        }
        if (!keep_and_escape(src, n, &r, dst, room, &o, (size_t)__builtin_ctz(mask))) break;
    }
    *i = r;
    *w = o;
}
#endif

#if defined(__ARM_NEON) && !defined(__SSE2__)
// A bit per lane of a comparison result (0x00 or 0xFF lanes), lane 0 the lowest.
static inline unsigned lane_bits(uint8x16_t m) {
    static const uint8_t weights[16] = {1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128};
    uint8x16_t bits = vandq_u8(m, vld1q_u8(weights));
    return (unsigned)vaddv_u8(vget_low_u8(bits)) | ((unsigned)vaddv_u8(vget_high_u8(bits)) << 8);
}

// The candidate mask (bit per byte) of the sixteen bytes at `p`, which has a byte before and two after.
static inline unsigned candidate_mask(const uint8_t *p) {
    const uint8x16_t dash = vdupq_n_u8('-'), underscore = vdupq_n_u8('_'), upper_a = vdupq_n_u8('A');
    const uint8x16_t lower_b = vdupq_n_u8('b'), case_bit = vdupq_n_u8(0x20);
    uint8x16_t v = vld1q_u8(p);
    uint8x16_t is_dash = vceqq_u8(v, dash), is_underscore = vceqq_u8(v, underscore);
    uint8x16_t is_a = vceqq_u8(v, upper_a), is_b = vceqq_u8(vorrq_u8(v, case_bit), lower_b);
    if (vmaxvq_u8(vorrq_u8(vorrq_u8(is_dash, is_underscore), vorrq_u8(is_a, is_b))) == 0) return 0;
    uint8x16_t before = vld1q_u8(p - 1), after = vld1q_u8(p + 1);
    uint8x16_t m = vandq_u8(is_dash, vorrq_u8(vceqq_u8(before, vdupq_n_u8('k')), vceqq_u8(after, dash)));
    uint8x16_t github = vorrq_u8(
        vorrq_u8(vceqq_u8(before, lower_b), vceqq_u8(before, vdupq_n_u8('p'))),
        vorrq_u8(vorrq_u8(vceqq_u8(before, vdupq_n_u8('o')), vceqq_u8(before, vdupq_n_u8('u'))),
                 vorrq_u8(vceqq_u8(before, vdupq_n_u8('s')), vceqq_u8(before, vdupq_n_u8('r')))));
    m = vorrq_u8(m, vandq_u8(is_underscore, github));
    m = vorrq_u8(m, vandq_u8(is_a, vorrq_u8(vceqq_u8(after, vdupq_n_u8('K')), vceqq_u8(after, vdupq_n_u8('S')))));
    uint8x16_t after_next = vld1q_u8(p + 2);
    m = vorrq_u8(m, vandq_u8(is_b, vandq_u8(vceqq_u8(vorrq_u8(after, case_bit), vdupq_n_u8('e')),
                                            vceqq_u8(vorrq_u8(after_next, case_bit), vdupq_n_u8('a')))));
    return vmaxvq_u8(m) ? lane_bits(m) : 0;
}

// The mask (bit per byte) of the sixteen bytes at `p` JSON may escape.
static inline unsigned json_escape_mask(const uint8_t *p) {
    const uint8x16_t space = vdupq_n_u8(0x20), quote = vdupq_n_u8('"'), backslash = vdupq_n_u8('\\');
    const uint8x16_t del = vdupq_n_u8(0x7F), e2 = vdupq_n_u8(0xE2);
    uint8x16_t v = vld1q_u8(p);
    uint8x16_t m = vorrq_u8(
        vorrq_u8(vcltq_u8(v, space), vceqq_u8(v, quote)),
        vorrq_u8(vceqq_u8(v, backslash), vorrq_u8(vceqq_u8(v, del), vceqq_u8(v, e2))));
    return vmaxvq_u8(m) ? lane_bits(m) : 0;
}
#endif

// `tracespool_find_credential_candidate`, with the 32-byte steps when `wide`.
static inline size_t find_credential_candidate(const uint8_t *p, size_t from, size_t n, int wide) {
    (void)wide;
    size_t i = from;
    // The vector steps read the byte before and the two bytes after each block (of 32 or 16).
    if (i == 0 && n > 0) {
        if (is_credential_candidate(p, n, 0)) return 0;
        i = 1;
    }
#if defined(TRACESPOOL_AVX2)
    if (wide && i + 34 <= n) {
        size_t found = candidate_steps32(p, &i, n);
        if (found < n) return found;
    }
#endif
#if defined(__SSE2__) || defined(__ARM_NEON)
    for (; i + 18 <= n; i += 16) {
        unsigned mask = candidate_mask(p + i);
        if (mask) return i + (size_t)__builtin_ctz(mask);
    }
    // The rest but the last two bytes, as the block that ends right before them (overlapping what was searched,
    // whose bits are cleared): one more step instead of a byte at a time.
    if (n >= 19 && i + 2 < n) {
        size_t j = n - 18;  // >= 1: the block has a byte before it; i > j, as the loop above stopped
        unsigned mask = candidate_mask(p + j) & (0xFFFFu << (i - j));
        if (mask) return j + (size_t)__builtin_ctz(mask);
        i = n - 2;
    }
#endif
    for (; i < n; i++)
        if (is_credential_candidate(p, n, i)) return i;
    return n;
}

#if defined(__SSE2__) || defined(__ARM_NEON)
// The escaped form of `src[*i..<n]` into `dst[*w..<room]`, 16 bytes a step while a whole step fits in both: each block
// is copied whole, then kept up to its first byte that may need escaping, whose form is written in place (the next
// step starts after it). Stops before an escape that might not fit.
static inline void escape_blocks16(const uint8_t *src, size_t n, size_t *i, uint8_t *dst, size_t room, size_t *w) {
    size_t r = *i, o = *w;
    while (r + 16 <= n && o + 16 <= room) {
        unsigned mask = json_escape_mask(src + r);
#if defined(__SSE2__)
        _mm_storeu_si128((__m128i *)(dst + o), _mm_loadu_si128((const __m128i *)(src + r)));
#else
        vst1q_u8(dst + o, vld1q_u8(src + r));
#endif
        if (!mask) {
            r += 16;
            o += 16;
            continue;
        }
        if (!keep_and_escape(src, n, &r, dst, room, &o, (size_t)__builtin_ctz(mask))) break;
    }
    *i = r;
    *w = o;
}
#endif

// `tracespool_json_escape`, with the 32-byte steps when `wide`.
static inline size_t json_escape(const uint8_t *src, size_t n, uint8_t *dst, size_t room, size_t *written, int wide) {
    (void)wide;
    size_t i = 0, w = 0;
#if defined(TRACESPOOL_AVX2)
    if (wide) escape_blocks32(src, n, &i, dst, room, &w);
#endif
#if defined(__SSE2__) || defined(__ARM_NEON)
    escape_blocks16(src, n, &i, dst, room, &w);
#endif
    // The rest a byte at a time: fewer bytes than a step, or too little room left for one.
    while (i < n) {
        if (!may_need_json_escape(src[i])) {
            if (w >= room) break;
            dst[w++] = src[i++];
        } else {
            if (w + 6 > room) break;
            i += write_json_escape(src, n, i, dst + w, &w);
        }
    }
    *written = w;
    return i;
}

size_t tracespool_find_credential_candidate(const uint8_t *p, size_t from, size_t n) {
    return find_credential_candidate(p, from, n, have_avx2());
}

size_t tracespool_find_credential_candidate_narrow(const uint8_t *p, size_t from, size_t n) {
    return find_credential_candidate(p, from, n, 0);
}

size_t tracespool_json_escape(const uint8_t *src, size_t n, uint8_t *dst, size_t room, size_t *written) {
    return json_escape(src, n, dst, room, written, have_avx2());
}

size_t tracespool_json_escape_narrow(const uint8_t *src, size_t n, uint8_t *dst, size_t room, size_t *written) {
    return json_escape(src, n, dst, room, written, 0);
}

size_t tracespool_find_json_string_special(const uint8_t *p, size_t n, int *saw_non_ascii) {
    size_t i = 0;
    int high = 0;
#if defined(__SSE2__)
    const __m128i last_control = _mm_set1_epi8(0x1F), quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(v, last_control), last_control);
        __m128i m = _mm_or_si128(control, _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
        int mask = _mm_movemask_epi8(m);
        int high_mask = _mm_movemask_epi8(v);
        if (mask) {
            int before = mask & -mask;  // the lowest special byte's bit
            if (high_mask & (before - 1)) high = 1;
            *saw_non_ascii = high;
            return i + (size_t)__builtin_ctz((unsigned)mask);
        }
        if (high_mask) high = 1;
    }
#endif
    for (; i < n; i++) {
        uint8_t c = p[i];
        if (c < 0x20 || c == '"' || c == '\\') break;
        if (c >= 0x80) high = 1;
    }
    *saw_non_ascii = high;
    return i;
}

size_t tracespool_find_line_end(const uint8_t *p, size_t n) {
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        int mask = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)));
        if (mask) return i + (size_t)__builtin_ctz((unsigned)mask);
    }
#endif
    for (; i < n; i++)
        if (p[i] == '\n' || p[i] == '\r') return i;
    return n;
}
