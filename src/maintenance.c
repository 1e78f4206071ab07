/*
 * maintenance.c — the per-insurer maintenance notice on member pages
 * (maintenance.h). One indexed read per page that knows an insurer; the window
 * is compared with the database's clock (NOW(6)), as announcements are, so
 * every kenpod host agrees on when a notice appears and goes.
 */
#include "autoconf.h"
#include "maintenance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "request.h"
#include "util.h"

/* The columns of a notice, times in Japan time ("YYYY-MM-DD HH:MM"). */
#define NOTICE_COLS \
	"SELECT i.name," \
	" DATE_FORMAT(m.starts_at + INTERVAL 9 HOUR, '%Y-%m-%d %H:%i')," \
	" DATE_FORMAT(m.ends_at + INTERVAL 9 HOUR, '%Y-%m-%d %H:%i')," \
	" m.starts_at <= NOW(6), m.message_ja, m.message_en" \
	" FROM insurer_maintenance m JOIN insurers i ON i.id = m.insurer_id"
#define NOTICE_NOW \
	" m.announce_from <= NOW(6) AND m.ends_at > NOW(6)"
#define NCOLS	6

/*
 * A time "YYYY-MM-DD HH:MM" (Japan time) as the page's language writes it:
 * 2026年12月5日 2:00 / 2026-12-05 02:00 JST (L.Maintenance.Time). malloc'd.
 */
static char *
time_text(struct req *r, const char *t)
{
	char		 y[8], mo[4], d[4], h[4], mi[4];
	const char	*vars[] = { "y", y, "m", mo, "d", d, "h", h, "min", mi, NULL };
	int		 ja = strcmp(r->lang, "ja") == 0;

	if (t == NULL || strlen(t) != 16)
		return xstrdup("");
	snprintf(y, sizeof(y), "%.4s", t);
	/* Japanese writes no leading zeros in month, day and hour. */
	snprintf(mo, sizeof(mo), "%.2s", t + 5 + (ja && t[5] == '0'));
	if (ja && t[5] == '0')
		mo[1] = '\0';
	snprintf(d, sizeof(d), "%.2s", t + 8 + (ja && t[8] == '0'));
	if (ja && t[8] == '0')
		d[1] = '\0';
	snprintf(h, sizeof(h), "%.2s", t + 11 + (ja && t[11] == '0'));
	if (ja && t[11] == '0')
		h[1] = '\0';
	snprintf(mi, sizeof(mi), "%.2s", t + 14);
	return req_text_vars(r, "Maintenance.Time", vars);
}

/* Set the notice from a row c[NCOLS] of NOTICE_COLS. */
static void
notice_set(struct req *r, char **c)
{
	char		*from = time_text(r, c[1]), *until = time_text(r, c[2]);
	const char	*vars[] = { "insurer", c[0] != NULL ? c[0] : "",
	    "from", from, "until", until, NULL };
	int		 now = c[3] != NULL && strcmp(c[3], "1") == 0;
	const char	*msg = c[4];

	if (strcmp(r->lang, "en") == 0 && c[5] != NULL && c[5][0] != '\0')
		msg = c[5];
	req_set(r, "Maintenance.State", now ? "now" : "upcoming");
	req_set_text(r, "Maintenance.Text", now ? "Maintenance.Now" :
	    "Maintenance.Upcoming", vars);
	if (msg != NULL && msg[0] != '\0')
		req_set(r, "Maintenance.Message", msg);
	free(from);
	free(until);
}

/* Run the query of one notice (sql with one integer parameter id) and set it. */
static int
show(struct req *r, const char *sql, long long id)
{
	char	*c[NCOLS] = { NULL };
	NEOERR	*err;
	int	 st, i;

	if ((err = hdf_remove_tree(r->hdf, "Maintenance")) != STATUS_OK)
		nerr_ignore(&err);
	if (id <= 0)
		return 0;
	st = db_row(c, NCOLS, sql, "i", id);
	if (st < 0) {
		/* The page is worth more than its notice. */
		log_warn("maintenance: notice lookup failed (%d)", st);
		return 0;
	}
	if (st == 1)
		notice_set(r, c);
	for (i = 0; i < NCOLS; i++)
		free(c[i]);
	return st == 1;
}

int
maintenance_show(struct req *r, long long insurer_id)
{
	return show(r, NOTICE_COLS " WHERE m.insurer_id = ? AND" NOTICE_NOW,
	    insurer_id);
}

int
maintenance_show_account(struct req *r, long long account_id)
{
	return show(r, NOTICE_COLS " JOIN accounts a ON a.insurer_id = m.insurer_id"
	    " WHERE a.id = ? AND" NOTICE_NOW, account_id);
}
