/*
 * oidc.h — the parts of the OpenID Connect provider (issue 15, docs/oidc.md)
 * that its endpoints share: the acr values of the verification levels, the
 * registered clients (table oidc_clients, kenpoctl client …), and the pairwise
 * subject identifiers.
 *
 * acr values (DESIGN.md): urn:kenpo:acr:insurer (level 1, 団体ID認証),
 * urn:kenpo:acr:identity (level 2, 本人確認), urn:kenpo:acr:sensitive (level 3,
 * 健診・医療アクセス認証, and a step-up within OIDC.MaxAge.Sensitive).
 */
#ifndef KENPO_OIDC_H
#define KENPO_OIDC_H

#define OIDC_ACR_INSURER	"urn:kenpo:acr:insurer"
#define OIDC_ACR_IDENTITY	"urn:kenpo:acr:identity"
#define OIDC_ACR_SENSITIVE	"urn:kenpo:acr:sensitive"

#define OIDC_SUB_LEN		43	/* base64url of 32 bytes */

/* The acr value of level 1..3, or NULL for any other. */
const char	*oidc_acr_name(int level);
/* The level (1..3) of an acr value, or 0 for one we do not know. */
int		 oidc_acr_level(const char *acr);

struct oidc_client {
	long long	 id;		/* oidc_clients.id */
	char		*client_id;
	char		*name;
	int		 public;	/* 1: no secret; PKCE S256 required */
	char		*secret_hash;	/* hex HMAC (see oidc_secret_hash); NULL if public */
	int		 min_level;	/* from min_acr: 1..3 (NULL min_acr: 1) */
};

/*
 * Load the client named client_id (not deleted) into *c. 1 found, 0 unknown
 * (or malformed client_id: nothing is queried), or a db_status.
 * Free with oidc_client_free.
 */
int		 oidc_client_load(const char *client_id, struct oidc_client *c);
void		 oidc_client_free(struct oidc_client *);
/*
 * 1 when uri is registered for client c as kind "login" (redirect_uri) or
 * "logout" (post_logout_redirect_uri), compared byte for byte; 0 when not, or
 * a db_status.
 */
int		 oidc_client_uri_ok(const struct oidc_client *c, const char *kind,
		    const char *uri);
/*
 * The stored form of a client secret: hex HMAC-SHA256(Security.Secret,
 * "client-secret|" secret) into out. 0, or -1 (logged) on failure.
 */
int		 oidc_secret_hash(const char *secret, char out[65]);
/*
 * The pairwise subject identifier of account_id for client_id (base64url of
 * HMAC-SHA256(Security.Secret, "oidc-sub|" client_id "|" account_id)): stable
 * for one member at one client, unrelated between clients. out holds
 * OIDC_SUB_LEN + 1 bytes. 0, or -1 (logged).
 */
int		 oidc_subject(const char *client_id, long long account_id,
		    char out[OIDC_SUB_LEN + 1]);

#endif
