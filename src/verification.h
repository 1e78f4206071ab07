/*
 * verification.h — the member side of 健診・医療アクセス認証 (eKYC, level 3;
 * issue 12, seed 001 pp.17–33): the one place that writes verifications,
 * verification_images and the pending secret question from the member side.
 *
 * An attempt (verifications row, method 'photo_review') goes:
 *   draft      verification_start: the document chosen, the face angle picked
 *              at random by the server; an older draft of the account is
 *              cancelled (its images deleted).
 *              verification_put_image: one shot, normalised by kenpo-image
 *              (image.h), sealed by the vault (context "image:<vid>:<shot>")
 *              and stored (replacing a retake).
 *              verification_set_remarks: the 備考欄 has no entry (the back is
 *              not needed; a stored back is deleted).
 *              verification_set_question: a preset or her own question, and the
 *              Argon2id hash of the normalised answer (verification_answer_norm).
 *   submitted  verification_submit: every needed shot and the question present.
 *   approved / rejected by the review (src/review.c, staff helper), whose
 *              approval calls verification_install_question in its transaction.
 * Every step is audited (verify.*) without any content.
 *
 * Shots: doc_front; doc_back only for a document with a back (never for the
 * マイナンバーカード: its back carries the individual number) and only when
 * the member says its 備考欄 has an entry (remarks); doc_angle (the angled shot
 * showing the thickness); face_front; face_angle (the angle of face_angle).
 */
#ifndef KENPO_VERIFICATION_H
#define KENPO_VERIFICATION_H

#include <stddef.h>

struct req;

#define VERIFY_NSHOTS	5

struct verification {
	long long	 id;		/* 0: none */
	char		 status[12];	/* draft|submitted|approved|rejected|cancelled */
	char		 document[12];	/* license|mynumber|history|residence or "" */
	int		 remarks;	/* the 備考欄 has an entry: the back is needed */
	char		 face_angle[32];
	int		 q_preset;	/* 0: none or her own */
	int		 q_set;		/* a draft's answer is set (its hash) */
	char		*q_text;	/* the question (a preset's Japanese text), or NULL */
	char		*reason;	/* rejected: the reason key, or NULL */
	char		*note;		/* rejected: the note, or NULL */
	char		 decided_at[20];/* "YYYY-MM-DD HH:MM:SS" (Japan time) or "" */
	unsigned	 have;		/* bit i: the image of verification_shot_name(i) */
};

/* The shot names in order: doc_front, doc_back, doc_angle, face_front, face_angle. */
const char	*verification_shot_name(int i);
/* The index of shot name, or -1. */
int		 verification_shot_index(const char *name);
/* 1 when document (a key above) is one of the four. */
int		 verification_document_ok(const char *document);
/* 1 when document has a back that may be photographed (not mynumber). */
int		 verification_document_has_back(const char *document);
/* 1 when shot i belongs to v's document at all (doc_back: has a back). */
int		 verification_shot_applies(const struct verification *v, int i);
/* 1 when shot i must be present to submit (doc_back: only with remarks). */
int		 verification_shot_needed(const struct verification *v, int i);
/* The first needed shot without an image, or -1 when all are there. */
int		 verification_next_shot(const struct verification *v);
/* The face angle keys (L.Verify.Angle.<key>), NULL-terminated. */
extern const char *const verification_angles[];
/* Number of preset questions: L.Verify.Preset.1 .. L.Verify.Preset.<n>. */
#define VERIFY_NPRESETS	6

/*
 * The newest attempt of account_id that is not cancelled, into v (free with
 * verification_free). 1 found, 0 none (v->id 0), or a db_status.
 */
int		 verification_current(long long account_id, struct verification *v);
void		 verification_free(struct verification *v);

/*
 * Start a draft for document: cancels the account's older draft (deleting its
 * images), picks the face angle. Audited verify.draft. Returns 0 and *vid, or
 * a db_status.
 */
int		 verification_start(struct req *, long long account_id,
		    const char *document, long long *vid);

/*
 * Normalise (image_normalise), seal and store shot of draft vid of account_id
 * (replacing an earlier one; doc_back also sets remarks). Returns 0 stored,
 * 1 refused by the image check (*errkey: the key under L.Verify.Upload.*),
 * 2 not applicable (no such draft, or the shot does not belong to it), or a
 * db_status; -10 when the vault cannot seal (logged).
 */
#define VERIFY_SEAL_FAILED	(-10)
int		 verification_put_image(struct req *, long long account_id,
		    long long vid, const char *shot, const unsigned char *data,
		    size_t len, const char **errkey);

/* The 備考欄 of draft vid has no entry: remarks 0, any back deleted. 1, 0 no
 * such draft, or a db_status. */
int		 verification_set_remarks(struct req *, long long account_id,
		    long long vid, int remarks);

/*
 * Set the question of draft vid: text, with preset 1..VERIFY_NPRESETS when it
 * is a preset's (its Japanese text) or 0 for her own, and answer (normalize_answer, then Argon2id through
 * the hashing pool: crypto_password_hash). 1 set, 0 no such draft (or an
 * answer that normalises to nothing), VERIFY_HASH_BUSY when the pool is full
 * (nothing stored), VERIFY_HASH_FAILED on another hash failure, or a db_status.
 */
#define VERIFY_HASH_BUSY	(-20)
#define VERIFY_HASH_FAILED	(-21)
int		 verification_set_question(struct req *, long long account_id,
		    long long vid, int preset, const char *text, const char *answer);

/* Submit draft vid: every needed shot and the question must be there.
 * 1 submitted, 0 not complete / no such draft, or a db_status. */
int		 verification_submit(struct req *, long long account_id, long long vid);

/*
 * The JPEG of shot of account_id's current draft (only a draft), opened by
 * the vault. 1 (*jpeg malloc'd, free with vault_free_plain), 0 none, or a
 * db_status; VERIFY_SEAL_FAILED when it does not open.
 */
int		 verification_preview(long long account_id, const char *shot,
		    unsigned char **jpeg, size_t *len);

/*
 * Inside the approval's transaction (src/review.c): make the question set in
 * verification vid the account's secret question (replacing the old one,
 * failures 0, unlocked) and drop the pending hash from the verification.
 * 1 installed, 0 the verification has no question, or a db_status.
 */
int		 verification_install_question(long long vid);

#endif
