/*
 * useragent.c — the browser and system named in a User-Agent header, from a
 * fixed list (see useragent.h). Deliberately small: a User-Agent is a claim
 * the browser makes, good enough for "is this my phone?", never for a
 * security decision.
 *
 * How: look for product tokens in the first USERAGENT_SCAN bytes, in an order
 * that follows how browsers copy each other's tokens — Edge, Opera, Samsung
 * Internet and the in-app browsers also say "Chrome/" and "Safari/"; Chrome on
 * iOS says "CriOS/" and "Safari/"; every browser on an iPhone says
 * "like Mac OS X"; Android says "Linux". The first rule that matches wins.
 */
#include "autoconf.h"
#include "useragent.h"

#include <string.h>

struct rule {
	const char	*token;		/* a substring of the header */
	const char	*name;
};

static const struct rule browsers[] = {
	{ "Edg/",		"Edge" },
	{ "EdgA/",		"Edge" },
	{ "EdgiOS/",		"Edge" },
	{ "OPR/",		"Opera" },
	{ "OPiOS/",		"Opera" },
	{ "Opera",		"Opera" },
	{ "SamsungBrowser/",	"Samsung Internet" },
	{ " Line/",		"LINE" },
	{ "YJApp-",		"Yahoo! JAPAN" },
	{ "FxiOS/",		"Firefox" },
	{ "Firefox/",		"Firefox" },
	{ "CriOS/",		"Chrome" },
	{ "Chrome/",		"Chrome" },
	{ "Chromium/",		"Chrome" },
	{ "Trident/",		"Internet Explorer" },
	{ "MSIE ",		"Internet Explorer" },
	{ "Safari/",		"Safari" },	/* after every browser that copies it */
};

static const struct rule systems[] = {
	{ "iPhone",		"iPhone" },
	{ "iPod",		"iPhone" },
	{ "iPad",		"iPad" },
	{ "Android",		"Android" },
	{ "Windows",		"Windows" },
	{ "CrOS",		"ChromeOS" },
	{ "Macintosh",		"Mac" },
	{ "Mac OS X",		"Mac" },
	{ "Linux",		"Linux" },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* 1 if token occurs in the n bytes at s. */
static int
has(const char *s, size_t n, const char *token)
{
	size_t	 t = strlen(token), i;

	if (t > n)
		return 0;
	for (i = 0; i + t <= n; i++)
		if (s[i] == token[0] && memcmp(s + i, token, t) == 0)
			return 1;
	return 0;
}

/* The name of the first rule whose token occurs in s[0..n), or "". */
static const char *
first(const struct rule *rules, size_t nrules, const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < nrules; i++)
		if (has(s, n, rules[i].token))
			return rules[i].name;
	return "";
}

void
useragent_parse(const char *ua, struct useragent *out)
{
	size_t	 n = 0;

	if (ua != NULL)
		while (n < USERAGENT_SCAN && ua[n] != '\0')
			n++;
	out->browser = first(browsers, NELEM(browsers), ua, n);
	out->os = first(systems, NELEM(systems), ua, n);
	/* Safari's token without Apple's "Version/" is some other WebKit. */
	if (strcmp(out->browser, "Safari") == 0 && !has(ua, n, "Version/"))
		out->browser = "";
}

int
useragent_known(const char *name)
{
	size_t	 i;

	if (name == NULL)
		return 0;
	if (name[0] == '\0')
		return 1;
	for (i = 0; i < NELEM(browsers); i++)
		if (strcmp(name, browsers[i].name) == 0)
			return 1;
	for (i = 0; i < NELEM(systems); i++)
		if (strcmp(name, systems[i].name) == 0)
			return 1;
	return 0;
}
