/*
 * review.h — the staff side of eKYC (issue 12 item 3): the review queue, one
 * verification as a reviewer sees it, the decision, and the images.
 *
 * Used by the console's pages (src/pages/staff_review*.c, staff_image.c) and
 * by `kenpoctl review` (src/kenpoctl/review.c): the same functions, so a
 * decision from a shell does exactly what one from the console does.
 *
 * A decision (review_decide) is one transaction: the verification's status,
 * decided_at, decided_by (staff id; NULL from kenpoctl), reason and note;
 * on approval accounts.level = 3, purge_after = now + Verify.RetentionDays and
 * the attempt's secret question installed (failures 0, the lock cleared); on
 * rejection purge_after likewise (the images are evidence for the same
 * time, then go); the audit row (review.approve / review.reject, with the
 * staff id) and the member's mail (verification_approved / _rejected, in her
 * language, Japanese first) in the outbox.
 */
#ifndef KENPO_REVIEW_H
#define KENPO_REVIEW_H

#include <stddef.h>

/* The shots, in the order a reviewer reads them. */
extern const char *const review_shots[5];
/* The reasons a rejection may give (L.Staff.Review.Reason.<key>). */
extern const char *const review_reasons[8];

/* 1 when s is one of review_shots / review_reasons. */
int	 review_shot_ok(const char *s);
int	 review_reason_ok(const char *s);

struct review_item {
	long long	 id;
	long long	 account_id;
	char		*status;	/* draft|submitted|approved|rejected|cancelled */
	char		*method;
	char		*document;	/* license|mynumber|history|residence or NULL */
	int		 remarks;
	char		*face_angle;
	char		*submitted_at;	/* "YYYY-MM-DD HH:MM" Japan time, or NULL */
	char		*decided_at;
	long long	 decided_by;	/* 0: none or kenpoctl */
	char		*reason;
	char		*note;
	char		*name_kana;	/* the roster person, NULL if unbound */
	char		*birthdate;	/* YYYY-MM-DD */
	char		*insurer;	/* insurer name */
	unsigned	 shots;		/* bit i: review_shots[i] is stored */
	int		 purged;
};

/*
 * The verifications of status (NULL: submitted), oldest submitted first, at most
 * limit. *items malloc'd (review_items_free). Returns the count or a db_status.
 */
long long review_list(const char *status, long long limit, struct review_item **items);
void	 review_items_free(struct review_item *items, long long n);
/* One verification. 1 found, 0 none, or a db_status. */
int	 review_show(long long id, struct review_item *it);
void	 review_item_free(struct review_item *it);

enum review_result {
	REVIEW_DONE = 1,
	REVIEW_NOT_FOUND = 0,
	REVIEW_NOT_PENDING = 2,		/* not submitted (decided already, a draft) */
	REVIEW_INELIGIBLE = 3,		/* approve: the account is no longer active,
					 * bound to its roster person and affiliated
					 * (withdrawn, 未所属, erased): reject it */
};
/*
 * Decide verification id: approve (reason and note NULL) or reject with
 * reason (review_reason_ok) and note (may be NULL). staff_id 0: kenpoctl.
 * ip may be NULL. Returns an enum review_result or a db_status.
 */
int	 review_decide(long long id, int approve, const char *reason, const char *note,
	    long long staff_id, const char *ip);

/*
 * The JPEG of shot of verification id, opened by the vault (context
 * "image:<id>:<shot>"), the view recorded in image_views (staff_id 0:
 * kenpoctl, stored NULL) and audited review.image_view before the image is
 * opened. 1 (*jpeg malloc'd: vault_free_plain), 0 no such image (purged,
 * never taken, or the attempt still a draft: her photos are hers until she
 * confirms), -1 it does not open (logged), or a db_status.
 */
int	 review_image(long long id, const char *shot, long long staff_id, const char *ip,
	    unsigned char **jpeg, size_t *len);

#endif
