/*
 * levels.h — what each verification level unlocks (SPEC §5): the seed's ○/×/△
 * table (seed 001 p.11), shown on the member top page (src/pages/top.c) and
 * on the public help page /help/levels (src/pages/help_levels.c) through
 * templates/levels_table.cs.
 *
 * The columns are the seed's: 未認証, 団体ID認証, 本人確認（団体個人認証）,
 * 健診・医療アクセス認証（機微情報認証）, 未所属認証; the rows its features in
 * its four groups, with its footnotes ※1–※4. The texts are in
 * templates/lang/<lang>/levels.hdf (L.Levels.*); "kencom" of the seed is the
 * configured Service.Name.
 */
#ifndef KENPO_LEVELS_H
#define KENPO_LEVELS_H

struct req;

enum levels_col {
	LEVELS_COL_NONE = 0,		/* 未認証: not registered yet */
	LEVELS_COL_INSURER = 1,		/* 団体ID認証: insurer number known (level 1) */
	LEVELS_COL_IDENTITY = 2,	/* 本人確認: roster person bound (level 2) */
	LEVELS_COL_SENSITIVE = 3,	/* 健診・医療アクセス認証 (level 3) */
	LEVELS_COL_UNAFFILIATED = 4,	/* 未所属: qualification lost */
	LEVELS_NCOLS = 5
};

/* The column of a member: accounts.level (0..3), or 未所属 when unaffiliated. */
int	 levels_column(int level, int unaffiliated);

/*
 * Set the table as page data: Levels.Cols.<c>.{Name,Own}, Levels.Groups.<g>.
 * {Name,Rows.<r>.{Name,Cells.<c>.{Mark,MarkText,Note,Fn,Own}}},
 * Levels.Notes.<n> (the footnotes, n = 1..4), Levels.UnaffiliatedText and
 * Levels.LeadText (texts naming the service), and, when own is a column
 * (0..LEVELS_NCOLS-1; -1: nobody's), Levels.Own and Levels.OwnName.
 */
void	 levels_table(struct req *, int own);
/*
 * levels_table, with sensitive 0 for a member whose insurer does not link
 * health data (seed p.17 note: 健診・医療アクセス認証 is not shown to them):
 * then the table has neither the 健診・医療アクセス認証 column nor its group
 * of rows, and Levels.NoSensitive is set (the notes under the table do not
 * name that level either). levels_table(r, own) is levels_table_for(r, own, 1).
 */
void	 levels_table_for(struct req *, int own, int sensitive);

#endif
