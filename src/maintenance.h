/*
 * maintenance.h — per-insurer maintenance notices (issue 10 item 6; table
 * insurer_maintenance, sql/0011_maintenance.sql; set by `kenpoctl insurer
 * maintenance`).
 *
 * An insurer has at most one window: announced from announce_from, under way
 * from starts_at until ends_at. The pages that know the member's insurer call
 * maintenance_show with it: /login (entry link), the signup pages (entry link,
 * or the insurer of step 3) and /top. The notice is information only: nothing
 * is refused during the window. The layout shows it above the page's content.
 */
#ifndef KENPO_MAINTENANCE_H
#define KENPO_MAINTENANCE_H

struct req;

/* The longest operator message (characters), as insurer_maintenance.message_*. */
#define MAINTENANCE_MESSAGE_MAX	500

/*
 * Set the page data of insurer_id's maintenance notice when its window is
 * announced or under way now: Maintenance.State ("upcoming" or "now"),
 * Maintenance.Text (the standard sentence with the insurer's name and the times
 * in Japan time, in the page's language) and Maintenance.Message (the
 * operator's words, English falling back to Japanese; absent when none). Any
 * earlier Maintenance.* data is removed first. insurer_id 0 does nothing.
 * A database failure is logged and shows nothing (a notice is never worth an
 * error page). Returns 1 when a notice is set, else 0.
 */
int	 maintenance_show(struct req *, long long insurer_id);
/* The same for the insurer of account account_id (accounts.insurer_id). */
int	 maintenance_show_account(struct req *, long long account_id);

#endif
