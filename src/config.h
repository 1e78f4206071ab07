/*
 * config.h — the one configuration file (ClearSilver HDF), validated against the
 * table of known keys in config.c: every key has a type, limits and a default, and
 * every key is documented in contrib/kenpo.hdf.sample.in.
 *
 * config_load() refuses a file with an unknown key, a value of the wrong type or out
 * of range, or a missing required key, and names the key in its message. After a
 * successful load every known key has a value (defaults filled in), so the accessors
 * below never fail; asking for a key that is not in the table is a programming error
 * and aborts.
 */
#ifndef KENPO_CONFIG_H
#define KENPO_CONFIG_H

#include <stdint.h>

#include <ClearSilver.h>

/*
 * Load and validate path. On success returns 0 and sets *out (caller owns it).
 * On failure returns -1 and writes a one-line message naming the file and key to err.
 */
int		 config_load(const char *path, HDF **out, char *err, size_t errlen);

/* Make cfg the process's current configuration (the previous one is freed). */
void		 config_set(HDF *cfg);
/* Change one value of the current configuration (tests). 0 or -1. */
int		 config_put(const char *key, const char *value);
/* Changes with every config_set: what a module derives from the configuration
 * (a key, a parsed list) is kept until the generation moves on. */
unsigned	 config_generation(void);
HDF		*config_hdf(void);
/*
 * 1 while a copy of shared data that a page view may use (the allowlist, the
 * login counters), read at read_ms (util_mono_ms) under configuration
 * generation gen, is younger than Login.ViewCacheSeconds; 0 when it must be
 * read again (never read: read_ms 0).
 */
int		 config_view_fresh(int64_t read_ms, unsigned gen);
const char	*config_path(void);

const char	*config_str(const char *key);
/*
 * Service.BaseURL (without its trailing slashes) + path ("/…"), malloc'd: the
 * absolute URL of a page of ours, for mails and links sent out.
 */
char		*config_url(const char *path);
long long	 config_int(const char *key);
int		 config_bool(const char *key);
/* A hex secret decoded into buf; returns its length in bytes. */
size_t		 config_secret(const char *key, unsigned char *buf, size_t buflen);

/*
 * 1 when s may be a link target in a page: a path on this site ("/…", not
 * "//…") or an absolute http(s) URL, printable ASCII without spaces, quotes,
 * angle brackets or backslashes. The URL keys (C_URL) are checked with it.
 */
int		 config_url_ok(const char *s);

/* The default config path: $KENPO_CONFIG, else the installed sysconfdir one. */
const char	*config_default_path(void);

#endif
