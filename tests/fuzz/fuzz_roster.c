/*
 * fuzz_roster.c — the roster CSV reader (roster_check in src/roster.c, the
 * checks roster_import runs before it touches the database): line splitting,
 * CP932 conversion (iconv), libcsv, and the checks of every field.
 *
 * Input: one mode byte (bit 0: --encoding cp932; bits 1-2: the insurer's card
 * pattern ①-④; bit 3: --snapshot; bit 4: put the standard header line first),
 * then the file. Invariants, besides no crash and no leak (the file sits in a
 * buffer of its exact size, without a terminating NUL):
 *   - 0 exactly when nothing was reported, else ROSTER_EINVALID; errors = the
 *     number of distinct lines reported;
 *   - problems come in line order, each on line 0 (the whole file) or a line
 *     the file has;
 *   - a reason never carries the line's data: once its numbers are masked, each
 *     "; "-separated part is one of the fixed reasons below;
 *   - a UTF-8 file that converts to CP932 and back unchanged gets the same
 *     verdict, line for line, under --encoding cp932 (a CP932 trail byte never
 *     splits a line, and the checks see the same text).
 */
#include "autoconf.h"

#include <iconv.h>

#include "fuzz.h"
#include "roster.h"

#define NUMBER	"06139992"
#define TODAY	"2024-04-01"
#define HEADER	"insurer_number,personal_id,symbol,number,branch,name_kana," \
		"birthdate,qualified_from,qualified_until\n"
#define MAXREP	4096

static const char *const reasons[] = {
	"# fields, expected #",
	"a snapshot without data lines would end every person's qualification: "
	    "refused",
	"birthdate is in the future",
	"birthdate is not a date YYYY-MM-DD",
	"branch must be up to # digits",
	"cannot initialise the CSV parser",
	"insurer_number is not the insurer being imported",
	"malformed CSV (a quoted field is not closed)",
	"malformed CSV (misplaced quote)",
	"name_kana is empty",
	"name_kana is longer than # characters",
	"name_kana is not a name in katakana",
	"not valid CP# text",
	"not valid UTF-# text or a control character (a CP# file needs "
	    "--encoding cp#)",
	"number is empty",
	"number may contain only digits, hyphens and spaces",
	"personal_id already on line #",
	"personal_id is empty",
	"personal_id must be # to # printable ASCII characters",
	"qualified_from is before birthdate",
	"qualified_from is not a date YYYY-MM-DD",
	"qualified_until is before qualified_from",
	"qualified_until is not a date YYYY-MM-DD",
	"special_retiree must be #, # or empty",
	"symbol is empty (the insurer's cards have a symbol)",
	"symbol may contain only digits, letters, hyphens and spaces",
	"symbol must be empty (the insurer's card pattern has none)",
	"symbol or number cannot be used",
	"the file is UTF-# (it starts with a byte order mark): use --encoding "
	    "utf-#",
	"the file is empty (no header line)",
	"the header line must be exactly insurer_number,personal_id,symbol,"
	    "number,branch,name_kana,birthdate,qualified_from,qualified_until",
};

struct report {
	long	 line[MAXREP];
	char	*why[MAXREP];
	size_t	 n, dropped;
};

static void
on_error(void *arg, long line, const char *why)
{
	struct report	*r = arg;

	if (r->n == MAXREP) {
		r->dropped++;
		return;
	}
	r->line[r->n] = line;
	r->why[r->n] = xstrdup(why);
	r->n++;
}

static void
report_free(struct report *r)
{
	size_t	 i;

	for (i = 0; i < r->n; i++)
		free(r->why[i]);
	r->n = 0;
}

/* Is part (len bytes, numbers masked) one of the fixed reasons? */
static int
known(const char *part, size_t len)
{
	char	 masked[512];
	size_t	 i, k = 0;

	for (i = 0; i < len && k < sizeof(masked) - 1; i++) {
		if (part[i] >= '0' && part[i] <= '9') {
			if (k == 0 || masked[k - 1] != '#')
				masked[k++] = '#';
		} else
			masked[k++] = part[i];
	}
	masked[k] = '\0';
	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (strcmp(masked, reasons[i]) == 0)
			return 1;
	return 0;
}

/* Same verdict whatever the encoding: the two decoding failures are one. */
static int
same_reason(const char *a, const char *b)
{
	int	 da = strncmp(a, "not valid ", 10) == 0;
	int	 db = strncmp(b, "not valid ", 10) == 0;

	return da && db ? 1 : strcmp(a, b) == 0;
}

static int
run(const char *file, size_t len, int cp932, int pattern, int snapshot,
    struct report *rep, long *rows, long *errors)
{
	struct roster_import	 ri;
	char			*buf = xmalloc(len > 0 ? len : 1);
	int			 rc;

	memcpy(buf, file, len);
	memset(&ri, 0, sizeof(ri));
	ri.insurer_number = NUMBER;
	ri.encoding = cp932 ? "cp932" : "utf-8";
	ri.snapshot = snapshot;
	ri.today = TODAY;
	ri.on_error = on_error;
	ri.arg = rep;
	rc = roster_check(&ri, pattern, buf, len);
	free(buf);
	*rows = ri.rows;
	*errors = ri.errors;
	return rc;
}

static void
check(const char *file, size_t len, int rc, struct report *rep, long rows,
    long errors)
{
	size_t		 i, lines = 1, distinct = 0;
	const char	*p, *e;

	for (i = 0; i < len; i++)
		if (file[i] == '\n')
			lines++;
	FUZZ_ASSERT(rc == 0 || rc == ROSTER_EINVALID);
	FUZZ_ASSERT((rc == 0) == (rep->n == 0 && rep->dropped == 0));
	FUZZ_ASSERT(rows >= 0);
	for (i = 0; i < rep->n; i++) {
		FUZZ_ASSERT(rep->line[i] >= 0 && (size_t)rep->line[i] <= lines);
		if (i > 0)
			FUZZ_ASSERT(rep->line[i] >= rep->line[i - 1]);
		if (i == 0 || rep->line[i] != rep->line[i - 1])
			distinct++;
		for (p = rep->why[i]; ; p = e + 2) {
			e = strstr(p, "; ");
			if (!known(p, e != NULL ? (size_t)(e - p) : strlen(p))) {
				fprintf(stderr, "unknown reason: %s\n", rep->why[i]);
				FUZZ_ASSERT(!"a reason that is not a fixed text");
			}
			if (e == NULL)
				break;
		}
	}
	if (rep->dropped == 0)
		FUZZ_ASSERT((size_t)errors == distinct);
}

/* file in CP932 when it converts there and back unchanged; NULL otherwise. */
static char *
to_cp932(const char *file, size_t len, size_t *olen)
{
	iconv_t	 to, back;
	char	*out, *again, *ip, *op;
	size_t	 il, ol, cap = len * 2 + 4, n;
	int	 ok = 0;

	if ((to = iconv_open("CP932", "UTF-8")) == (iconv_t)-1)
		return NULL;
	if ((back = iconv_open("UTF-8", "CP932")) == (iconv_t)-1) {
		iconv_close(to);
		return NULL;
	}
	out = xmalloc(cap);
	again = xmalloc(len * 3 + 4);
	ip = (char *)(uintptr_t)file;
	il = len;
	op = out;
	ol = cap;
	if (iconv(to, &ip, &il, &op, &ol) != (size_t)-1) {
		*olen = n = (size_t)(op - out);
		ip = out;
		il = n;
		op = again;
		ol = len * 3 + 4;
		if (iconv(back, &ip, &il, &op, &ol) != (size_t)-1 &&
		    (size_t)(op - again) == len && memcmp(again, file, len) == 0)
			ok = 1;
	}
	free(again);
	iconv_close(to);
	iconv_close(back);
	if (!ok) {
		free(out);
		return NULL;
	}
	return out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct report a, b;
	const char	*file;
	char		*withhdr = NULL, *sj;
	size_t		 len, sjlen, i;
	long		 rows, errors, rows2, errors2;
	int		 mode, cp932, pattern, snapshot, rc, rc2;

	if (size < 1)
		return 0;
	fuzz_setup();
	mode = data[0];
	cp932 = mode & 1;
	pattern = 1 + (mode >> 1 & 3);
	snapshot = (mode >> 3) & 1;
	file = (const char *)data + 1;
	len = size - 1;
	if (mode & 16) {
		withhdr = xmalloc(sizeof(HEADER) - 1 + len + 1);
		memcpy(withhdr, HEADER, sizeof(HEADER) - 1);
		memcpy(withhdr + sizeof(HEADER) - 1, file, len);
		file = withhdr;
		len += sizeof(HEADER) - 1;
	}

	rc = run(file, len, cp932, pattern, snapshot, &a, &rows, &errors);
	check(file, len, rc, &a, rows, errors);

	if (!cp932 && !(len >= 3 && memcmp(file, "\xef\xbb\xbf", 3) == 0) &&
	    (sj = to_cp932(file, len, &sjlen)) != NULL) {
		rc2 = run(sj, sjlen, 1, pattern, snapshot, &b, &rows2, &errors2);
		check(sj, sjlen, rc2, &b, rows2, errors2);
		FUZZ_ASSERT(rc2 == rc && rows2 == rows && errors2 == errors);
		FUZZ_ASSERT(a.n == b.n && a.dropped == b.dropped);
		for (i = 0; i < a.n; i++)
			FUZZ_ASSERT(a.line[i] == b.line[i] &&
			    same_reason(a.why[i], b.why[i]));
		report_free(&b);
		free(sj);
	}
	report_free(&a);
	a.dropped = b.dropped = 0;
	free(withhdr);
	return 0;
}
