/*
 * redirect.h — the one judge of a redirect target that a request supplied
 * (/lang?back=, /login?next=, and every Location kenpod sends).
 */
#ifndef KENPO_REDIRECT_H
#define KENPO_REDIRECT_H

#define REDIRECT_TARGET_MAX	1024

/*
 * 1 when target is a path on this site as every browser resolves it, else 0.
 *
 * A browser's URL parser (WHATWG) strips leading and trailing C0 controls and
 * spaces, removes tab and newline anywhere, reads '\' as '/' and takes "//x",
 * "/\x" and "scheme:" as other sites. Rather than predict what it makes of odd
 * bytes, accept only targets it has nothing to rewrite: '/' followed by
 * printable ASCII other than space and '\', the second character not '/', at
 * most REDIRECT_TARGET_MAX bytes. Percent-escapes stay as they are (a browser
 * does not decode them in a path), so "/%2F%2Fhost" is a path here.
 */
int	 redirect_target_ok(const char *target);

#endif
