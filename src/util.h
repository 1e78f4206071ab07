/*
 * util.h — allocation that never returns NULL, small string helpers.
 *
 * Allocation failure in a long-lived worker is not recoverable in any useful way,
 * so xmalloc and friends log and abort(): the master replaces the worker.
 */
#ifndef KENPO_UTIL_H
#define KENPO_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/* Formatted allocation; never NULL. */
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
char	*xvasprintf(const char *, va_list) __attribute__((format(printf, 1, 0)));

/* Zero memory in a way the compiler may not elide (secrets). */
void	 util_wipe(void *, size_t);
/* Free a NUL-terminated secret after wiping it; NULL is fine. */
void	 util_free_secret(char *);

/*
 * A growable byte buffer. buf_* never fail (they abort on OOM);
 * b->data is always NUL-terminated after any append.
 */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};
void	 buf_append(struct buf *, const void *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_free(struct buf *);

/* 1 if s is valid UTF-8 with no C0 control other than \t \r \n and no NUL in len. */
int	 util_utf8_valid(const char *s, size_t len);
/* Count of Unicode code points in a valid UTF-8 string. */
size_t	 util_utf8_len(const char *s);
/* Strict decimal parse of a whole string into [min,max]; 0 on success, -1 otherwise. */
int	 util_parse_int(const char *s, long long min, long long max, long long *out);
/* The value of hex digit c (either case), or -1. */
int	 util_hexval(int c);
/* Hex encode n bytes into out (2n+1 bytes). */
void	 util_hex(const unsigned char *in, size_t n, char *out);
/* Current time in seconds (wall clock) and monotonic milliseconds. */
int64_t	 util_now(void);
int64_t	 util_mono_ms(void);

#endif
