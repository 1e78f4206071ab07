/*
 * passkey.h — members' passkeys in the database (sql/0022_passkeys.sql):
 * challenges, credentials, the user handle, and the JSON answers of the
 * ceremony endpoints (src/pages/passkey_*.c). The WebAuthn checks themselves
 * are in webauthn.h; the policy is in docs/mfa.md "Passkeys".
 */
#ifndef KENPO_PASSKEY_H
#define KENPO_PASSKEY_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "webauthn.h"

struct req;

#define PASSKEY_CHALLENGE_SECONDS	300
#define PASSKEY_NAME_MAX		64	/* characters */
#define PASSKEY_USER_LEN		32
#define PASSKEY_LOGIN_COOKIE		"pkl"
/* Failed passkey logins of one client address in PASSKEY_LOGIN_WINDOW
 * seconds after which its logins (options and finish) answer 429. */
#define PASSKEY_LOGIN_FAILS		20
#define PASSKEY_LOGIN_WINDOW		900

/* A stored credential. */
struct passkey {
	long long	 id;
	long long	 account_id;
	int		 alg;
	unsigned char	 pk[WEBAUTHN_PK_MAX];
	size_t		 pk_len;
	uint32_t	 sign_count;
	unsigned char	 user[PASSKEY_USER_LEN];	/* the account's user handle */
	int		 has_user;
	char		 name[PASSKEY_NAME_MAX * 4 + 1];
};

/*
 * A new challenge of purpose ("register", "login", "stepup") bound to
 * session_hash (a session's id_hash) or browser_hash (the SHA-256 hex of the
 * login cookie), for account_id (0: none); out gets its 32 bytes (only their
 * SHA-256 is stored). 0 or a db_status.
 */
int	 passkey_challenge_new(const char *purpose, const char *session_hash,
	    const char *browser_hash, long long account_id,
	    unsigned char out[WEBAUTHN_CHALLENGE_LEN]);
/*
 * Use the challenge named in clientDataJSON (its "challenge" member) once:
 * it must be of purpose, bound as given (session_hash or browser_hash; the
 * other NULL), for account_id when not 0, unused and unexpired. Marks it used
 * whatever follows. 1 taken (ch gets its bytes), 0 no such live challenge (or
 * clientDataJSON has none), or a db_status.
 */
int	 passkey_challenge_take(const unsigned char *cdj, size_t cdjlen,
	    const char *purpose, const char *session_hash,
	    const char *browser_hash, long long account_id,
	    unsigned char ch[WEBAUTHN_CHALLENGE_LEN]);
/* Delete challenges expired for a day (the daily job). Rows or db_status. */
long long passkey_challenge_prune(void);

/* The account's user handle, made on first use. 0 or a db_status. */
int	 passkey_user_handle(long long account_id,
	    unsigned char out[PASSKEY_USER_LEN]);
/* The credential whose id is cred (len bytes). 1 found, 0 not, or db_status. */
int	 passkey_find(const unsigned char *cred, size_t len, struct passkey *pk);
/* The number of the account's passkeys, or a db_status. */
long long passkey_count(long long account_id);
/*
 * Set the account's passkeys as template data <prefix>.<n>.Id, .Name,
 * .Created, .LastUsed (Japan time "YYYY-MM-DD HH:MM"; "" never), .Synced (1
 * when backed up). Returns the number set or a db_status.
 */
int	 passkey_list_set(struct req *, long long account_id, const char *prefix);
/* A JSON array of {"type":"public-key","id":b64url} of the account's
 * passkeys (excludeCredentials / allowCredentials), or NULL (db error). */
json_t	*passkey_descriptors(long long account_id);

/* Inside db_txn: delete the account's passkeys. Rows or a db_status. */
long long passkey_delete_all(long long account_id);

/*
 * The JSON answer of a ceremony endpoint: status (200, 400, 403, 429…), the
 * object o (stolen) as the body. Returns REQ_RAW.
 */
int	 passkey_json(struct req *, int status, json_t *o);
/* {"error": code} with status. Returns REQ_RAW. */
int	 passkey_json_error(struct req *, int status, const char *code);
/* The request's JSON body as an object, or NULL (logged). */
json_t	*passkey_body(struct req *);
/*
 * Member s of o decoded from base64url into out (at most cap bytes): the
 * length, or -1 when missing, not a string or not base64url.
 */
long	 passkey_b64_member(json_t *o, const char *s, unsigned char *out,
	    size_t cap);
/* base64url of n bytes as a JSON string (new reference). */
json_t	*passkey_b64_json(const unsigned char *b, size_t n);

/* What passkey_assert says of an assertion. */
enum passkey_verdict {
	PK_OK = 0,
	PK_MALFORMED = 1,	/* not a WebAuthn assertion at all: 400 */
	PK_FAILED = 2,		/* refused (the log line says why; the member
				   is told nothing more than that) */
	PK_CLONE = 3,		/* signature counter went back: refused */
};
/*
 * Check the assertion in body (a PublicKeyCredential as passkey.js posts
 * it) for a challenge of purpose bound to session_hash or browser_hash:
 * the challenge (used up here), clientDataJSON (webauthn.get, our origin),
 * the credential (known; of account_id when not 0; its user handle, which
 * must be sent when need_handle), the authenticator data (our RP ID, UP,
 * UV, no attested data), the signature (libfido2) and the counter. On PK_OK
 * the credential's counter, backup state and last use are stored and pk is
 * the credential. On PK_CLONE, pk is the credential (the caller audits and
 * mails). Returns an enum passkey_verdict or a db_status.
 */
int	 passkey_assert(struct req *, json_t *body, const char *purpose,
	    const char *session_hash, const char *browser_hash,
	    long long account_id, int need_handle, struct passkey *pk);
/*
 * Inside db_txn or not: queue the mail name (passkey_added, passkey_removed,
 * passkey_clone) to the account's owner about the passkey called pkname.
 * 0 or a db_status.
 */
int	 passkey_mail(long long account_id, const char *name, const char *pkname);

#endif
