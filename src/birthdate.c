/*
 * birthdate.c — a typed birthdate (西暦 or 和暦) as a Gregorian date; see
 * birthdate.h. Each text is checked for UTF-8, put through NFKC (full-width
 * digits and letters, ㍼ → 昭和, U+3000 → space), its white space dropped and
 * its unit (年, 月, 日) at the end allowed, then read by hand: an optional era
 * prefix, then "元" or one to four ASCII digits. Nothing else is accepted.
 */
#include "autoconf.h"
#include "birthdate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "util.h"

/* Eras: id, Gregorian year of its first year, first and last day. */
static const struct era {
	const char	*id;
	int		 base;
	const char	*first, *last;
} eras[BIRTH_ERAS] = {
	{ "seireki", 0, "1900-01-01", NULL },
	{ "meiji", 1868, "1868-01-25", "1912-07-30" },
	{ "taisho", 1912, "1912-07-30", "1926-12-25" },
	{ "showa", 1926, "1926-12-25", "1989-01-07" },
	{ "heisei", 1989, "1989-01-08", "2019-04-30" },
	{ "reiwa", 2019, "2019-05-01", NULL },
};

/* Era names typed in the year box (after NFKC), longest first. */
static const struct prefix {
	const char	*text;
	int		 era;
} prefixes[] = {
	{ "西暦", BIRTH_SEIREKI },
	{ "明治", BIRTH_MEIJI }, { "大正", BIRTH_TAISHO }, { "昭和", BIRTH_SHOWA },
	{ "平成", BIRTH_HEISEI }, { "令和", BIRTH_REIWA },
	{ "明", BIRTH_MEIJI }, { "大", BIRTH_TAISHO }, { "昭", BIRTH_SHOWA },
	{ "平", BIRTH_HEISEI }, { "令", BIRTH_REIWA },
	{ NULL, 0 }
};

#define GANNEN	"\xe5\x85\x83"	/* 元 (元年: the first year of an era) */

int
birth_era_from_id(const char *id)
{
	int	 i;

	if (id == NULL || id[0] == '\0')
		return BIRTH_SEIREKI;
	for (i = 0; i < BIRTH_ERAS; i++)
		if (strcmp(id, eras[i].id) == 0)
			return i;
	return -1;
}

const char *
birth_era_id(int era)
{
	return era >= 0 && era < BIRTH_ERAS ? eras[era].id : NULL;
}

void
birth_era_span(int era, const char **first, const char **last)
{
	if (era < 0 || era >= BIRTH_ERAS)
		era = BIRTH_SEIREKI;
	*first = eras[era].first;
	*last = eras[era].last;
}

/*
 * The text in NFKC without white space and without the unit (a UTF-8 suffix,
 * may be NULL) at its end, in out[outcap]. 0, or -1 when it is too long or not
 * valid UTF-8.
 */
static int
squeeze(const char *in, const char *unit, char *out, size_t outcap)
{
	utf8proc_uint8_t	*nf;
	size_t			 n = strlen(in), o = 0, i, ulen;

	if (n > BIRTH_TEXT_MAX || !util_utf8_valid(in, n))
		return -1;
	if ((nf = utf8proc_NFKC((const utf8proc_uint8_t *)in)) == NULL)
		return -1;
	for (i = 0; nf[i] != '\0'; i++) {
		if (nf[i] == ' ' || nf[i] == '\t' || nf[i] == '\r' || nf[i] == '\n')
			continue;
		if (o + 1 >= outcap) {
			free(nf);
			return -1;
		}
		out[o++] = (char)nf[i];
	}
	free(nf);
	out[o] = '\0';
	if (unit != NULL && (ulen = strlen(unit)) <= o &&
	    strcmp(out + o - ulen, unit) == 0)
		out[o - ulen] = '\0';
	return 0;
}

/* One to four ASCII digits: the value, else -1. */
static int
digits(const char *s)
{
	int	 v = 0, n = 0;

	for (; *s != '\0'; s++, n++) {
		if (*s < '0' || *s > '9' || n == 4)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return n == 0 ? -1 : v;
}

/*
 * The year box: *era (typed, else sel) and *num (the year in that era, or the
 * Western year when *era is seireki). 0, or a birth_status.
 */
static int
read_year(const char *text, int sel, int *era, int *num)
{
	char		 s[BIRTH_TEXT_MAX * 3 + 1];
	const char	*p;
	int		 typed = -1, i, len;

	if (squeeze(text, "\xe5\xb9\xb4" /* 年 */, s, sizeof(s)) != 0)
		return BIRTH_INVALID;
	p = s;
	for (i = 0; prefixes[i].text != NULL; i++) {
		len = (int)strlen(prefixes[i].text);
		if (strncmp(p, prefixes[i].text, (size_t)len) == 0) {
			typed = prefixes[i].era;
			p += len;
			break;
		}
	}
	if (typed < 0 && *p != '\0' && strchr("MTSHRmtshr", *p) != NULL) {
		typed = (int)(strchr("MTSHR", *p & ~0x20) - "MTSHR") + BIRTH_MEIJI;
		p++;
		if (*p == '.')
			p++;
	}
	if (strcmp(p, GANNEN) == 0)
		*num = 1;
	else if ((*num = digits(p)) < 0)
		return BIRTH_YEAR;
	/* A 4-digit year is Western whatever the select says. */
	if (typed >= 0)
		*era = typed;
	else
		*era = *num >= 1000 ? BIRTH_SEIREKI : sel;
	if (*era == BIRTH_SEIREKI)
		return *num >= 1000 && strcmp(p, GANNEN) != 0 ? 0 : BIRTH_YEAR;
	/* 昭和1960: an era year has at most two digits. */
	return *num >= 1 && *num <= 99 ? 0 : BIRTH_ERA_RANGE;
}

/* Month or day: one or two digits (a leading zero allowed), unit allowed. */
static int
read_part(const char *text, const char *unit)
{
	char	 s[BIRTH_TEXT_MAX * 3 + 1];

	if (squeeze(text, unit, s, sizeof(s)) != 0)
		return -1;
	return digits(s);
}

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
birth_parse(const char *era, const char *year, const char *month,
    const char *day, const char *today, struct birth_date *out)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	const struct era *e;
	int		 sel, st, y, m, d, num, thisyear;

	memset(out, 0, sizeof(*out));
	out->field = BIRTH_F_YEAR;
	if ((sel = birth_era_from_id(era)) < 0)
		return BIRTH_ERA_ID;
	out->era = sel;
	if ((st = read_year(year, sel, &out->era, &num)) != 0)
		return st;
	e = &eras[out->era];
	if (out->era != BIRTH_SEIREKI)
		out->era_year = num;
	y = out->era == BIRTH_SEIREKI ? num : e->base + num - 1;
	thisyear = (int)strtol(today, NULL, 10);
	if (y < 1900)
		return BIRTH_OLD;
	if (y > thisyear)
		return out->era == BIRTH_SEIREKI ? BIRTH_FUTURE : BIRTH_ERA_RANGE;
	out->field = BIRTH_F_MONTH;
	if ((m = read_part(month, "\xe6\x9c\x88" /* 月 */)) < 1 || m > 12)
		return BIRTH_INVALID;
	out->field = BIRTH_F_DAY;
	d = read_part(day, "\xe6\x97\xa5" /* 日 */);
	if (d < 1 || d > mdays[m - 1] + (m == 2 && leap(y)))
		return BIRTH_INVALID;
	/* Ranges checked: 1900 <= y <= thisyear, 1..12, 1..31. */
	snprintf(out->iso, sizeof(out->iso), "%04u-%02u-%02u",
	    (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
	out->year = y;
	out->month = m;
	out->day = d;
	out->field = BIRTH_F_YEAR;
	if (out->era != BIRTH_SEIREKI && (strcmp(out->iso, e->first) < 0 ||
	    (e->last != NULL && strcmp(out->iso, e->last) > 0)))
		return BIRTH_ERA_RANGE;
	if (strcmp(out->iso, today) > 0)
		return BIRTH_FUTURE;
	return BIRTH_OK;
}

int
birth_era_of(const char *iso, int *era, int *era_year)
{
	int	 i;

	if (iso == NULL || strlen(iso) != 10 || iso[4] != '-' || iso[7] != '-')
		return -1;
	for (i = BIRTH_ERAS - 1; i > BIRTH_SEIREKI; i--) {
		if (strcmp(iso, eras[i].first) >= 0) {
			*era = i;
			*era_year = (int)strtol(iso, NULL, 10) - eras[i].base + 1;
			return 0;
		}
	}
	return -1;
}
