/*
 * args.c — checks of command arguments shared by kenpoctl's nouns: an insurer
 * number (normalised, check digit) and the insurer it names, a date and time,
 * one line of text. Each prints its refusal as "kenpoctl: NOUN VERB: reason",
 * so that every command words the same mistake the same way.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insurer.h"
#include "normalize.h"
#include "util.h"
#include "kenpoctl.h"

int
ctl_insurer_number_arg(const char *noun, const char *verb, const char *arg,
    char *out)
{
	char	*n;
	int	 r = CTL_OK;

	if ((n = normalize_digits(arg)) == NULL || strlen(n) != INSURER_NUMBER_LEN)
		r = ctl_refuse("%s %s: an insurer number has 8 digits", noun, verb);
	else if (!insurer_number_valid(n))
		r = ctl_refuse("%s %s: %s is not an insurer number (wrong check "
		    "digit)", noun, verb, n);
	else
		memcpy(out, n, INSURER_NUMBER_LEN + 1);
	free(n);
	return r;
}

int
ctl_insurer_arg(const char *noun, const char *verb, const char *arg,
    struct insurer *ins)
{
	char	 number[INSURER_NUMBER_LEN + 1];
	char	*what;
	int	 r;

	memset(ins, 0, sizeof(*ins));
	if ((r = ctl_insurer_number_arg(noun, verb, arg, number)) != CTL_OK)
		return r;
	if ((r = insurer_find(number, ins)) < 0) {
		what = xasprintf("%s %s", noun, verb);
		r = ctl_db_error(r, what);
		free(what);
		return r;
	}
	if (r == 0)
		return ctl_refuse("%s %s: no insurer %s", noun, verb, number);
	return CTL_OK;
}

int
ctl_insurer_id_arg(const char *noun, const char *verb, const char *arg,
    long long *id)
{
	struct insurer	 ins;
	int		 r;

	*id = 0;
	if ((r = ctl_insurer_arg(noun, verb, arg, &ins)) == CTL_OK)
		*id = ins.id;
	insurer_free(&ins);
	return r;
}

int
ctl_time_arg(const char *s, char out[CTL_TIME_LEN])
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	/* The shape of the longest form; shorter ones are its prefixes. */
	static const char shape[] = "dddd-dd-dd dd:dd:dd";
	size_t		 i, len = strlen(s);
	int		 y, mo, d, h = 0, mi = 0, se = 0, leap;

	if (len != 10 && len != 16 && len != 19)
		return -1;
	for (i = 0; i < len; i++)
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i])
			return -1;
	y = atoi(s);
	mo = atoi(s + 5);
	d = atoi(s + 8);
	if (len >= 16) {
		h = atoi(s + 11);
		mi = atoi(s + 14);
	}
	if (len == 19)
		se = atoi(s + 17);
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	/* TIMESTAMP columns end in January 2038. */
	if (y < 2000 || y > 2037 || mo < 1 || mo > 12 || d < 1 ||
	    d > mdays[mo - 1] + (mo == 2 && leap) || h > 23 || mi > 59 || se > 59)
		return -1;
	snprintf(out, CTL_TIME_LEN, "%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h,
	    mi, se);
	return 0;
}

int
ctl_line_ok(const char *s, size_t max_chars, int spaces)
{
	const unsigned char *p;

	if (s[0] == '\0' || !util_utf8_valid(s, strlen(s)) ||
	    util_utf8_len(s) > max_chars)
		return 0;
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f || (!spaces && *p == ' '))
			return 0;
	return 1;
}
