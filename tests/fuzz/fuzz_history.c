/*
 * fuzz_history.c — what the member's login history and data download read from
 * untrusted input: useragent_parse (src/useragent.c: any User-Agent header),
 * login_history_net (the client address cut to its network) and
 * export_csv_cell (src/export.c: every value of the CSV download).
 *
 * Input: three fields separated by NUL bytes (fuzz_fields): a User-Agent, an
 * address, a cell value. Invariants:
 *  - useragent: both names are from the fixed list (useragent_known), so no
 *    byte of the header is ever stored or shown; only the first USERAGENT_SCAN
 *    bytes matter; the result agrees with a reference that takes the first rule
 *    whose token strstr() finds in that prefix (tables below, in the same order
 *    as useragent.c's);
 *  - net: 0 exactly when inet_pton reads the address; then the text parses
 *    back as a block of /24 (IPv4, also IPv4-mapped IPv6) or /48 (IPv6) that
 *    holds the address, with every host bit zero; otherwise "";
 *  - csv cell: the output is one quoted cell that a reference CSV reader turns
 *    back into the value, with an apostrophe before it exactly when the value
 *    starts with = + - @ tab or CR.
 */
#include "autoconf.h"

#include <arpa/inet.h>

#include "fuzz.h"
#include "export.h"
#include "login_history.h"
#include "useragent.h"

struct ref {
	const char	*token;
	const char	*name;
};

static const struct ref ref_browsers[] = {
	{ "Edg/", "Edge" }, { "EdgA/", "Edge" }, { "EdgiOS/", "Edge" },
	{ "OPR/", "Opera" }, { "OPiOS/", "Opera" }, { "Opera", "Opera" },
	{ "SamsungBrowser/", "Samsung Internet" }, { " Line/", "LINE" },
	{ "YJApp-", "Yahoo! JAPAN" }, { "FxiOS/", "Firefox" },
	{ "Firefox/", "Firefox" }, { "CriOS/", "Chrome" }, { "Chrome/", "Chrome" },
	{ "Chromium/", "Chrome" }, { "Trident/", "Internet Explorer" },
	{ "MSIE ", "Internet Explorer" }, { "Safari/", "Safari" },
};

static const struct ref ref_systems[] = {
	{ "iPhone", "iPhone" }, { "iPod", "iPhone" }, { "iPad", "iPad" },
	{ "Android", "Android" }, { "Windows", "Windows" }, { "CrOS", "ChromeOS" },
	{ "Macintosh", "Mac" }, { "Mac OS X", "Mac" }, { "Linux", "Linux" },
};

static const char *
ref_first(const struct ref *t, size_t n, const char *s)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strstr(s, t[i].token) != NULL)
			return t[i].name;
	return "";
}

static void
check_useragent(const char *ua)
{
	struct useragent u, again;
	char		 prefix[USERAGENT_SCAN + 1];
	const char	*b, *o;

	useragent_parse(ua, &u);
	FUZZ_ASSERT(u.browser != NULL && u.os != NULL);
	FUZZ_ASSERT(useragent_known(u.browser) && useragent_known(u.os));
	snprintf(prefix, sizeof(prefix), "%s", ua);
	useragent_parse(prefix, &again);
	FUZZ_ASSERT(again.browser == u.browser && again.os == u.os);
	b = ref_first(ref_browsers, sizeof(ref_browsers) / sizeof(ref_browsers[0]),
	    prefix);
	if (strcmp(b, "Safari") == 0 && strstr(prefix, "Version/") == NULL)
		b = "";
	o = ref_first(ref_systems, sizeof(ref_systems) / sizeof(ref_systems[0]),
	    prefix);
	FUZZ_ASSERT(strcmp(b, u.browser) == 0);
	FUZZ_ASSERT(strcmp(o, u.os) == 0);
}

static void
check_net(const char *ip)
{
	static const unsigned char mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
	};
	unsigned char	 a[16], n[16];
	char		 out[LOGIN_HISTORY_NET_MAX], *slash;
	int		 v4, v6, rc, plen, i, bits;

	v4 = inet_pton(AF_INET, ip, a) == 1;
	v6 = !v4 && inet_pton(AF_INET6, ip, a) == 1;
	rc = login_history_net(ip, out, sizeof(out));
	FUZZ_ASSERT(rc == 0 || rc == -1);
	if (!v4 && !v6) {
		FUZZ_ASSERT(rc == -1 && out[0] == '\0');
		return;
	}
	FUZZ_ASSERT(rc == 0);
	if (v6 && memcmp(a, mapped, sizeof(mapped)) == 0) {
		memmove(a, a + 12, 4);
		v4 = 1;
		v6 = 0;
	}
	FUZZ_ASSERT((slash = strchr(out, '/')) != NULL);
	*slash = '\0';
	plen = atoi(slash + 1);
	FUZZ_ASSERT(plen == (v4 ? 24 : 48));
	FUZZ_ASSERT(inet_pton(v4 ? AF_INET : AF_INET6, out, n) == 1);
	bits = v4 ? 32 : 128;
	for (i = 0; i < bits; i++) {
		int	 ab = (a[i / 8] >> (7 - i % 8)) & 1;
		int	 nb = (n[i / 8] >> (7 - i % 8)) & 1;

		FUZZ_ASSERT(i < plen ? nb == ab : nb == 0);
	}
}

static void
check_cell(const char *v)
{
	struct buf	 b = { 0 };
	size_t		 i = 1, k = 0, n = strlen(v);
	char		*back;
	int		 defused = n > 0 && strchr("=+-@\t\r", v[0]) != NULL;

	export_csv_cell(&b, v);
	/* A reference reader of one quoted cell. */
	FUZZ_ASSERT(b.len >= 2 && b.data[0] == '"' && b.data[b.len - 1] == '"');
	back = xmalloc(b.len);
	while (i < b.len - 1) {
		if (b.data[i] == '"') {
			FUZZ_ASSERT(i + 1 < b.len - 1 && b.data[i + 1] == '"');
			i++;
		}
		back[k++] = b.data[i++];
	}
	back[k] = '\0';
	if (defused) {
		FUZZ_ASSERT(back[0] == '\'');
		FUZZ_ASSERT(strcmp(back + 1, v) == 0);
	} else
		FUZZ_ASSERT(strcmp(back, v) == 0);
	free(back);
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*f[3];

	fuzz_setup();
	fuzz_fields(data, size, f, 3);
	if (f[0] != NULL)
		check_useragent(f[0]);
	useragent_parse(NULL, &(struct useragent){ NULL, NULL });
	if (f[1] != NULL)
		check_net(f[1]);
	if (f[2] != NULL)
		check_cell(f[2]);
	fuzz_fields_free(f, 3);
	return 0;
}
