/*
 * fuzz_birthdate.c — birth_parse (src/birthdate.c: the birthdate a member
 * types, 西暦 or 和暦) on arbitrary birth_era, birth_year, birth_month and
 * birth_day texts (the input split at NUL bytes; a missing field is "").
 *
 * Invariants: the status and the field it names are in range; an accepted
 * date is a real calendar date from 1900-01-01 to today, its parts agree with
 * its text, it lies inside the era it was read in (birth_era_span), and
 * birth_era_of names that era with that year (or, on a day two eras share,
 * the newer one); read back from canonical texts — the Western year, the era
 * id with its year in the select, the era's letter typed in the box — it
 * gives the same date.
 */
#include "autoconf.h"

#include "birthdate.h"
#include "fuzz.h"

#define TODAY	"2026-12-04"

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The same date read from canonical texts. */
static void
read_back(const struct birth_date *b)
{
	static const char letters[] = "?MTSHR";
	struct birth_date again;
	char		 y[16], m[8], d[8];

	snprintf(m, sizeof(m), "%d", b->month);
	snprintf(d, sizeof(d), "%02d", b->day);
	snprintf(y, sizeof(y), "%04d", b->year);
	FUZZ_ASSERT(birth_parse(NULL, y, m, d, TODAY, &again) == BIRTH_OK);
	FUZZ_ASSERT(strcmp(again.iso, b->iso) == 0);
	if (b->era == BIRTH_SEIREKI)
		return;
	snprintf(y, sizeof(y), "%d", b->era_year);
	FUZZ_ASSERT(birth_parse(birth_era_id(b->era), y, m, d, TODAY, &again) ==
	    BIRTH_OK);
	FUZZ_ASSERT(strcmp(again.iso, b->iso) == 0);
	snprintf(y, sizeof(y), "%c%d", letters[b->era], b->era_year);
	FUZZ_ASSERT(birth_parse("seireki", y, m, d, TODAY, &again) == BIRTH_OK);
	FUZZ_ASSERT(strcmp(again.iso, b->iso) == 0 && again.era == b->era);
}

static void
check(const char *era, const char *year, const char *month, const char *day)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	struct birth_date b;
	const char	*first, *last;
	char		 iso[40];
	int		 st, of, ofy;

	st = birth_parse(era, year, month, day, TODAY, &b);
	FUZZ_ASSERT(st >= BIRTH_OK && st <= BIRTH_ERA_ID);
	FUZZ_ASSERT(b.field >= BIRTH_F_YEAR && b.field <= BIRTH_F_DAY);
	FUZZ_ASSERT(b.era >= BIRTH_SEIREKI && b.era < BIRTH_ERAS);
	if (st != BIRTH_OK)
		return;
	FUZZ_ASSERT(b.year >= 1900 && b.year <= 2026);
	FUZZ_ASSERT(b.month >= 1 && b.month <= 12);
	FUZZ_ASSERT(b.day >= 1 &&
	    b.day <= mdays[b.month - 1] + (b.month == 2 && leap(b.year)));
	snprintf(iso, sizeof(iso), "%04d-%02d-%02d", b.year, b.month, b.day);
	FUZZ_ASSERT(strcmp(iso, b.iso) == 0);
	FUZZ_ASSERT(strcmp(b.iso, "1900-01-01") >= 0 && strcmp(b.iso, TODAY) <= 0);
	if (b.era != BIRTH_SEIREKI) {
		birth_era_span(b.era, &first, &last);
		FUZZ_ASSERT(strcmp(b.iso, first) >= 0);
		FUZZ_ASSERT(last == NULL || strcmp(b.iso, last) <= 0);
		FUZZ_ASSERT(birth_era_of(b.iso, &of, &ofy) == 0);
		if (of == b.era)
			FUZZ_ASSERT(ofy == b.era_year);
		else {
			/* Only the last day of b.era, shared with the next one. */
			FUZZ_ASSERT(of == b.era + 1 && last != NULL &&
			    strcmp(b.iso, last) == 0);
		}
	}
	read_back(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*v[4];

	fuzz_fields(data, size, v, 4);
	check(v[0], v[1] ? v[1] : "", v[2] ? v[2] : "", v[3] ? v[3] : "");
	/* The same texts with the era from the select only. */
	check(NULL, v[1] ? v[1] : "", v[2] ? v[2] : "1", v[3] ? v[3] : "1");
	fuzz_fields_free(v, 4);
	return 0;
}
