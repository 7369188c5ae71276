#ifndef TRACESPOOL_CSPOOLSUPPORT_H
#define TRACESPOOL_CSPOOLSUPPORT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Extends a CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) over `length` bytes.
///
/// Pass `crc = 0` to start. The value returned is the finished CRC (pre- and post-inverted as usual), and it can be
/// passed back in as `crc` to continue over more bytes: `crc32c(crc32c(0, a, n), b, m) == crc32c(0, a||b, n+m)`.
/// Uses the SSE4.2 / ARMv8 CRC instructions when the CPU has them, a slicing-by-8 table otherwise.
uint32_t tracespool_crc32c(uint32_t crc, const void *data, size_t length);

/// Returns 1 when `tracespool_crc32c` runs on CPU instructions, 0 when it uses the portable table.
int tracespool_crc32c_is_hardware(void);

/// The portable table path of `tracespool_crc32c`, whatever the CPU has (for tests that compare both paths).
uint32_t tracespool_crc32c_portable(uint32_t crc, const void *data, size_t length);

/// Renames `from` to `to`, both relative to the directory `dirfd`, failing with EEXIST instead of replacing an
/// existing `to` where the kernel and file system support it (Linux renameat2 RENAME_NOREPLACE); a plain renameat
/// elsewhere. Returns 0, or -1 with errno set.
int tracespool_rename_noreplace(int dirfd, const char *from, const char *to);

/// The index of the first byte at or after `from` (of the `n` bytes at `p`) that may anchor one of the tracer's
/// credential shapes, or `n` when there is none: `-` after `k` (`sk-` keys) or before `-` (PEM blocks), `_` after
/// `b` (`github_pat_`) or after `p`, `o`, `u`, `s` or `r` (`gh?_` tokens), `A` before `K` or `S` (AWS key ids),
/// `B` or `b` before `ea` in either case (bearer tokens). The byte before `from` is read when `from` > 0.
size_t tracespool_find_credential_candidate(const uint8_t *p, size_t from, size_t n);

/// Copies the `n` bytes at `src`, the UTF-8 of a string, to `dst` with JSON string escaping (no quotes): `"` and `\`
/// backslash-escaped; backspace, form feed, newline, carriage return and tab as their short escapes; the other C0
/// controls and DEL as `\u00XX`; U+2028 and U+2029 as `\u2028` and `\u2029`; every other byte as it is. Writes at
/// most `room` bytes: it stops when the room is full, and before a byte that may need escaping once fewer than 6
/// bytes of room are left (whatever its form takes). Returns the bytes of `src` consumed and sets `*written` to the
/// bytes written; at least one byte is consumed when `room` >= 6 and `n` > 0.
size_t tracespool_json_escape(const uint8_t *src, size_t n, uint8_t *dst, size_t room, size_t *written);

/// The index of the first of the `n` bytes at `p` that ends a run of a JSON string's literal text: `"`, a backslash or a
/// control character (`n` when there is none). Sets `*saw_non_ascii` to 1 when a byte before it is 0x80 or more,
/// else to 0.
size_t tracespool_find_json_string_special(const uint8_t *p, size_t n, int *saw_non_ascii);

/// Returns 1 when `tracespool_find_credential_candidate` and `tracespool_json_escape` take 32 bytes a step (x86-64
/// CPUs with AVX2), 0 when they take 16 (SSE2, NEON) or one at a time.
int tracespool_has_wide_vectors(void);

/// `tracespool_find_credential_candidate` without the 32-byte steps, whatever the CPU has (for tests that compare
/// both paths).
size_t tracespool_find_credential_candidate_narrow(const uint8_t *p, size_t from, size_t n);

/// `tracespool_json_escape` without the 32-byte steps, whatever the CPU has (for tests that compare both paths).
size_t tracespool_json_escape_narrow(const uint8_t *src, size_t n, uint8_t *dst, size_t room, size_t *written);

/// The index of the first line feed or carriage return of the `n` bytes at `p`, or `n` when there is none.
size_t tracespool_find_line_end(const uint8_t *p, size_t n);

#ifdef __cplusplus
}
#endif

#endif
