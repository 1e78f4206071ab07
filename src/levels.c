/*
 * levels.c — the table of what each verification level unlocks (see levels.h).
 */
#include "autoconf.h"
#include "levels.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "request.h"

/* The column keys of L.Levels.Col.<key>. */
static const char *const cols[LEVELS_NCOLS] = {
	"None", "Insurer", "Identity", "Sensitive", "Unaffiliated",
};

/* The seed's groups, L.Levels.Group.<key>. */
static const char *const groups[] = {
	"Before", "Basic", "Option", "Sensitive",
};
#define NGROUPS	(sizeof(groups) / sizeof(groups[0]))
#define SENSITIVE_GROUP	3	/* "Sensitive": the features of level 3 */

/*
 * One row of the seed's table: group, L.Levels.Row.<key>, a mark per column
 * ('o' ○ available, 'p' △ in part, 'x' × not available) and per column an
 * optional note: "1".."4" a footnote ※n, anything else L.Levels.Cell.<note>.
 */
static const struct row {
	unsigned	 group;
	const char	*key;
	const char	 marks[LEVELS_NCOLS + 1];
	const char	*notes[LEVELS_NCOLS];
} rows[] = {
	{ 0, "Signup",		"ooooo", { NULL } },
	{ 1, "Articles",	"xooox", { NULL } },
	{ 1, "News",		"xooop", { NULL, NULL, NULL, NULL, "OperatorNews" } },
	{ 1, "InsurerLinks",	"xooox", { NULL } },
	{ 1, "Coins",		"xpoox", { NULL, "SaveOnly", "1", "1", NULL } },
	{ 1, "Body",		"xoooo", { NULL } },
	{ 1, "Weather",		"xooox", { NULL } },
	{ 1, "Actions",		"xooox", { NULL, "2", "2", "2", NULL } },
	{ 1, "Missions",	"xooox", { NULL } },
	{ 2, "Points",		"xpoox", { NULL, "SaveOnly", "3", "3", NULL } },
	{ 2, "Walk",		"xxoox", { NULL, NULL, "4", "4", NULL } },
	{ 3, "Checkup",		"xxxox", { NULL } },
	{ 3, "Medicine",	"xxxox", { NULL } },
	{ 3, "MedicalCost",	"xxxox", { NULL } },
};
#define NROWS	(sizeof(rows) / sizeof(rows[0]))
#define NFOOTNOTES	4

int
levels_column(int level, int unaffiliated)
{
	if (unaffiliated)
		return LEVELS_COL_UNAFFILIATED;
	if (level <= 0)
		return LEVELS_COL_NONE;
	return level >= LEVELS_COL_SENSITIVE ? LEVELS_COL_SENSITIVE : level;
}

/* key = the text L.<text> with {service} = Service.Name. */
static void
set_text(struct req *r, const char *key, const char *text)
{
	const char	*vars[] = { "service", config_str("Service.Name"), NULL };

	req_set_text(r, key, text, vars);
}

/* The cells of row i (group row gr) as Levels.Groups.<g>.Rows.<gr>.Cells.*. */
static void
set_cells(struct req *r, size_t i, unsigned gr, int own, int sensitive)
{
	const struct row *w = &rows[i];
	char		 base[80], key[128], text[64];
	const char	*mark;
	int		 c;

	for (c = 0; c < LEVELS_NCOLS; c++) {
		if (c == LEVELS_COL_SENSITIVE && !sensitive)
			continue;
		snprintf(base, sizeof(base), "Levels.Groups.%u.Rows.%u.Cells.%d",
		    w->group, gr, c);
		mark = w->marks[c] == 'o' ? "yes" : w->marks[c] == 'p' ?
		    "partial" : "no";
		snprintf(key, sizeof(key), "%s.Mark", base);
		req_set(r, key, mark);
		snprintf(key, sizeof(key), "%s.MarkText", base);
		snprintf(text, sizeof(text), "Levels.Mark.%s", mark);
		req_set(r, key, req_text(r, text));
		if (w->notes[c] != NULL && w->notes[c][0] >= '1' &&
		    w->notes[c][0] <= '9' && w->notes[c][1] == '\0') {
			snprintf(key, sizeof(key), "%s.Fn", base);
			req_set(r, key, w->notes[c]);
		} else if (w->notes[c] != NULL) {
			snprintf(key, sizeof(key), "%s.Note", base);
			snprintf(text, sizeof(text), "Levels.Cell.%s", w->notes[c]);
			set_text(r, key, text);
		}
		if (c == own) {
			snprintf(key, sizeof(key), "%s.Own", base);
			req_set(r, key, "1");
		}
	}
}

void
levels_table(struct req *r, int own)
{
	levels_table_for(r, own, 1);
}

void
levels_table_for(struct req *r, int own, int sensitive)
{
	char		 key[96], text[64];
	unsigned	 g, per_group[NGROUPS] = { 0 };
	size_t		 i;
	int		 c;

	if (own < 0 || own >= LEVELS_NCOLS)
		own = -1;
	if (!sensitive)
		req_set(r, "Levels.NoSensitive", "1");
	/* The group rows span the feature column and the level columns. */
	req_set_int(r, "Levels.GroupSpan", sensitive ? LEVELS_NCOLS + 1 : LEVELS_NCOLS);
	for (c = 0; c < LEVELS_NCOLS; c++) {
		if (c == LEVELS_COL_SENSITIVE && !sensitive)
			continue;
		snprintf(key, sizeof(key), "Levels.Cols.%d.Name", c);
		snprintf(text, sizeof(text), "Levels.Col.%s", cols[c]);
		req_set(r, key, req_text(r, text));
		if (c == own) {
			snprintf(key, sizeof(key), "Levels.Cols.%d.Own", c);
			req_set(r, key, "1");
			req_set_int(r, "Levels.Own", c);
			req_set(r, "Levels.OwnName", req_text(r, text));
		}
	}
	for (g = 0; g < NGROUPS; g++) {
		if (g == SENSITIVE_GROUP && !sensitive)
			continue;
		snprintf(key, sizeof(key), "Levels.Groups.%u.Name", g);
		snprintf(text, sizeof(text), "Levels.Group.%s", groups[g]);
		req_set(r, key, req_text(r, text));
	}
	for (i = 0; i < NROWS; i++) {
		g = rows[i].group;
		if (g == SENSITIVE_GROUP && !sensitive)
			continue;
		snprintf(key, sizeof(key), "Levels.Groups.%u.Rows.%u.Name", g,
		    per_group[g]);
		snprintf(text, sizeof(text), "Levels.Row.%s", rows[i].key);
		set_text(r, key, text);
		set_cells(r, i, per_group[g], own, sensitive);
		per_group[g]++;
	}
	set_text(r, "Levels.UnaffiliatedText", "Levels.Unaffiliated.Text");
	set_text(r, "Levels.LeadText", "Levels.Help.Lead");
	for (c = 1; c <= NFOOTNOTES; c++) {
		snprintf(key, sizeof(key), "Levels.Notes.%d", c);
		snprintf(text, sizeof(text), "Levels.Fn.%d", c);
		set_text(r, key, text);
	}
}
