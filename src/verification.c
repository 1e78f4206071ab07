/*
 * verification.c — the member side of 健診・医療アクセス認証 (see verification.h).
 */
#include "autoconf.h"
#include "verification.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "image.h"
#include "log.h"
#include "normalize.h"
#include "util.h"
#include "vault.h"

static const char *const shots[VERIFY_NSHOTS] = {
	"doc_front", "doc_back", "doc_angle", "face_front", "face_angle",
};

/* The second face shot's angles (seed p.31: 「右向きで口を閉じる」…). */
const char *const verification_angles[] = {
	"right_closed", "left_open", "right_open", "left_closed", "up_closed",
	"down_open", NULL,
};

static const char *const documents[] = {
	"license", "mynumber", "history", "residence", NULL,
};

const char *
verification_shot_name(int i)
{
	return i >= 0 && i < VERIFY_NSHOTS ? shots[i] : NULL;
}

int
verification_shot_index(const char *name)
{
	int	 i;

	for (i = 0; name != NULL && i < VERIFY_NSHOTS; i++)
		if (strcmp(shots[i], name) == 0)
			return i;
	return -1;
}

int
verification_document_ok(const char *document)
{
	size_t	 i;

	for (i = 0; document != NULL && documents[i] != NULL; i++)
		if (strcmp(documents[i], document) == 0)
			return 1;
	return 0;
}

int
verification_document_has_back(const char *document)
{
	/* The マイナンバーカード's back carries the individual number. */
	return verification_document_ok(document) &&
	    strcmp(document, "mynumber") != 0;
}

int
verification_shot_applies(const struct verification *v, int i)
{
	if (i < 0 || i >= VERIFY_NSHOTS)
		return 0;
	if (i == 1)
		return verification_document_has_back(v->document);
	return 1;
}

int
verification_shot_needed(const struct verification *v, int i)
{
	if (!verification_shot_applies(v, i))
		return 0;
	return i != 1 || v->remarks;
}

int
verification_next_shot(const struct verification *v)
{
	int	 i;

	for (i = 0; i < VERIFY_NSHOTS; i++)
		if (verification_shot_needed(v, i) && !(v->have & (1u << i)))
			return i;
	return -1;
}

void
verification_free(struct verification *v)
{
	free(v->q_text);
	free(v->reason);
	free(v->note);
	memset(v, 0, sizeof(*v));
}

/* Copy src (may be NULL) into dst[size]. */
static void
copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src != NULL ? src : "");
}

int
verification_current(long long account_id, struct verification *v)
{
	struct db_res	*res = NULL;
	const char	*s;
	int		 st, i;

	memset(v, 0, sizeof(*v));
	st = db_query(&res, "SELECT id, status, document, remarks, face_angle,"
	    " q_preset, q_answer_hash IS NOT NULL, q_text, reason, note,"
	    " DATE_FORMAT(decided_at, '%Y-%m-%d %H:%i:%s')"
	    " FROM verifications WHERE account_id = ? AND status <> 'cancelled'"
	    " ORDER BY id DESC LIMIT 1", "i", account_id);
	if (st < 0)
		return st;
	if ((st = db_res_next(res)) <= 0)
		goto out;
	v->id = db_res_int(res, 0);
	copy(v->status, sizeof(v->status), db_res_str(res, 1));
	copy(v->document, sizeof(v->document), db_res_str(res, 2));
	v->remarks = db_res_int(res, 3) != 0;
	copy(v->face_angle, sizeof(v->face_angle), db_res_str(res, 4));
	v->q_preset = (int)db_res_int(res, 5);
	/* An approved attempt's hash moved to secret_questions. */
	v->q_set = db_res_int(res, 6) != 0;
	if ((s = db_res_str(res, 7)) != NULL)
		v->q_text = xstrdup(s);
	if ((s = db_res_str(res, 8)) != NULL)
		v->reason = xstrdup(s);
	if ((s = db_res_str(res, 9)) != NULL)
		v->note = xstrdup(s);
	copy(v->decided_at, sizeof(v->decided_at), db_res_str(res, 10));
	db_res_free(res);
	res = NULL;
	st = db_query(&res, "SELECT shot FROM verification_images"
	    " WHERE verification_id = ?", "i", v->id);
	if (st < 0)
		return st;
	while ((st = db_res_next(res)) > 0)
		if ((i = verification_shot_index(db_res_str(res, 0))) >= 0)
			v->have |= 1u << i;
	if (st == 0)
		st = 1;
 out:
	db_res_free(res);
	return st;
}

struct start {
	long long	 account_id;
	const char	*document;
	const char	*angle;
	long long	 vid;
	int		 cancelled;
};

/* In db_txn: cancel the older drafts (their images deleted), insert the new. */
static int
start_fn(void *arg)
{
	struct start	*s = arg;
	long long	 n;

	s->vid = 0;
	n = db_exec("DELETE vi FROM verification_images vi JOIN verifications v"
	    " ON v.id = vi.verification_id WHERE v.account_id = ?"
	    " AND v.status = 'draft'", "i", s->account_id);
	if (n < 0)
		return (int)n;
	n = db_exec("UPDATE verifications SET status = 'cancelled',"
	    " q_answer_hash = NULL, purged_at = NOW(6)"
	    " WHERE account_id = ? AND status = 'draft'", "i", s->account_id);
	if (n < 0)
		return (int)n;
	s->cancelled = n > 0;
	n = db_exec("INSERT INTO verifications (account_id, method, document,"
	    " face_angle, status, purge_after) VALUES (?, 'photo_review', ?, ?,"
	    " 'draft', NOW(6) + INTERVAL ? HOUR)", "issi", s->account_id,
	    s->document, s->angle, config_int("Verify.DraftHours"));
	if (n < 0)
		return (int)n;
	s->vid = db_last_id();
	return 0;
}

int
verification_start(struct req *r, long long account_id, const char *document,
    long long *vid)
{
	struct start	 s;
	unsigned	 nangles;
	int		 st;

	for (nangles = 0; verification_angles[nangles] != NULL; nangles++)
		;
	memset(&s, 0, sizeof(s));
	s.account_id = account_id;
	s.document = document;
	s.angle = verification_angles[crypto_random_uniform(nangles)];
	if ((st = db_txn(start_fn, &s)) < 0)
		return st;
	if (s.cancelled)
		audit(r, "verify.cancel", account_id);
	audit(r, "verify.draft", account_id);
	*vid = s.vid;
	return 0;
}

struct put {
	long long	 account_id, vid;
	int		 shot;
	struct vault_box *box;
	unsigned	 width, height;
	int		 found;
};

/* In db_txn: the draft is still the account's; store (or replace) the shot. */
static int
put_fn(void *arg)
{
	struct put	*p = arg;
	struct verification v;
	long long	 n;
	int		 st;

	p->found = 0;
	if ((st = verification_current(p->account_id, &v)) < 0)
		return st;
	if (st == 0 || v.id != p->vid || strcmp(v.status, "draft") != 0 ||
	    !verification_shot_applies(&v, p->shot)) {
		verification_free(&v);
		return 0;
	}
	verification_free(&v);
	n = db_exec("REPLACE INTO verification_images (verification_id, shot,"
	    " key_id, wrapped_key, sealed, width, height) VALUES (?, ?, ?, ?, ?,"
	    " ?, ?)", "issbbii", p->vid, shots[p->shot], p->box->key_id,
	    p->box->wrapped, (size_t)VAULT_WRAPPED_LEN, p->box->sealed,
	    p->box->sealed_len, (long long)p->width, (long long)p->height);
	if (n < 0)
		return (int)n;
	if (p->shot == 1 && (n = db_exec("UPDATE verifications SET remarks = 1"
	    " WHERE id = ?", "i", p->vid)) < 0)
		return (int)n;
	p->found = 1;
	return 0;
}

int
verification_put_image(struct req *r, long long account_id, long long vid,
    const char *shot, const unsigned char *data, size_t len, const char **errkey)
{
	struct vault_box box;
	struct put	 p;
	enum image_result ir;
	unsigned char	*jpeg = NULL;
	size_t		 jpeg_len = 0;
	char		 ctx[64];
	int		 st;

	memset(&box, 0, sizeof(box));
	memset(&p, 0, sizeof(p));
	*errkey = NULL;
	if ((p.shot = verification_shot_index(shot)) < 0)
		return 2;
	ir = image_normalise(data, len, &jpeg, &jpeg_len, &p.width, &p.height);
	if (ir != IMAGE_OK) {
		*errkey = image_result_key(ir);
		log_info("verify: shot %s refused: %s", shot, *errkey);
		audit(r, "verify.image_refused", account_id);
		return 1;
	}
	snprintf(ctx, sizeof(ctx), "image:%lld:%s", vid, shot);
	if (vault_seal(jpeg, jpeg_len, ctx, &box) != 0) {
		st = VERIFY_SEAL_FAILED;
		goto out;
	}
	p.account_id = account_id;
	p.vid = vid;
	p.box = &box;
	if ((st = db_txn(put_fn, &p)) < 0)
		goto out;
	if (!p.found) {
		st = 2;
		goto out;
	}
	audit(r, "verify.image", account_id);
	st = 0;
 out:
	if (jpeg != NULL)
		vault_free_plain(jpeg, jpeg_len);
	vault_box_free(&box);
	return st;
}

int
verification_set_remarks(struct req *r, long long account_id, long long vid,
    int remarks)
{
	long long	 n;

	n = db_exec("UPDATE verifications SET remarks = ? WHERE id = ?"
	    " AND account_id = ? AND status = 'draft'", "iii",
	    (long long)(remarks != 0), vid, account_id);
	if (n < 0)
		return (int)n;
	if (!remarks && (n = db_exec("DELETE vi FROM verification_images vi"
	    " JOIN verifications v ON v.id = vi.verification_id"
	    " WHERE v.id = ? AND v.account_id = ? AND v.status = 'draft'"
	    " AND vi.shot = 'doc_back'", "ii", vid, account_id)) < 0)
		return (int)n;
	audit(r, "verify.remarks", account_id);
	return 1;
}

int
verification_set_question(struct req *r, long long account_id, long long vid,
    int preset, const char *text, const char *answer)
{
	char		*norm = NULL, *hash = NULL;
	long long	 n;
	int		 st;

	if ((norm = normalize_answer(answer)) == NULL)
		return 0;
	errno = 0;
	hash = crypto_password_hash(norm);
	if (hash == NULL) {
		st = errno == EAGAIN ? VERIFY_HASH_BUSY : VERIFY_HASH_FAILED;
		goto out;
	}
	n = db_exec("UPDATE verifications SET q_preset = NULLIF(?, 0), q_text = ?,"
	    " q_answer_hash = ? WHERE id = ? AND account_id = ?"
	    " AND status = 'draft'", "issii", (long long)preset, text, hash,
	    vid, account_id);
	if (n < 0) {
		st = (int)n;
		goto out;
	}
	/* 0 rows: the same values again, or no such draft. */
	st = 1;
	if (n == 0 && (st = db_int(&n, "SELECT COUNT(*) FROM verifications"
	    " WHERE id = ? AND account_id = ? AND status = 'draft'", "ii", vid,
	    account_id)) >= 0)
		st = n > 0;
	if (st == 1)
		audit(r, "verify.question", account_id);
 out:
	util_free_secret(norm);
	free(hash);
	return st;
}

struct submit {
	long long	 account_id, vid;
	int		 ok;
};

/* In db_txn: the draft is complete: submitted. */
static int
submit_fn(void *arg)
{
	struct submit	*s = arg;
	struct verification v;
	long long	 n;
	int		 st;

	s->ok = 0;
	if ((st = verification_current(s->account_id, &v)) < 0)
		return st;
	if (st == 1 && v.id == s->vid && strcmp(v.status, "draft") == 0 &&
	    verification_next_shot(&v) < 0 && v.q_set) {
		/* A back not needed (no remarks) is not kept. */
		n = db_exec("UPDATE verifications SET status = 'submitted',"
		    " submitted_at = NOW(6), purge_after = NULL WHERE id = ?"
		    " AND status = 'draft'", "i", s->vid);
		if (n < 0) {
			verification_free(&v);
			return (int)n;
		}
		s->ok = n == 1;
	}
	verification_free(&v);
	return 0;
}

int
verification_submit(struct req *r, long long account_id, long long vid)
{
	struct submit	 s;
	int		 st;

	memset(&s, 0, sizeof(s));
	s.account_id = account_id;
	s.vid = vid;
	if ((st = db_txn(submit_fn, &s)) < 0)
		return st;
	if (s.ok)
		audit(r, "verify.submit", account_id);
	return s.ok;
}

int
verification_preview(long long account_id, const char *shot,
    unsigned char **jpeg, size_t *len)
{
	struct db_res	*res = NULL;
	char		 ctx[64];
	long long	 vid;
	int		 st;

	*jpeg = NULL;
	*len = 0;
	if (verification_shot_index(shot) < 0)
		return 0;
	st = db_query(&res, "SELECT vi.verification_id, vi.key_id,"
	    " vi.wrapped_key, vi.sealed FROM verification_images vi"
	    " JOIN verifications v ON v.id = vi.verification_id"
	    " WHERE v.account_id = ? AND v.status = 'draft' AND vi.shot = ?"
	    " ORDER BY v.id DESC LIMIT 1", "is", account_id, shot);
	if (st < 0)
		return st;
	if ((st = db_res_next(res)) <= 0)
		goto out;
	vid = db_res_int(res, 0);
	snprintf(ctx, sizeof(ctx), "image:%lld:%s", vid, shot);
	if (vault_open(db_res_str(res, 1),
	    (const unsigned char *)db_res_str(res, 2), db_res_len(res, 2),
	    (const unsigned char *)db_res_str(res, 3), db_res_len(res, 3), ctx,
	    jpeg, len) != 0)
		st = VERIFY_SEAL_FAILED;
	else
		st = 1;
 out:
	db_res_free(res);
	return st;
}

int
verification_install_question(long long vid)
{
	long long	 n;

	n = db_exec("INSERT INTO secret_questions (account_id, verification_id,"
	    " preset, question, answer_hash, failures, locked_at)"
	    " SELECT account_id, id, q_preset, COALESCE(q_text, ''),"
	    " q_answer_hash, 0, NULL FROM verifications"
	    " WHERE id = ? AND q_answer_hash IS NOT NULL"
	    " ON DUPLICATE KEY UPDATE verification_id = VALUES(verification_id),"
	    " preset = VALUES(preset), question = VALUES(question),"
	    " answer_hash = VALUES(answer_hash), failures = 0, locked_at = NULL,"
	    " created_at = NOW(6)", "i", vid);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return 0;
	n = db_exec("UPDATE verifications SET q_answer_hash = NULL WHERE id = ?",
	    "i", vid);
	return n < 0 ? (int)n : 1;
}
