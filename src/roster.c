/*
 * roster.c — roster CSV import and the eligibility match.
 *
 * Import runs in two phases. Check: the file is read whole, split into physical
 * lines (so every problem has a line number; a CP932 trail byte is never '\n'),
 * each line converted to UTF-8 (iconv for CP932) and fed to libcsv; every record is
 * validated into a struct row with its card key, or into an error for its line.
 * Apply, only when there was no error: one transaction locks the insurer, reads its
 * current roster, merges it with the file by personal_id and writes only what
 * changed (an upsert), so a re-import writes nothing and counts stay meaningful.
 * personal_id is compared ASCII case-insensitively, as the roster_person unique key
 * (utf8mb4_unicode_ci) does.
 */
#include "autoconf.h"
#include "roster.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <csv.h>
#include <utf8proc.h>

#include "config.h"
#include "db.h"
#include "insurer.h"
#include "lifecycle.h"
#include "log.h"
#include "normalize.h"
#include "util.h"

#define PERSONAL_ID_MAX	64	/* roster.personal_id VARCHAR(64) */
#define NAME_KANA_MAX	100	/* roster.name_kana VARCHAR(100) */
#define BRANCH_MAX	8	/* roster.branch VARCHAR(8) */

static const char *const columns[] = {
	"insurer_number", "personal_id", "symbol", "number", "branch",
	"name_kana", "birthdate", "qualified_from", "qualified_until",
	"special_retiree",	/* optional 10th column */
};
#define NCOLS_SPEC	9
#define NCOLS_EXT	10

void
roster_today(char out[ROSTER_DATE_LEN + 1])
{
	time_t		 t = time(NULL) + 9 * 3600;	/* Japan: UTC+9, no DST */
	struct tm	 tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, ROSTER_DATE_LEN + 1, "%Y-%m-%d", &tm) != ROSTER_DATE_LEN)
		snprintf(out, ROSTER_DATE_LEN + 1, "1970-01-01");
}

/*
 * Parse a calendar date "YYYY-MM-DD" (surrounding spaces allowed) into out.
 * 0 when it is a real date between 1900-01-01 and 2999-12-31, else -1.
 */
static int
date_parse(const char *s, char out[ROSTER_DATE_LEN + 1])
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int	 i, y, m, d, leap;

	while (*s == ' ' || *s == '\t')
		s++;
	for (i = 0; i < ROSTER_DATE_LEN; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return -1;
		} else if (s[i] < '0' || s[i] > '9')
			return -1;
	}
	for (i = ROSTER_DATE_LEN; s[i] == ' ' || s[i] == '\t'; i++)
		;
	if (s[i] != '\0')
		return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1)
		return -1;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] + (m == 2 && leap))
		return -1;
	memcpy(out, s, ROSTER_DATE_LEN);
	out[ROSTER_DATE_LEN] = '\0';
	return 0;
}

/* A copy of s without surrounding ASCII spaces and tabs. */
static char *
trimmed(const char *s)
{
	size_t	 n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}

/*
 * personal_id: NFKC (full-width letters and digits from hand-made files), trimmed,
 * then 1..64 printable ASCII characters without spaces. malloc'd or NULL.
 */
static char *
personal_id_clean(const char *s)
{
	utf8proc_uint8_t	*nf;
	char			*t;
	size_t			 i, n;

	if (!util_utf8_valid(s, strlen(s)))
		return NULL;
	if ((nf = utf8proc_NFKC((const utf8proc_uint8_t *)s)) == NULL)
		return NULL;
	t = trimmed((const char *)nf);
	free(nf);
	n = strlen(t);
	if (n == 0 || n > PERSONAL_ID_MAX)
		goto bad;
	for (i = 0; i < n; i++)
		if ((unsigned char)t[i] <= 0x20 || (unsigned char)t[i] >= 0x7f)
			goto bad;
	return t;
bad:
	free(t);
	return NULL;
}

/* 1 when s holds nothing but spaces and tabs. */
static int
blank(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '\0';
}

/* A validated data line. */
struct row {
	long	 line;
	char	*pid;
	char	 key[INSURER_CARD_KEY_LEN + 1];
	char	*branch;			/* NULL when empty */
	char	*name;
	char	 birth[ROSTER_DATE_LEN + 1];
	char	 from[ROSTER_DATE_LEN + 1];
	char	 until[ROSTER_DATE_LEN + 1];	/* "" when empty */
	int	 special;			/* 0, 1, or -1: keep */
};

/* A row of the database roster, for the merge. */
struct cur {
	long long id;
	char	*pid;
	char	*key;
	char	*branch;
	char	*name;
	char	 birth[ROSTER_DATE_LEN + 1];
	char	 from[ROSTER_DATE_LEN + 1];
	char	 until[ROSTER_DATE_LEN + 1];
	int	 special;
};

struct lerr {
	long	 line;
	size_t	 seq;		/* keeps reports of one line in order */
	char	*msg;
};

/* Everything of one import. */
struct imp {
	struct roster_import	*ri;
	struct insurer		 ins;
	unsigned char		 pepper[128];
	size_t			 pepperlen;
	char			 today[ROSTER_DATE_LEN + 1];
	int			 ncols;
	int			 header_seen;

	struct row		*rows;
	size_t			 nrows, caprows;
	struct lerr		*errs;
	size_t			 nerrs, caperrs;

	/* The record being parsed. */
	char			**f;
	size_t			 nf, capf;
	long			 rec_start;	/* its first line, 0 between records */
	long			 line;		/* the physical line being fed */

	/* The database roster, for the merge. */
	struct cur		*cur;
	size_t			 ncur, capcur;
};

static void
err_add(struct imp *im, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Record a problem of line (0: the whole file). */
static void
err_add(struct imp *im, long line, const char *fmt, ...)
{
	va_list	 ap;

	if (im->nerrs == im->caperrs) {
		im->caperrs = im->caperrs ? im->caperrs * 2 : 16;
		im->errs = xrealloc(im->errs, im->caperrs * sizeof(*im->errs));
	}
	va_start(ap, fmt);
	im->errs[im->nerrs].msg = xvasprintf(fmt, ap);
	va_end(ap);
	im->errs[im->nerrs].line = line;
	im->errs[im->nerrs].seq = im->nerrs;
	im->nerrs++;
}

/* Append "; reason" (or "reason") to a line's reasons. */
static void
why(struct buf *b, const char *reason)
{
	if (b->len > 0)
		buf_puts(b, "; ");
	buf_puts(b, reason);
}

/* Free the fields of the record being parsed (wiped: they hold card data). */
static void
record_clear(struct imp *im)
{
	size_t	 i;

	for (i = 0; i < im->nf; i++)
		util_free_secret(im->f[i]);	/* card data passes through here */
	im->nf = 0;
}

/* Free the strings of a row (not the row). */
static void
row_free(struct row *r)
{
	free(r->pid);
	free(r->branch);
	free(r->name);
}

/*
 * The first record: the SPEC §1 columns, optionally with special_retiree. Sets
 * im->ncols; a wrong header is reported and the layout of SPEC §1 assumed.
 */
static void
check_header(struct imp *im, long line)
{
	size_t	 i;
	int	 ok = im->nf == NCOLS_SPEC || im->nf == NCOLS_EXT;

	for (i = 0; ok && i < im->nf; i++)
		if (strcmp(im->f[i], columns[i]) != 0)
			ok = 0;
	if (ok) {
		im->ncols = (int)im->nf;
		return;
	}
	/* Keep checking the data lines against the standard layout. */
	im->ncols = NCOLS_SPEC;
	err_add(im, line, "the header line must be exactly "
	    "insurer_number,personal_id,symbol,number,branch,name_kana,"
	    "birthdate,qualified_from,qualified_until");
}

/* Validate one data record (fields im->f) of line into a row or an error. */
static void
check_record(struct imp *im, long line)
{
	struct buf	 b = { NULL, 0, 0 };
	struct row	 r;
	char		*ins = NULL, *sym = NULL, *num = NULL, *t = NULL;
	int		 pattern = im->ins.card_pattern, has_birth = 0, has_from = 0;

	memset(&r, 0, sizeof(r));
	r.line = line;
	r.special = -1;
	im->ri->rows++;
	if (im->nf != (size_t)im->ncols) {
		err_add(im, line, "%zu fields, expected %d", im->nf, im->ncols);
		return;
	}

	if ((ins = normalize_digits(im->f[0])) == NULL ||
	    strcmp(ins, im->ins.number) != 0)
		why(&b, "insurer_number is not the insurer being imported");

	if ((r.pid = personal_id_clean(im->f[1])) == NULL)
		why(&b, blank(im->f[1]) ? "personal_id is empty" :
		    "personal_id must be 1 to 64 printable ASCII characters");

	if ((sym = normalize_symbol(im->f[2])) == NULL)
		why(&b, "symbol may contain only digits, letters, hyphens and spaces");
	else if (insurer_pattern_has_symbol(pattern) && *sym == '\0')
		why(&b, "symbol is empty (the insurer's cards have a symbol)");
	else if (!insurer_pattern_has_symbol(pattern) && *sym != '\0')
		why(&b, "symbol must be empty (the insurer's card pattern has none)");

	if ((num = normalize_number(im->f[3])) == NULL)
		why(&b, blank(im->f[3]) ? "number is empty" :
		    "number may contain only digits, hyphens and spaces");

	/*
	 * 枝番 is checked but never stored: since 2020 it is part of the
	 * 被保険者等記号・番号 protected by 健康保険法 §194-2, and matching does
	 * not need it (persons are told apart by personal_id, name and birth date).
	 */
	if (!blank(im->f[4])) {
		if ((r.branch = normalize_digits(im->f[4])) == NULL ||
		    strlen(r.branch) > BRANCH_MAX)
			why(&b, "branch must be up to 8 digits");
		free(r.branch);
		r.branch = NULL;
	}

	if ((r.name = normalize_kana(im->f[5])) == NULL)
		why(&b, blank(im->f[5]) ? "name_kana is empty" :
		    "name_kana is not a name in katakana");
	else if (util_utf8_len(r.name) > NAME_KANA_MAX)
		why(&b, "name_kana is longer than 100 characters");

	if (date_parse(im->f[6], r.birth) == -1)
		why(&b, "birthdate is not a date YYYY-MM-DD");
	else if (strcmp(r.birth, im->today) > 0)
		why(&b, "birthdate is in the future");
	else
		has_birth = 1;

	if (date_parse(im->f[7], r.from) == -1)
		why(&b, "qualified_from is not a date YYYY-MM-DD");
	else
		has_from = 1;
	if (has_birth && has_from && strcmp(r.from, r.birth) < 0)
		why(&b, "qualified_from is before birthdate");

	if (!blank(im->f[8])) {
		if (date_parse(im->f[8], r.until) == -1)
			why(&b, "qualified_until is not a date YYYY-MM-DD");
		else if (has_from && strcmp(r.until, r.from) < 0)
			why(&b, "qualified_until is before qualified_from");
	}

	if (im->ncols == NCOLS_EXT) {
		t = trimmed(im->f[9]);
		if (*t == '\0')
			r.special = -1;
		else if (strcmp(t, "0") == 0 || strcmp(t, "1") == 0)
			r.special = *t - '0';
		else
			why(&b, "special_retiree must be 0, 1 or empty");
	}

	if (b.len == 0 && insurer_card_key(im->pepper, im->pepperlen,
	    im->ins.number, sym, num, r.key) == -1)
		why(&b, "symbol or number cannot be used");

	if (b.len > 0) {
		err_add(im, line, "%s", b.data);
		row_free(&r);
	} else {
		if (im->nrows == im->caprows) {
			im->caprows = im->caprows ? im->caprows * 2 : 256;
			im->rows = xrealloc(im->rows, im->caprows * sizeof(*im->rows));
		}
		im->rows[im->nrows++] = r;
	}
	buf_free(&b);
	free(ins);
	free(t);
	util_free_secret(sym);
	util_free_secret(num);
}

/* libcsv: one field of the current record. */
static void
csv_field(void *s, size_t len, void *arg)
{
	struct imp	*im = arg;

	if (im->nf == im->capf) {
		im->capf = im->capf ? im->capf * 2 : 16;
		im->f = xrealloc(im->f, im->capf * sizeof(*im->f));
	}
	im->f[im->nf++] = xstrndup(s != NULL ? s : "", s != NULL ? len : 0);
}

/* libcsv: end of the current record. */
static void
csv_record(int c, void *arg)
{
	struct imp	*im = arg;
	long		 line = im->rec_start ? im->rec_start : im->line;

	(void)c;
	/* A line of spaces is a record of one empty field: skip it. */
	if (!(im->nf == 0 || (im->nf == 1 && im->f[0][0] == '\0'))) {
		if (!im->header_seen) {
			im->header_seen = 1;
			check_header(im, line);
		} else
			check_record(im, line);
	}
	record_clear(im);
	im->rec_start = 0;
}

#define CSV_OPTS	(CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)

/* Throw away a half-parsed record after a bad line and start afresh. */
static int
parser_reset(struct imp *im, struct csv_parser *p)
{
	csv_free(p);
	record_clear(im);
	im->rec_start = 0;
	return csv_init(p, CSV_OPTS) == 0 ? 0 : -1;
}

/*
 * Account for a line that could not be decoded: it counts as a data line, or, when
 * it is the first, as the (bad) header, so that line 2 is not taken for one.
 */
static void
bad_line(struct imp *im)
{
	if (im->header_seen)
		im->ri->rows++;
	else if (!im->header_seen) {
		im->header_seen = 1;
		im->ncols = NCOLS_SPEC;
	}
}

/* Read path whole into *data (length *len). 0, or -1 with the reason reported. */
static int
read_file(struct imp *im, const char *path, char **data, size_t *len)
{
	FILE	*fp;
	char	*d = NULL;
	size_t	 n = 0, cap = 0, r;
	int	 rc = -1;

	*data = NULL;
	*len = 0;
	if ((fp = fopen(path, "rb")) == NULL) {
		err_add(im, 0, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 65536 * 2;
			d = xrealloc(d, cap);
		}
		r = fread(d + n, 1, cap - n - 1, fp);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(fp)) {
		err_add(im, 0, "cannot read %s: %s", path, strerror(errno));
		goto out;
	}
	d[n] = '\0';
	*data = d;
	*len = n;
	d = NULL;
	rc = 0;
out:
	fclose(fp);
	free(d);
	return rc;
}

/*
 * Convert one CP932 line to UTF-8. Returns a malloc'd string (length in *olen),
 * or NULL when the line is not CP932.
 */
static char *
cp932_line(iconv_t cd, const char *in, size_t len, size_t *olen)
{
	size_t	 cap = len * 3 + 4, il = len, ol = cap;
	char	*out = xmalloc(cap + 1), *ip = (char *)(uintptr_t)in, *op = out;

	/* iconv(3) takes char ** for its input but does not write through it. */
	iconv(cd, NULL, NULL, NULL, NULL);
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 ||
	    iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1) {
		free(out);
		return NULL;
	}
	*op = '\0';
	*olen = (size_t)(op - out);
	return out;
}

/* Parse and check the whole file; problems land in im->errs. */
static void
check_file(struct imp *im, const char *data, size_t len, int cp932)
{
	struct csv_parser	 p;
	iconv_t			 cd = (iconv_t)-1;
	const char		*s = data, *end = data + len, *nl;
	char			*conv = NULL;
	const char		*q;
	size_t			 n, qn;
	int			 pinit = 0;

	if (cp932 && (cd = iconv_open("UTF-8", "CP932")) == (iconv_t)-1) {
		err_add(im, 0, "cannot convert from CP932: %s", strerror(errno));
		return;
	}
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		if (cp932) {
			err_add(im, 1, "the file is UTF-8 (it starts with a byte "
			    "order mark): use --encoding utf-8");
			goto out;
		}
		s += 3;		/* UTF-8 byte order mark */
	}
	if (csv_init(&p, CSV_OPTS) != 0) {
		err_add(im, 0, "cannot initialise the CSV parser");
		goto out;
	}
	pinit = 1;
	for (im->line = 1; s < end; im->line++, s += n) {
		nl = memchr(s, '\n', (size_t)(end - s));
		n = nl != NULL ? (size_t)(nl - s) + 1 : (size_t)(end - s);
		free(conv);
		conv = NULL;
		if (cp932) {
			if ((conv = cp932_line(cd, s, n, &qn)) == NULL ||
			    !util_utf8_valid(conv, qn)) {
				err_add(im, im->line, "not valid CP932 text");
				bad_line(im);
				if (parser_reset(im, &p) == -1)
					goto nomem;
				continue;
			}
			q = conv;
		} else {
			q = s;
			qn = n;
			if (!util_utf8_valid(q, qn)) {
				err_add(im, im->line, "not valid UTF-8 text or a "
				    "control character (a CP932 file needs "
				    "--encoding cp932)");
				bad_line(im);
				if (parser_reset(im, &p) == -1)
					goto nomem;
				continue;
			}
		}
		if (im->rec_start == 0 && qn > 0 && q[0] != '\n' &&
		    !(q[0] == '\r' && (qn == 1 || q[1] == '\n')))
			im->rec_start = im->line;
		if (csv_parse(&p, q, qn, csv_field, csv_record, im) != qn) {
			if (im->header_seen)
				im->ri->rows++;		/* the record it spoilt */
			err_add(im, im->line, "malformed CSV (%s)",
			    csv_error(&p) == CSV_EPARSE ? "misplaced quote" :
			    csv_strerror(csv_error(&p)));
			if (parser_reset(im, &p) == -1)
				goto nomem;
		}
	}
	/* The loop left im->line one past the last line; a record that only
	 * csv_fini ends (after a bare CR, or without a final newline) is on it. */
	if (im->line > 1)
		im->line--;
	if (csv_fini(&p, csv_field, csv_record, im) != 0) {
		if (im->header_seen)
			im->ri->rows++;
		err_add(im, im->rec_start ? im->rec_start : im->line,
		    "malformed CSV (a quoted field is not closed)");
	}
	if (!im->header_seen)
		err_add(im, 0, "the file is empty (no header line)");
	goto out;
nomem:
	pinit = 0;
	err_add(im, 0, "cannot initialise the CSV parser");
out:
	if (pinit)
		csv_free(&p);
	record_clear(im);
	free(conv);
	if (cd != (iconv_t)-1)
		iconv_close(cd);
}

/* qsort: row pointers by personal_id (ASCII case-insensitive), then line. */
static int
row_cmp(const void *a, const void *b)
{
	const struct row *x = *(const struct row *const *)a;
	const struct row *y = *(const struct row *const *)b;
	int	 c = strcasecmp(x->pid, y->pid);

	if (c != 0)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Report personal_ids that occur on more than one line. */
static void
check_duplicates(struct imp *im)
{
	const struct row	**v, *first;
	size_t			 i;

	if (im->nrows < 2)
		return;
	v = xcalloc(im->nrows, sizeof(*v));
	for (i = 0; i < im->nrows; i++)
		v[i] = &im->rows[i];
	qsort(v, im->nrows, sizeof(*v), row_cmp);
	for (first = v[0], i = 1; i < im->nrows; i++) {
		if (strcasecmp(v[i]->pid, first->pid) == 0)
			err_add(im, v[i]->line, "personal_id already on line %ld",
			    first->line);
		else
			first = v[i];
	}
	free(v);
}

/* qsort: problems by line, then in the order found. */
static int
lerr_cmp(const void *a, const void *b)
{
	const struct lerr *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sort the problems by line, hand them to on_error and count the bad lines. */
static void
report_errors(struct imp *im)
{
	size_t	 i;

	/* qsort's array must not be NULL even for 0 elements (C11 7.22.5). */
	if (im->nerrs > 0)
		qsort(im->errs, im->nerrs, sizeof(*im->errs), lerr_cmp);
	im->ri->errors = 0;
	for (i = 0; i < im->nerrs; i++) {
		if (i == 0 || im->errs[i].line != im->errs[i - 1].line)
			im->ri->errors++;
		if (im->ri->on_error != NULL)
			im->ri->on_error(im->ri->arg, im->errs[i].line,
			    im->errs[i].msg);
	}
}

/* Empty im->cur (the array itself is kept for reuse on a retry). */
static void
cur_clear(struct imp *im)
{
	size_t	 i;

	for (i = 0; i < im->ncur; i++) {
		free(im->cur[i].pid);
		free(im->cur[i].key);
		free(im->cur[i].branch);
		free(im->cur[i].name);
	}
	im->ncur = 0;
}

/* Copy a DATE column value; NULL gives "". */
static void
copy_date(char out[ROSTER_DATE_LEN + 1], const char *s)
{
	snprintf(out, ROSTER_DATE_LEN + 1, "%s", s != NULL ? s : "");
}

/* qsort: stored rows by personal_id, as row_cmp. */
static int
cur_cmp(const void *a, const void *b)
{
	return strcasecmp(((const struct cur *)a)->pid,
	    ((const struct cur *)b)->pid);
}

/* Load the insurer's roster into im->cur, sorted; lock: FOR UPDATE. 0 or db_status. */
static int
cur_load(struct imp *im, int lock)
{
	struct db_res	*res = NULL;
	struct cur	*c;
	int		 rc;

	cur_clear(im);
	rc = db_query(&res, lock ?
	    "SELECT id, personal_id, card_key, branch, name_kana, birthdate,"
	    " qualified_from, qualified_until, special_retiree FROM roster"
	    " WHERE insurer_id = ? FOR UPDATE" :
	    "SELECT id, personal_id, card_key, branch, name_kana, birthdate,"
	    " qualified_from, qualified_until, special_retiree FROM roster"
	    " WHERE insurer_id = ?", "i", im->ins.id);
	if (rc != 0)
		return rc;
	while ((rc = db_res_next(res)) == 1) {
		if (im->ncur == im->capcur) {
			im->capcur = im->capcur ? im->capcur * 2 : 256;
			im->cur = xrealloc(im->cur, im->capcur * sizeof(*im->cur));
		}
		c = &im->cur[im->ncur++];
		c->id = db_res_int(res, 0);
		c->pid = xstrdup(db_res_str(res, 1));
		c->key = xstrdup(db_res_str(res, 2));
		c->branch = db_res_isnull(res, 3) ? NULL :
		    xstrdup(db_res_str(res, 3));
		c->name = xstrdup(db_res_str(res, 4));
		copy_date(c->birth, db_res_str(res, 5));
		copy_date(c->from, db_res_str(res, 6));
		copy_date(c->until, db_res_str(res, 7));
		c->special = (int)db_res_int(res, 8);
	}
	db_res_free(res);
	if (rc < 0)
		return rc;
	/* An insurer without roster rows leaves im->cur NULL: qsort may not
	 * be given that, even for 0 elements (C11 7.22.5). */
	if (im->ncur > 0)
		qsort(im->cur, im->ncur, sizeof(*im->cur), cur_cmp);
	return 0;
}

/* strcmp equality where two NULLs are equal and NULL differs from any string. */
static int
streq_null(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* 1 when the file row says nothing new about the stored person. */
static int
row_same(const struct row *r, const struct cur *c)
{
	return strcmp(r->pid, c->pid) == 0 && strcmp(r->key, c->key) == 0 &&
	    streq_null(r->branch, c->branch) && strcmp(r->name, c->name) == 0 &&
	    strcmp(r->birth, c->birth) == 0 && strcmp(r->from, c->from) == 0 &&
	    strcmp(r->until, c->until) == 0 &&
	    (r->special == -1 || r->special == c->special);
}

/*
 * Insert or update one person. prev_card_key keeps the card a person held before
 * a reissue: a special retiree may sign up with either card (roster_match).
 */
static int
row_write(struct imp *im, const struct row *r, const struct cur *c)
{
	long long	 special = r->special >= 0 ? r->special :
	    (c != NULL ? c->special : 0);
	long long	 n;

	n = db_exec("INSERT INTO roster (insurer_id, personal_id, card_key, branch,"
	    " name_kana, birthdate, qualified_from, qualified_until, special_retiree)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
	    " ON DUPLICATE KEY UPDATE"
	    " prev_card_key = IF(card_key = VALUES(card_key), prev_card_key, card_key),"
	    " card_key = VALUES(card_key), personal_id = VALUES(personal_id),"
	    " branch = VALUES(branch), name_kana = VALUES(name_kana),"
	    " birthdate = VALUES(birthdate), qualified_from = VALUES(qualified_from),"
	    " qualified_until = VALUES(qualified_until),"
	    " special_retiree = VALUES(special_retiree)",
	    "isssssssi", im->ins.id, r->pid, r->key, r->branch, r->name, r->birth,
	    r->from, r->until[0] != '\0' ? r->until : NULL, special);
	return n < 0 ? (int)n : 0;
}

/*
 * Merge the sorted file rows with the sorted stored roster: count, and write
 * unless dry. 0 or a db_status.
 */
static int
merge(struct imp *im, const struct row **v, int dry)
{
	struct roster_import	*ri = im->ri;
	const char		*until;
	size_t			 i = 0, j = 0;
	int			 c, rc;

	ri->added = ri->updated = ri->unchanged = ri->lost = 0;
	while (i < im->nrows || j < im->ncur) {
		if (i == im->nrows)
			c = 1;
		else if (j == im->ncur)
			c = -1;
		else
			c = strcasecmp(v[i]->pid, im->cur[j].pid);
		if (c < 0) {
			ri->added++;
			if (!dry && (rc = row_write(im, v[i], NULL)) < 0)
				return rc;
			i++;
		} else if (c == 0) {
			if (row_same(v[i], &im->cur[j]))
				ri->unchanged++;
			else {
				ri->updated++;
				if (!dry && (rc = row_write(im, v[i], &im->cur[j])) < 0)
					return rc;
			}
			i++;
			j++;
		} else {
			/* In the roster, not in the file. A future enrollee's
			 * loss date cannot precede the start. */
			until = strcmp(im->cur[j].from, im->today) > 0 ?
			    im->cur[j].from : im->today;
			if (ri->snapshot && (im->cur[j].until[0] == '\0' ||
			    strcmp(im->cur[j].until, until) > 0)) {
				ri->lost++;
				if (!dry && (rc = (int)db_exec("UPDATE roster SET"
				    " qualified_until = ? WHERE id = ?", "si",
				    until, im->cur[j].id)) < 0)
					return rc;
			}
			j++;
		}
	}
	return 0;
}

/* The sorted view of the file rows that merge walks. */
struct apply {
	struct imp		*im;
	const struct row	**v;
};

/*
 * db_txn body: lock the insurer, read its roster, merge and write.
 *
 * One transaction, so an import is all or nothing. On Galera that makes one
 * large write set (every changed roster row, the accounts the lifecycle sync
 * changes, their mails): long to certify, and a write on another node to any
 * of those rows makes the whole import run again (docs/operations.md).
 */
static int
apply_txn(void *arg)
{
	struct apply	*a = arg;
	long long	 id, n;
	int		 rc;

	/*
	 * Serialise imports of one insurer: the second merges against what the
	 * first wrote. The lock does it on one server; it is local to a node,
	 * so the row is also written. Galera: a certification key shared with
	 * an import of the insurer on another node (src/db.h).
	 */
	if ((rc = db_int(&id, "SELECT id FROM insurers WHERE id = ? FOR UPDATE",
	    "i", a->im->ins.id)) < 0)
		return rc;
	if (rc == 0)
		return ROSTER_EINSURER;
	if ((n = db_exec("UPDATE insurers SET updated_at = NOW(6) WHERE id = ?",
	    "i", a->im->ins.id)) < 0)
		return (int)n;
	if ((rc = cur_load(a->im, 1)) < 0)
		return rc;
	if ((rc = merge(a->im, a->v, 0)) < 0)
		return rc;
	/*
	 * The accounts of persons who lost qualification become 未所属 now, and
	 * those of persons qualified again within 100 days come back, in this
	 * transaction (lifecycle.h): no member sees the old state after the
	 * import committed.
	 */
	a->im->ri->unaffiliated = a->im->ri->reaffiliated = 0;
	return lifecycle_sync_insurer(a->im->ins.id, a->im->today,
	    &a->im->ri->unaffiliated, &a->im->ri->reaffiliated);
}

/* Free everything of an import (secrets wiped). */
static void
imp_free(struct imp *im)
{
	size_t	 i;

	for (i = 0; i < im->nrows; i++)
		row_free(&im->rows[i]);
	free(im->rows);
	for (i = 0; i < im->nerrs; i++)
		free(im->errs[i].msg);
	free(im->errs);
	record_clear(im);
	free(im->f);
	cur_clear(im);
	free(im->cur);
	insurer_free(&im->ins);
	util_wipe(im->pepper, sizeof(im->pepper));
}

/*
 * The arguments every check needs, in roster_import's order: the encoding and
 * the insurer number (into *cp932, *number), then (args_finish) the import date
 * and the pepper. 0, or ROSTER_EARG with the reason recorded.
 */
static int
args_check(struct imp *im, struct roster_import *ri, int *cp932, char **number)
{
	if (ri->encoding == NULL || strcasecmp(ri->encoding, "utf-8") == 0 ||
	    strcasecmp(ri->encoding, "utf8") == 0)
		*cp932 = 0;
	else if (strcasecmp(ri->encoding, "cp932") == 0 ||
	    strcasecmp(ri->encoding, "windows-31j") == 0 ||
	    strcasecmp(ri->encoding, "ms932") == 0 ||
	    strcasecmp(ri->encoding, "sjis") == 0 ||
	    strcasecmp(ri->encoding, "shift_jis") == 0)
		*cp932 = 1;	/* what Japanese office software calls Shift_JIS */
	else {
		err_add(im, 0, "unknown encoding (use utf-8 or cp932)");
		return ROSTER_EARG;
	}
	if ((*number = normalize_digits(ri->insurer_number)) == NULL ||
	    !insurer_number_valid(*number)) {
		err_add(im, 0, "not a valid insurer number (8 digits with a "
		    "check digit)");
		return ROSTER_EARG;
	}
	return 0;
}

static int
args_finish(struct imp *im, struct roster_import *ri)
{
	if (ri->today != NULL) {
		if (date_parse(ri->today, im->today) == -1) {
			err_add(im, 0, "bad import date");
			return ROSTER_EARG;
		}
	} else
		roster_today(im->today);
	if (ri->pepper != NULL) {
		im->pepperlen = ri->pepperlen < sizeof(im->pepper) ?
		    ri->pepperlen : sizeof(im->pepper);
		memcpy(im->pepper, ri->pepper, im->pepperlen);
	} else
		im->pepperlen = config_secret("Security.Pepper", im->pepper,
		    sizeof(im->pepper));
	return 0;
}

/* Check the whole file: 0 when every line is good, else ROSTER_EINVALID. */
static int
check_data(struct imp *im, const char *data, size_t len, int cp932)
{
	check_file(im, data, len, cp932);
	check_duplicates(im);
	if (im->nerrs == 0 && im->ri->snapshot && im->nrows == 0)
		err_add(im, 0, "a snapshot without data lines would end every "
		    "person's qualification: refused");
	return im->nerrs > 0 ? ROSTER_EINVALID : 0;
}

int
roster_check(struct roster_import *ri, int card_pattern, const char *data,
    size_t len)
{
	struct imp	 im;
	char		*number = NULL;
	int		 rc, cp932 = 0;

	memset(&im, 0, sizeof(im));
	im.ri = ri;
	ri->rows = ri->added = ri->updated = ri->unchanged = ri->lost = 0;
	ri->errors = 0;
	if ((rc = args_check(&im, ri, &cp932, &number)) == 0 &&
	    (rc = args_finish(&im, ri)) == 0) {
		memcpy(im.ins.number, number, sizeof(im.ins.number));
		im.ins.card_pattern = card_pattern;
		rc = check_data(&im, data, len, cp932);
	}
	if (rc != 0)
		report_errors(&im);
	free(number);
	imp_free(&im);
	return rc;
}

int
roster_import(struct roster_import *ri)
{
	struct imp	 im;
	struct apply	 a = { NULL, NULL };
	char		*data = NULL, *number = NULL;
	size_t		 len, i;
	int		 rc, cp932 = 0;

	memset(&im, 0, sizeof(im));
	im.ri = ri;
	ri->rows = ri->added = ri->updated = ri->unchanged = ri->lost = 0;
	ri->unaffiliated = ri->reaffiliated = 0;
	ri->errors = 0;

	if ((rc = args_check(&im, ri, &cp932, &number)) != 0)
		goto report;
	if ((rc = insurer_find(number, &im.ins)) < 0)
		goto out;
	if (rc == 0) {
		err_add(&im, 0, "no insurer %s", number);
		rc = ROSTER_EINSURER;
		goto report;
	}
	if ((rc = args_finish(&im, ri)) != 0)
		goto report;

	if (read_file(&im, ri->path, &data, &len) == -1) {
		rc = ROSTER_EFILE;
		goto report;
	}
	if ((rc = check_data(&im, data, len, cp932)) != 0)
		goto report;

	a.im = &im;
	a.v = xcalloc(im.nrows + 1, sizeof(*a.v));
	for (i = 0; i < im.nrows; i++)
		a.v[i] = &im.rows[i];
	qsort(a.v, im.nrows, sizeof(*a.v), row_cmp);
	if (ri->dry_run) {
		if ((rc = cur_load(&im, 0)) == 0)
			rc = merge(&im, a.v, 1);
	} else
		rc = db_txn(apply_txn, &a);
	if (rc > 0)
		rc = 0;
	if (rc == 0)
		log_info("roster import: insurer %s: %ld rows, %ld added, "
		    "%ld updated, %ld unchanged, %ld lost; accounts: %ld "
		    "unaffiliated, %ld reaffiliated%s", im.ins.number,
		    ri->rows, ri->added, ri->updated, ri->unchanged, ri->lost,
		    ri->unaffiliated, ri->reaffiliated,
		    ri->dry_run ? " (dry run)" : "");
	goto out;
report:
	report_errors(&im);
out:
	free(a.v);
	if (data != NULL) {
		util_wipe(data, len);	/* card numbers */
		free(data);
	}
	free(number);
	imp_free(&im);
	return rc;
}

int
roster_touch(long long roster_id)
{
	long long	 n;

	/*
	 * A real change (an UPDATE that changes nothing writes no key), but
	 * not to now: updated_at tells support staff when the insurer's data
	 * on the person last changed (kenpoctl roster show), not a signup.
	 */
	n = db_exec("UPDATE roster SET updated_at = updated_at +"
	    " INTERVAL 1 MICROSECOND WHERE id = ?", "i", roster_id);
	return n < 0 ? (int)n : 0;
}

int
roster_match(long long insurer_id, const char *card_key, const char *name_kana,
    const char *birthdate, const char *today, struct roster_hit *hit)
{
	struct db_res	*res = NULL;
	char		 now[ROSTER_DATE_LEN + 1];
	const char	*from, *until;
	int		 rc, best = ROSTER_NOT_FOUND, st, rank, bestrank = 0;
	static const int ranks[] = { 0, 3, 1, 2 };	/* by roster_status */

	memset(hit, 0, sizeof(*hit));
	if (today == NULL) {
		roster_today(now);
		today = now;
	}
	if (card_key == NULL || name_kana == NULL || birthdate == NULL)
		return ROSTER_NOT_FOUND;
	/*
	 * The name is compared in utf8mb4_bin: the column's unicode_ci collation
	 * equates ハ, バ and パ. card_key: a dependant shares the card of the insured
	 * person, so name and birthdate tell them apart.
	 */
	rc = db_query(&res, "SELECT r.id, r.card_key = ?, r.qualified_from,"
	    " r.qualified_until, COALESCE(a.id, 0) FROM roster r"
	    " LEFT JOIN accounts a ON a.roster_id = r.id"
	    " WHERE r.insurer_id = ? AND (r.card_key = ? OR"
	    " (r.prev_card_key = ? AND r.special_retiree = 1))"
	    " AND r.name_kana = ? COLLATE utf8mb4_bin AND r.birthdate = ?"
	    " ORDER BY r.id", "sissss", card_key, insurer_id, card_key, card_key,
	    name_kana, birthdate);
	if (rc != 0)
		return rc;
	while ((rc = db_res_next(res)) == 1) {
		from = db_res_str(res, 2);
		until = db_res_str(res, 3);
		if (from != NULL && strcmp(from, today) <= 0 &&
		    (until == NULL || strcmp(until, today) > 0))
			st = db_res_int(res, 1) ? ROSTER_QUALIFIED :
			    ROSTER_SPECIAL_RETIREE;
		else
			st = ROSTER_NOT_QUALIFIED;
		rank = ranks[st];
		if (rank > bestrank) {
			bestrank = rank;
			best = st;
			hit->roster_id = db_res_int(res, 0);
			hit->account_id = db_res_int(res, 4);
			copy_date(hit->qualified_until, until);
		}
	}
	db_res_free(res);
	if (rc < 0)
		return rc;
	if (best != ROSTER_NOT_QUALIFIED)
		return best;

	/*
	 * The card is known but its person is no longer qualified. If the insurer
	 * lists the same person (name, birthdate) again as a qualified special
	 * retiree under another personal_id, the pre-retirement card counts too.
	 */
	rc = db_query(&res, "SELECT r.id, COALESCE(a.id, 0) FROM roster r"
	    " LEFT JOIN accounts a ON a.roster_id = r.id"
	    " WHERE r.insurer_id = ? AND r.special_retiree = 1"
	    " AND r.name_kana = ? COLLATE utf8mb4_bin AND r.birthdate = ?"
	    " AND r.qualified_from <= ?"
	    " AND (r.qualified_until IS NULL OR r.qualified_until > ?)"
	    " ORDER BY r.id LIMIT 1", "issss", insurer_id, name_kana, birthdate,
	    today, today);
	if (rc != 0)
		return rc;
	if ((rc = db_res_next(res)) == 1) {
		best = ROSTER_SPECIAL_RETIREE;
		hit->roster_id = db_res_int(res, 0);
		hit->account_id = db_res_int(res, 1);
		hit->qualified_until[0] = '\0';
	}
	db_res_free(res);
	return rc < 0 ? rc : best;
}
