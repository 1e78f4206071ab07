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

#define REDIRECT_NEXT_MAX	200
/*
 * next, when it is a local page to go on to after a step of ours (the
 * step-up's next=, with the rules of login.c's safe_next): a target
 * redirect_target_ok accepts, at most REDIRECT_NEXT_MAX bytes, only
 * [A-Za-z0-9/-._~?=&%+], not /login, /logout, /captcha, /password/reset,
 * /entry or /users/ (loops, tokens). NULL otherwise.
 */
const char *redirect_next(const char *next);

#endif
