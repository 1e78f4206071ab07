/*
 * useragent.h — a short, bounded description of a browser from its User-Agent
 * header ("Chrome" on "Windows", "Safari" on "iPhone"), for the member's list of
 * recent logins (login_history.h).
 *
 * The header is untrusted and unbounded text; what comes out is always one of
 * the fixed names below (or ""), never a piece of the input, so nothing of the
 * header is stored or shown. Only the first USERAGENT_SCAN bytes are read.
 */
#ifndef KENPO_USERAGENT_H
#define KENPO_USERAGENT_H

#include <stddef.h>

#define USERAGENT_SCAN	512	/* bytes of the header looked at */
#define USERAGENT_NAME_MAX 24	/* longest name below, with its NUL */

struct useragent {
	const char	*browser;	/* "Chrome", "Safari", …, or "" */
	const char	*os;		/* "Windows", "iPhone", …, or "" */
};

/*
 * Name the browser and system of ua (NULL or "" gives "" and ""). Browsers:
 * Edge, Opera, Samsung Internet, LINE, Yahoo! JAPAN, Firefox, Chrome,
 * Internet Explorer, Safari; systems: iPhone, iPad, Android, Windows, ChromeOS,
 * Mac, Linux. Never fails; the strings are static.
 */
void		 useragent_parse(const char *ua, struct useragent *out);

/* 1 if name is one of the names useragent_parse can give (including ""). */
int		 useragent_known(const char *name);

#endif
