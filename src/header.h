/*
 * header.h — the request headers kenpod interprets itself (Accept-Language,
 * Origin/Referer), as pure functions of their values. Untrusted bytes: fuzzed
 * by tests/fuzz/fuzz_header.c (and, behind ClearSilver's cgi_init, by
 * tests/fuzz/fuzz_cookie.c).
 */
#ifndef KENPO_HEADER_H
#define KENPO_HEADER_H

#include <stddef.h>

/*
 * The page language, "ja" or "en" (static strings). The cookie "lang" (set by
 * /lang; NULL when absent) wins when it is exactly one of them; else whichever
 * of ja/en comes first in accept_language (NULL when absent: browsers list
 * languages in preference order, so q-values are not read); else "ja".
 */
const char	*header_pick_lang(const char *cookie, const char *accept_language);

/*
 * The Origin check of a POST: 1 when origin (NULL when absent) is exactly base
 * (Service.BaseURL, trailing '/' ignored) or "<scheme>://<host>" (scheme https
 * when https is set, host the Host header, NULL when absent); without an Origin,
 * when referer starts with one of those followed by '/' or its end; 1 when
 * neither header was sent (the CSRF token alone decides); else 0.
 */
int		 header_origin_ok(const char *origin, const char *referer,
		    const char *host, int https, const char *base);

/*
 * RFC 8058 one-click unsubscribe sent as multipart/form-data: 1 when the n
 * bytes of body hold a part whose headers name it "List-Unsubscribe"
 * (name="List-Unsubscribe") and whose value is exactly One-Click (up to the
 * line end that precedes the next boundary), else 0. Reads nothing else.
 */
int		 header_oneclick_multipart(const char *body, size_t n);

#endif
