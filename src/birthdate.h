/*
 * birthdate.h — the birthdate a member types (birth_era, birth_year,
 * birth_month, birth_day; DESIGN.md form fields) read as a Gregorian date.
 *
 * Members born around 1960 think in 和暦: the year may be given in the Western
 * calendar ("1960", "１９６０年") or in an era, either by the birth_era select
 * beside the year box ("showa" + "35") or typed into the year box itself
 * ("昭和35", "昭和35年", "S35", "ｓ．３５", "㍼35", "昭35", "昭和元年"). An era
 * typed in the box wins over the select; a 4-digit year is Western whatever
 * the select says. The date must lie inside its era: 昭和64年 only to January
 * 7, 1989, 平成31年 only to April 30, 2019; the first day of a new era belongs
 * to both only where the change happened that same day (大正15年12月25日 is
 * 昭和元年12月25日, 明治45年7月30日 is 大正元年7月30日).
 *
 * The text is untrusted: pure code, no allocation kept, no logging (it is
 * personal data); tests/unit/t_birthdate.c and tests/fuzz/fuzz_birthdate.c.
 */
#ifndef KENPO_BIRTHDATE_H
#define KENPO_BIRTHDATE_H

enum birth_era {
	BIRTH_SEIREKI = 0,	/* Western calendar (西暦) */
	BIRTH_MEIJI,
	BIRTH_TAISHO,
	BIRTH_SHOWA,
	BIRTH_HEISEI,
	BIRTH_REIWA,
	BIRTH_ERAS
};

/* The era of a birth_era value ("seireki", "meiji", … "reiwa"); NULL or ""
 * is seireki (the default); anything else -1. */
int		 birth_era_from_id(const char *id);
/* The id of an era ("seireki" …), or NULL for an out-of-range value. */
const char	*birth_era_id(int era);

enum birth_status {
	BIRTH_OK = 0,
	BIRTH_INVALID,		/* not a number / no such month or day */
	BIRTH_YEAR,		/* the year is not understood (e.g. "35" with 西暦) */
	BIRTH_OLD,		/* before 1900-01-01 */
	BIRTH_ERA_RANGE,	/* outside its era (out->era names it) */
	BIRTH_FUTURE,		/* after today */
	BIRTH_ERA_ID,		/* birth_era is none of the six ids */
};

enum birth_field { BIRTH_F_YEAR = 0, BIRTH_F_MONTH, BIRTH_F_DAY };

struct birth_date {
	int	 year, month, day;	/* Gregorian, when BIRTH_OK */
	int	 era;			/* the era read (typed or selected) */
	int	 era_year;		/* the year in that era (0 for 西暦) */
	int	 field;			/* enum birth_field the status is about */
	char	 iso[11];		/* YYYY-MM-DD, when BIRTH_OK */
};

/* The longest year/month/day text read (bytes); longer is BIRTH_INVALID. */
#define BIRTH_TEXT_MAX	40

/*
 * Read a birthdate. era: the birth_era value (may be NULL); year, month, day:
 * the non-empty texts as typed; today: "YYYY-MM-DD" (Japan). Returns an enum
 * birth_status; out is always filled (field says where a problem is).
 */
int	 birth_parse(const char *era, const char *year, const char *month,
	    const char *day, const char *today, struct birth_date *out);

/*
 * The era of a date "YYYY-MM-DD" (on a day two eras share, the new one) and
 * the year in it, for showing a Western date in 和暦. 0, or -1 (malformed, or
 * before 明治).
 */
int	 birth_era_of(const char *iso, int *era, int *era_year);

/* The first and last day of an era as "YYYY-MM-DD" (NULL last: still going). */
void	 birth_era_span(int era, const char **first, const char **last);

#endif
