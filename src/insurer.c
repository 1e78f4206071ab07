/*
 * insurer.c — insurer numbers, records, card patterns, card keys, allowlist CIDRs.
 */
#include "autoconf.h"
#include "insurer.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "normalize.h"
#include "util.h"

int
insurer_number_valid(const char *s)
{
	int	 i, d, w, sum = 0;

	if (s == NULL || strlen(s) != INSURER_NUMBER_LEN)
		return 0;
	for (i = 0; i < INSURER_NUMBER_LEN; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	/* Digits before the check digit, from the right: weights 2,1,2,1,… */
	for (i = INSURER_NUMBER_LEN - 2, w = 2; i >= 0; i--, w = 3 - w) {
		d = (s[i] - '0') * w;
		sum += d / 10 + d % 10;
	}
	return (10 - sum % 10) % 10 == s[INSURER_NUMBER_LEN - 1] - '0';
}

#define INSURER_COLS \
	"id, number, name, adopted, card_pattern, points_name, terms_url, " \
	"entry_secret, signed_entry_required, insurer_id_only"
#define INSURER_NCOLS	10

/* Move a db_row result into *out (takes ownership of the strings). */
static void
insurer_fill(char **col, struct insurer *out)
{
	out->id = strtoll(col[0], NULL, 10);
	snprintf(out->number, sizeof(out->number), "%s", col[1]);
	out->name = col[2];
	out->adopted = atoi(col[3]);
	out->card_pattern = atoi(col[4]);
	out->points_name = col[5];
	out->terms_url = col[6];
	out->entry_secret = col[7];
	out->signed_entry_required = atoi(col[8]);
	out->insurer_id_only = atoi(col[9]);
	col[2] = col[5] = col[6] = col[7] = NULL;
}

/* Run one insurer lookup; see insurer_find. */
static int
insurer_load(struct insurer *out, const char *sql, const char *types,
    const char *s, long long id)
{
	char	*col[INSURER_NCOLS] = { NULL };
	int	 rc, i;

	memset(out, 0, sizeof(*out));
	if (types[0] == 's')
		rc = db_row(col, INSURER_NCOLS, sql, types, s);
	else
		rc = db_row(col, INSURER_NCOLS, sql, types, id);
	if (rc == 1)
		insurer_fill(col, out);
	for (i = 0; i < INSURER_NCOLS; i++)
		free(col[i]);
	return rc;
}

int
insurer_find(const char *number, struct insurer *out)
{
	if (number == NULL || strlen(number) != INSURER_NUMBER_LEN) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	return insurer_load(out, "SELECT " INSURER_COLS
	    " FROM insurers WHERE number = ?", "s", number, 0);
}

int
insurer_find_id(long long id, struct insurer *out)
{
	return insurer_load(out, "SELECT " INSURER_COLS
	    " FROM insurers WHERE id = ?", "i", NULL, id);
}

void
insurer_free(struct insurer *ins)
{
	if (ins == NULL)
		return;
	free(ins->name);
	free(ins->points_name);
	free(ins->terms_url);
	util_free_secret(ins->entry_secret);
	memset(ins, 0, sizeof(*ins));
}

int
insurer_pattern_fields(int pattern)
{
	switch (pattern) {
	case 1:
		return INSURER_F_NUMBER | INSURER_F_NUMBER2;
	case 2:
		return INSURER_F_NUMBER;
	case 3:
		return INSURER_F_SYMBOL | INSURER_F_SYMBOL2 | INSURER_F_NUMBER;
	case 4:
		return INSURER_F_SYMBOL | INSURER_F_NUMBER;
	}
	return 0;
}

int
insurer_pattern_has_symbol(int pattern)
{
	return (insurer_pattern_fields(pattern) & INSURER_F_SYMBOL) != 0;
}

/* "a-b" as a card prints a hyphenated field; one empty side gives the other. */
static char *
join_boxes(const char *a, const char *b)
{
	if (a == NULL)
		a = "";
	if (b == NULL)
		b = "";
	if (*a == '\0')
		return xstrdup(b);
	if (*b == '\0')
		return xstrdup(a);
	return xasprintf("%s-%s", a, b);
}

int
insurer_card_compose(int pattern, const char *symbol, const char *symbol2,
    const char *number, const char *number2, char **out_symbol,
    char **out_number)
{
	int	 f = insurer_pattern_fields(pattern);

	*out_symbol = *out_number = NULL;
	if (f == 0)
		return -1;
	if (f & INSURER_F_SYMBOL2)
		*out_symbol = join_boxes(symbol, symbol2);
	else if (f & INSURER_F_SYMBOL)
		*out_symbol = xstrdup(symbol != NULL ? symbol : "");
	else
		*out_symbol = xstrdup("");
	if (f & INSURER_F_NUMBER2)
		*out_number = join_boxes(number, number2);
	else
		*out_number = xstrdup(number != NULL ? number : "");
	return 0;
}

int
insurer_card_key(const unsigned char *pepper, size_t pepperlen,
    const char *insurer_number, const char *symbol, const char *number,
    char out[INSURER_CARD_KEY_LEN + 1])
{
	unsigned char	 cfgpepper[128], mac[32];
	char		*ins = NULL, *sym = NULL, *num = NULL, *msg = NULL;
	int		 rc = -1;

	out[0] = '\0';
	if ((ins = normalize_digits(insurer_number)) == NULL ||
	    strlen(ins) != INSURER_NUMBER_LEN)
		goto out;
	if ((sym = normalize_symbol(symbol != NULL ? symbol : "")) == NULL)
		goto out;
	if ((num = normalize_number(number)) == NULL)
		goto out;
	if (pepper == NULL) {
		pepperlen = config_secret("Security.Pepper", cfgpepper,
		    sizeof(cfgpepper));
		pepper = cfgpepper;
	}
	msg = xasprintf("%s|%s|%s", ins, sym, num);
	if (crypto_hmac(pepper, pepperlen, msg, strlen(msg), mac) == -1) {
		log_err("insurer_card_key: HMAC failed");
		goto out;
	}
	util_hex(mac, sizeof(mac), out);
	rc = 0;
out:
	util_wipe(cfgpepper, sizeof(cfgpepper));
	util_wipe(mac, sizeof(mac));
	util_free_secret(msg);
	util_free_secret(sym);
	util_free_secret(num);
	free(ins);
	return rc;
}

/* A parsed address or block: family, 16 bytes (v4 in the first 4), prefix. */
struct cidr {
	int		 af;
	unsigned char	 a[16];
	int		 bits;
};

static const unsigned char v4mapped[12] =
    { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

/* Parse an address (no prefix); with unmap, v4-mapped v6 becomes v4. 0 or -1. */
static int
addr_parse(const char *s, struct cidr *c, int unmap)
{
	memset(c, 0, sizeof(*c));
	if (inet_pton(AF_INET, s, c->a) == 1) {
		c->af = AF_INET;
		c->bits = 32;
		return 0;
	}
	if (inet_pton(AF_INET6, s, c->a) == 1) {
		c->af = AF_INET6;
		c->bits = 128;
		/* ::ffff:a.b.c.d, checked bytewise (c->a is not aligned
		 * for IN6_IS_ADDR_V4MAPPED). */
		if (unmap && memcmp(c->a, v4mapped, sizeof(v4mapped)) == 0) {
			memmove(c->a, c->a + 12, 4);
			memset(c->a + 4, 0, 12);
			c->af = AF_INET;
			c->bits = 32;
		}
		return 0;
	}
	return -1;
}

/* Parse "addr[/bits]" and clear the host bits. 0 or -1. */
static int
cidr_parse(const char *text, struct cidr *c)
{
	char		 addr[INET6_ADDRSTRLEN + 1];
	const char	*slash;
	size_t		 len, i;
	int		 bits = 0, byte;

	if (text == NULL)
		return -1;
	slash = strchr(text, '/');
	len = slash != NULL ? (size_t)(slash - text) : strlen(text);
	if (len == 0 || len >= sizeof(addr))
		return -1;
	memcpy(addr, text, len);
	addr[len] = '\0';
	if (addr_parse(addr, c, 0) == -1)
		return -1;
	if (slash != NULL) {
		/* 1 to 3 plain digits, nothing else. */
		len = strlen(slash + 1);
		if (len == 0 || len > 3)
			return -1;
		for (i = 0; i < len; i++) {
			if (slash[1 + i] < '0' || slash[1 + i] > '9')
				return -1;
			bits = bits * 10 + (slash[1 + i] - '0');
		}
		if (bits > c->bits)
			return -1;
		c->bits = bits;
	}
	for (i = 0; i < 16; i++) {
		byte = c->bits - (int)i * 8;
		if (byte <= 0)
			c->a[i] = 0;
		else if (byte < 8)
			c->a[i] &= (unsigned char)(0xff << (8 - byte));
	}
	return 0;
}

int
insurer_cidr_parse(const char *text, char *canon, size_t canonlen)
{
	struct cidr	 c;
	char		 addr[INET6_ADDRSTRLEN];
	int		 n;

	if (cidr_parse(text, &c) == -1)
		return -1;
	if (inet_ntop(c.af, c.a, addr, sizeof(addr)) == NULL)
		return -1;
	n = snprintf(canon, canonlen, "%s/%d", addr, c.bits);
	if (n < 0 || (size_t)n >= canonlen)
		return -1;
	return 0;
}

/* 1 when the parsed address a lies in the parsed block net. */
static int
cidr_contains(const struct cidr *net, const struct cidr *a)
{
	int		 full, rest;

	if (a->af != net->af)
		return 0;
	full = net->bits / 8;
	rest = net->bits % 8;
	if (memcmp(a->a, net->a, (size_t)full) != 0)
		return 0;
	if (rest != 0 &&
	    ((a->a[full] ^ net->a[full]) & (unsigned char)(0xff << (8 - rest))) != 0)
		return 0;
	return 1;
}

int
insurer_cidr_match(const char *ip, const char *cidr)
{
	struct cidr	 a, net;

	if (ip == NULL || addr_parse(ip, &a, 1) == -1 ||
	    cidr_parse(cidr, &net) == -1)
		return 0;
	return cidr_contains(&net, &a);
}

/*
 * The allowlist as this process last read it, parsed once. A POST /login reads
 * the table (insurer_ip_allowlisted) and leaves what it read here; a page view
 * (insurer_ip_allowlisted_view) answers from this copy while it is younger than
 * Login.ViewCacheSeconds and reads the table again when it is older.
 */
static struct {
	struct cidr	*net;
	long long	*insurer;
	size_t		 n;
	int64_t		 at_ms;		/* when it was read; 0: never */
	unsigned	 gen;		/* config_generation() then */
} al;

/* Read the whole table into al. 0 or a db_status (al unchanged). */
static int
allowlist_read(void)
{
	struct db_res	*res = NULL;
	struct cidr	*net = NULL, c;
	long long	*ins = NULL;
	size_t		 n = 0, cap = 0;
	int		 rc;

	if ((rc = db_query(&res, "SELECT insurer_id, cidr FROM insurer_allowlist"
	    " ORDER BY id", "")) != 0)
		return rc;
	while ((rc = db_res_next(res)) == 1) {
		if (cidr_parse(db_res_str(res, 1), &c) != 0)
			continue;	/* kenpoctl stores canonical blocks only */
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			net = xrealloc(net, cap * sizeof(*net));
			ins = xrealloc(ins, cap * sizeof(*ins));
		}
		net[n] = c;
		ins[n++] = db_res_int(res, 0);
	}
	db_res_free(res);
	if (rc < 0) {
		free(net);
		free(ins);
		return rc;
	}
	free(al.net);
	free(al.insurer);
	al.net = net;
	al.insurer = ins;
	al.n = n;
	al.at_ms = util_mono_ms();
	al.gen = config_generation();
	return 0;
}

/* Look ip up in al: 1 (and *insurer_id) or 0. */
static int
allowlist_find(const char *ip, long long *insurer_id)
{
	struct cidr	 a;
	size_t		 i;

	if (ip == NULL || addr_parse(ip, &a, 1) == -1)
		return 0;
	for (i = 0; i < al.n; i++)
		if (cidr_contains(&al.net[i], &a)) {
			if (insurer_id != NULL)
				*insurer_id = al.insurer[i];
			return 1;
		}
	return 0;
}

int
insurer_ip_allowlisted(const char *ip, long long *insurer_id)
{
	int	 rc;

	if ((rc = allowlist_read()) < 0)
		return rc;
	return allowlist_find(ip, insurer_id);
}

int
insurer_ip_allowlisted_view(const char *ip)
{
	int	 rc;

	if (!config_view_fresh(al.at_ms, al.gen) && (rc = allowlist_read()) < 0)
		return rc;
	return allowlist_find(ip, NULL);
}
