/*
 * fuzz_form.c — form_parse and form_url_decode (src/form.c): every query string
 * and POST body kenpod receives. `GET /?x` used to kill a worker here: a value
 * without '=' pointed at a literal "" that decoding wrote into.
 *
 * Input: one byte choosing maxfield (the Server.MaxField limit), then the
 * urlencoded data. Invariants, besides no crash and no leak:
 *   - the status and the fields stored agree with a reference parser written
 *     independently below (split at '&', first '=', decode, check);
 *   - every stored name is [A-Za-z0-9_-]{1,64}, every value valid UTF-8 without
 *     C0 controls other than tab/CR/LF, without DEL, at most maxfield bytes;
 *   - the first value of a repeated name wins;
 *   - form_url_decode agrees with the reference decoder on the raw input too.
 */
#include "autoconf.h"

#include "fuzz.h"
#include "form.h"

#define REF_MAX		256	/* fields tracked by the reference */

struct field {
	char	*name;
	char	*value;
	size_t	 vlen;
};

static int
ref_hex(int c)
{
	static const char digits[] = "0123456789abcdef0123456789ABCDEF";
	const char	*p;

	if (c == '\0' || (p = strchr(digits, c)) == NULL)
		return -1;
	return (int)((p - digits) % 16);
}

/* Decode s[0..n) into a new string (*out, length *olen); -1 on a bad escape or %00. */
static int
ref_decode(const char *s, size_t n, char **out, size_t *olen)
{
	char	*o = xmalloc(n + 1);
	size_t	 i, k = 0;
	int	 h, l;

	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			if (i + 2 >= n || (h = ref_hex((unsigned char)s[i + 1])) < 0 ||
			    (l = ref_hex((unsigned char)s[i + 2])) < 0 || (h | l) == 0) {
				free(o);
				return -1;
			}
			o[k++] = (char)(h * 16 + l);
			i += 2;
		} else
			o[k++] = s[i] == '+' ? ' ' : s[i];
	}
	o[k] = '\0';
	*out = o;
	*olen = k;
	return 0;
}

/* Unicode 15, table 3-7, minus C0 controls but tab/CR/LF, minus DEL. */
static int
ref_text(const unsigned char *s, size_t n)
{
	size_t	 i = 0, k, need;
	unsigned char lo, hi;

	while (i < n) {
		unsigned char c = s[i];

		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
				return 0;
			i++;
			continue;
		}
		lo = 0x80;
		hi = 0xbf;
		if (c >= 0xc2 && c <= 0xdf)
			need = 1;
		else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			if (c == 0xe0)
				lo = 0xa0;
			if (c == 0xed)
				hi = 0x9f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			if (c == 0xf0)
				lo = 0x90;
			if (c == 0xf4)
				hi = 0x8f;
		} else
			return 0;
		if (n - i - 1 < need)
			return 0;
		for (k = 1; k <= need; k++) {
			unsigned char t = s[i + k];

			if (k == 1 ? (t < lo || t > hi) : (t < 0x80 || t > 0xbf))
				return 0;
		}
		i += need + 1;
	}
	return 1;
}

static int
ref_name(const char *s, size_t n)
{
	size_t	 i;

	if (n < 1 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

/*
 * The reference: fields[] gets the first value of each name (in order of
 * first appearance) up to the first problem; returns the expected status.
 */
static enum form_status
ref_parse(const char *data, size_t maxfield, struct field *fields, size_t *nf)
{
	const char	*p = data, *amp, *eq;
	char		*name, *val;
	size_t		 plen, nlen, vlen, i;

	*nf = 0;
	for (; *p != '\0'; p = *amp != '\0' ? amp + 1 : amp) {
		amp = p + strcspn(p, "&");
		plen = (size_t)(amp - p);
		if (plen == 0)
			continue;
		eq = memchr(p, '=', plen);
		if (ref_decode(p, eq != NULL ? (size_t)(eq - p) : plen, &name,
		    &nlen) != 0)
			return FORM_BAD_ESCAPE;
		if (ref_decode(eq != NULL ? eq + 1 : amp, eq != NULL ?
		    (size_t)(amp - eq - 1) : 0, &val, &vlen) != 0) {
			free(name);
			return FORM_BAD_ESCAPE;
		}
		if (nlen == 0) {
			free(name);
			free(val);
			continue;
		}
		if (!ref_name(name, strlen(name)) || strlen(name) != nlen) {
			free(name);
			free(val);
			return FORM_BAD_NAME;
		}
		if (vlen > maxfield || !ref_text((unsigned char *)val, vlen)) {
			free(name);
			free(val);
			return vlen > maxfield ? FORM_TOO_LONG : FORM_BAD_TEXT;
		}
		for (i = 0; i < *nf; i++)
			if (strcmp(fields[i].name, name) == 0)
				break;
		if (i < *nf || *nf == REF_MAX) {
			free(name);
			free(val);
			continue;
		}
		fields[*nf].name = name;
		fields[*nf].value = val;
		fields[*nf].vlen = vlen;
		(*nf)++;
	}
	return FORM_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t maxfields[] = { 0, 1, 4, 16, 64, 256, 1024, 4096 };
	struct field	 fields[REF_MAX];
	size_t		 maxfield, nf, i, n, dlen, rlen;
	enum form_status st, want;
	const char	*bad_name, *v;
	char		*s, *copy, key[96], *ref;
	HDF		*hdf = NULL, *node;
	int		 count, rc;

	if (size < 1)
		return 0;
	maxfield = maxfields[data[0] % 8];
	s = fuzz_str(data + 1, size - 1);

	/* The decoder alone, on the raw input. */
	copy = xstrdup(s);
	rc = form_url_decode(copy, &dlen);
	FUZZ_ASSERT(rc == ref_decode(s, strlen(s), &ref, &rlen));
	if (rc == 0) {
		FUZZ_ASSERT(dlen == rlen && memcmp(copy, ref, dlen) == 0);
		FUZZ_ASSERT(copy[dlen] == '\0');
		free(ref);
	}
	free(copy);

	if (hdf_init(&hdf) != STATUS_OK)
		abort();
	want = ref_parse(s, maxfield, fields, &nf);
	copy = xstrdup(s);
	st = form_parse(hdf, "Query", copy, maxfield, &bad_name);
	FUZZ_ASSERT(st == want);
	if (st == FORM_OK)
		FUZZ_ASSERT(bad_name == NULL);
	if (st == FORM_TOO_LONG || st == FORM_BAD_TEXT)
		FUZZ_ASSERT(bad_name != NULL && ref_name(bad_name, strlen(bad_name)));
	/* What was stored: each value the reference's first one. */
	count = 0;
	for (node = hdf_obj_child(hdf_get_obj(hdf, "Query")); node != NULL;
	    node = hdf_obj_next(node)) {
		const char *name = hdf_obj_name(node);

		count++;
		FUZZ_ASSERT(name != NULL && ref_name(name, strlen(name)));
		FUZZ_ASSERT(hdf_obj_child(node) == NULL);
		v = hdf_obj_value(node);
		FUZZ_ASSERT(v != NULL);
		n = strlen(v);
		FUZZ_ASSERT(n <= maxfield && ref_text((const unsigned char *)v, n));
		for (i = 0; i < nf; i++)
			if (strcmp(fields[i].name, name) == 0)
				break;
		FUZZ_ASSERT(i < nf || nf == REF_MAX);
		if (i < nf)
			FUZZ_ASSERT(fields[i].vlen == n &&
			    memcmp(fields[i].value, v, n) == 0);
	}
	/* Everything the reference accepted is there (and nothing else). */
	if (nf < REF_MAX)
		FUZZ_ASSERT((size_t)count == nf);
	for (i = 0; i < nf; i++) {
		snprintf(key, sizeof(key), "Query.%s", fields[i].name);
		FUZZ_ASSERT(hdf_get_value(hdf, key, NULL) != NULL);
		free(fields[i].name);
		free(fields[i].value);
	}
	hdf_destroy(&hdf);
	free(copy);
	free(s);
	return 0;
}
