/*
 * db.c — the process's one MariaDB connection (libmariadb, Connector/C 3.3).
 *
 * Every statement is a cached prepared statement; every result is read completely
 * (mysql_stmt_store_result) and copied into a db_res, so a statement is free for
 * reuse as soon as the call returns, even while the caller still walks the rows and
 * runs other statements.
 *
 * Connection policy:
 * - Lazy connect. A failed connect is not retried for DB_DOWN_PAUSE_MS, so while the
 *   server is down each request fails fast (503) instead of waiting for a connect
 *   timeout each time.
 * - Before each statement outside a transaction the socket is polled: a server that
 *   restarted or dropped an idle connection has left it readable (EOF or an error
 *   packet), so we reconnect before sending anything.
 * - A statement that fails because the connection broke is retried once on a new
 *   connection when that cannot run it twice: the error came before the server got
 *   it (CR_SERVER_GONE_ERROR, prepare), or the statement only reads. A write lost
 *   in flight (CR_SERVER_LOST) may have been applied, so it is reported DB_DOWN.
 * - Inside db_txn nothing reconnects: the server has rolled the transaction back, so
 *   the statement returns DB_RETRY and db_txn starts over on a new connection.
 * - Inside db_txn, once a statement has failed with DB_RETRY or DB_DOWN the
 *   transaction is over: a deadlock or a Galera certification failure (1213, a
 *   brute-force abort) rolls the whole transaction back on the server, and any
 *   statement after it would run on its own, in autocommit, and be kept whatever
 *   fn does next. So every later statement of that attempt returns DB_RETRY
 *   without being sent, and db_txn rolls back and starts over whatever fn returns
 *   (txn_failed) — fn may ignore an error (a best-effort audit line) without
 *   half of it being committed.
 * - Outside a transaction a deadlocked statement was rolled back whole and is
 *   retried (DB_STMT_TRIES times in all); a lock wait timeout is returned as
 *   DB_RETRY at once (waiting again would double the wait).
 *
 * db_exec's count is of rows matched, not only rows changed (CLIENT_FOUND_ROWS):
 * "UPDATE … WHERE id = ?" returns 1 when the row exists even if nothing changed.
 *
 * Schema migrations run on a connection of their own (src/migrate.c), opened with
 * db_conn_new; db_conn.h lists what db.c lends it.
 */
#include "autoconf.h"
#include "db.h"

#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <mysql.h>
#include <mysqld_error.h>
#include <errmsg.h>

#include "config.h"
#include "crypto.h"
#include "db_conn.h"
#include "log.h"
#include "util.h"

#define DB_CACHE_MAX		128	/* prepared statements kept per connection */
#define DB_MAX_PARAMS		64
#define DB_MIN_BUF		64	/* initial result buffer: fits every number and date */
#define DB_TXN_TRIES		5
#define DB_STMT_TRIES		3	/* autocommit statement on deadlock */
#define DB_DOWN_PAUSE_MS	1000
#define DB_IO_TIMEOUT		10	/* s; read/write timeout of the request connection */
#define DB_LOCK_WAIT		5	/* s; innodb_lock_wait_timeout, below DB_IO_TIMEOUT */
#define DB_SQL_PREFIX		60	/* characters of SQL text shown in log lines */

#define DB_STR2(x)		#x
#define DB_STR(x)		DB_STR2(x)

/* Connection setup; sql_mode is strict so bad data is an error, never a warning. */
static const char *const session_setup[] = {
	"SET time_zone = '+00:00', "
	"sql_mode = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ZERO_DATE,"
	"NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION', "
	"collation_connection = 'utf8mb4_unicode_ci', "
	"innodb_lock_wait_timeout = " DB_STR(DB_LOCK_WAIT),
	"SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
};

struct stmt_ent {
	char			*sql;
	unsigned		 hash;
	MYSQL_STMT		*st;
	unsigned long long	 used;
};

struct param {
	char		 type;
	long long	 i;
	const void	*p;
	unsigned long	 len;
};

struct call {
	const char	*sql;
	int		 readonly;	/* safe to run twice */
	int		 n;
	struct param	 p[DB_MAX_PARAMS];
};

/*
 * A result: every row is one allocation laid out as
 * size_t len[ncols] | char *val[ncols] | the values, each NUL-terminated.
 */
struct db_res {
	unsigned	  ncols;
	size_t		  nrows, cap, next;
	void		**rows;
	size_t		 *cur_len;	/* current row, NULL before the first next */
	char		**cur_val;
};

static MYSQL		*conn;
static pid_t		 conn_pid;	/* the process that opened conn */
static unsigned		 conn_gen;	/* bumped at every successful connect */
static int		 txn_depth;
static unsigned		 txn_gen;	/* conn_gen when the transaction began */
static int		 txn_failed;	/* the server ended the transaction (below) */
static int64_t		 down_until;	/* monotonic ms: no connect attempt before */
static int		 down_logged;	/* the current outage has been logged */
static long long	 last_id;

static struct stmt_ent	 cache[DB_CACHE_MAX];
static int		 ncache;
static unsigned long long use_clock;

/* Error numbers whose message quotes a value (possibly an address): redact those. */
static int
err_quotes_value(unsigned e)
{
	switch (e) {
	case ER_DUP_ENTRY:
	case ER_DUP_ENTRY_WITH_KEY_NAME:
	case ER_DUP_KEY:
	case ER_TRUNCATED_WRONG_VALUE:
	case ER_TRUNCATED_WRONG_VALUE_FOR_FIELD:
	case ER_WRONG_VALUE_FOR_TYPE:
	case ER_INVALID_CHARACTER_STRING:
	case ER_WRONG_VALUE:
		return 1;
	default:
		return 0;
	}
}

/* Map a server or client error number to a db_status. */
int
db_err_status(unsigned e)
{
	switch (e) {
	case 0:
		return DB_OK;
	case ER_DUP_ENTRY:
	case ER_DUP_ENTRY_WITH_KEY_NAME:
	case ER_DUP_KEY:
		return DB_DUP;
	case ER_LOCK_DEADLOCK:
	case ER_LOCK_WAIT_TIMEOUT:
	case ER_ERROR_DURING_COMMIT:	/* Galera: certification failure at commit */
	case ER_QUERY_INTERRUPTED:	/* Galera: brute-force abort by a replicated write */
		return DB_RETRY;
	/* Galera: this node is not part of the primary component (partitioned,
	 * joining): "WSREP has not yet prepared node for application use". Asking
	 * it again cannot help; as with a server that is down, the request answers
	 * 503 and the node is tried again after DB_DOWN_PAUSE_MS. */
	case ER_UNKNOWN_COM_ERROR:
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_SERVER_LOST_EXTENDED:
	case CR_CONNECTION_ERROR:
	case CR_CONN_HOST_ERROR:
	case CR_UNKNOWN_HOST:
	case CR_SERVER_HANDSHAKE_ERR:
	case CR_COMMANDS_OUT_OF_SYNC:	/* the client state is unusable: start afresh */
	case ER_CONNECTION_KILLED:
	case ER_SERVER_SHUTDOWN:
	case ER_NET_READ_ERROR:
	case ER_NET_READ_INTERRUPTED:
	case ER_NET_ERROR_ON_WRITE:
	case ER_NET_WRITE_INTERRUPTED:
		return DB_DOWN;
	default:
		return DB_ERR;
	}
}

/*
 * Log a failed statement: error number, message (values redacted) and the start of
 * the SQL text, which holds placeholders only. Duplicates are expected outcomes
 * (an address already registered) and only logged at debug level.
 */
void
db_log_fail(unsigned e, const char *msg, const char *sql)
{
	char		 m[256], s[DB_SQL_PREFIX + 1];
	size_t		 i, j;
	int		 inq = 0, redact = err_quotes_value(e), st = db_err_status(e);
	enum log_level	 lvl;

	for (i = j = 0; msg != NULL && msg[i] != '\0' && j + 4 < sizeof(m); i++) {
		if (redact && msg[i] == '\'') {
			inq = !inq;
			m[j++] = '\'';
			if (inq) {
				memcpy(m + j, "...", 3);
				j += 3;
			}
			continue;
		}
		if (!inq)
			m[j++] = (msg[i] == '\n' || msg[i] == '\t') ? ' ' : msg[i];
	}
	m[j] = '\0';
	for (i = j = 0; sql != NULL && sql[i] != '\0' && j < DB_SQL_PREFIX; i++) {
		if (sql[i] == '\n' || sql[i] == '\t' || sql[i] == '\r') {
			if (j > 0 && s[j - 1] != ' ')
				s[j++] = ' ';
		} else
			s[j++] = sql[i];
	}
	s[j] = '\0';
	lvl = st == DB_DUP ? LOG_LVL_DEBUG : st == DB_RETRY ? LOG_LVL_WARN : LOG_LVL_ERR;
	if (lvl == LOG_LVL_ERR)
		log_err("db: error %u: %s [%s]", e, m, s);
	else if (lvl == LOG_LVL_WARN)
		log_warn("db: error %u: %s [%s]", e, m, s);
	else
		log_debug("db: error %u: %s [%s]", e, m, s);
}

static void
sleep_ms(unsigned ms)
{
	struct timespec	 ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		continue;
}

/* A short randomised pause before retry number attempt (1, 2, …): 5–25 ms × attempt. */
static void
retry_pause(int attempt)
{
	sleep_ms((unsigned)attempt * (5 + crypto_random_uniform(21)));
}

static unsigned
sql_hash(const char *s)
{
	unsigned	 h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void
cache_clear(void)
{
	int	 i;

	for (i = 0; i < ncache; i++) {
		/* After the connection is gone this only frees client memory. */
		mysql_stmt_close(cache[i].st);
		free(cache[i].sql);
	}
	ncache = 0;
}

static void
cache_forget(const char *sql)
{
	int	 i;

	for (i = 0; i < ncache; i++) {
		if (strcmp(cache[i].sql, sql) != 0)
			continue;
		mysql_stmt_close(cache[i].st);
		free(cache[i].sql);
		cache[i] = cache[--ncache];
		return;
	}
}

/*
 * A connection inherited over fork(2) belongs to the parent: closing it properly
 * would send COM_QUIT on the parent's session. Close our copy of the socket and
 * forget the rest (a small one-time leak in the child).
 */
static void
conn_forget_inherited(void)
{
	my_socket	 fd;

	if (conn == NULL || conn_pid == getpid())
		return;
	if ((fd = mysql_get_socket(conn)) >= 0)
		(void)close(fd);
	while (ncache > 0)
		free(cache[--ncache].sql);
	conn = NULL;
}

/* Drop the connection (broken or closing) and everything prepared on it. */
static void
conn_drop(void)
{
	conn_forget_inherited();
	cache_clear();
	if (conn != NULL) {
		mysql_close(conn);
		conn = NULL;
	}
}

/*
 * Open a new connection with the Database.* settings. Returns NULL and sets *err
 * (the MariaDB error number) and msg on failure.
 */
MYSQL *
db_conn_new(unsigned long flags, unsigned io_timeout, const char *dbname,
    unsigned *err, char *msg, size_t msglen)
{
	MYSQL		*m;
	const char	*sock = config_str("Database.Socket");
	const char	*host = config_str("Database.Host");
	const char	*pass = config_str("Database.Password");
	unsigned	 ct = (unsigned)config_int("Database.ConnectTimeout");
	unsigned	 port = (unsigned)config_int("Database.Port");
	unsigned	 proto = MYSQL_PROTOCOL_SOCKET;
	my_bool		 off = 0;

	*err = 0;
	msg[0] = '\0';
	if ((m = mysql_init(NULL)) == NULL) {
		*err = CR_OUT_OF_MEMORY;
		snprintf(msg, msglen, "mysql_init failed");
		return NULL;
	}
	if (mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4") != 0 ||
	    mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &ct) != 0 ||
	    mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &io_timeout) != 0 ||
	    mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &io_timeout) != 0 ||
	    mysql_options(m, MYSQL_OPT_RECONNECT, &off) != 0 ||
	    (sock[0] != '\0' && mysql_options(m, MYSQL_OPT_PROTOCOL, &proto) != 0)) {
		*err = mysql_errno(m);
		snprintf(msg, msglen, "cannot set connection options");
		mysql_close(m);
		return NULL;
	}
	/* A socket wins over host/port; libmariadb uses it only with "localhost". */
	if (sock[0] != '\0')
		host = "localhost";
	if (mysql_real_connect(m, host, config_str("Database.User"),
	    pass[0] != '\0' ? pass : NULL, dbname, port,
	    sock[0] != '\0' ? sock : NULL, flags) == NULL) {
		*err = mysql_errno(m);
		snprintf(msg, msglen, "%s", mysql_error(m));
		mysql_close(m);
		return NULL;
	}
	return m;
}

unsigned
db_conn_sync_wait(MYSQL *m, long long mask, char *msg, size_t msglen)
{
	char	 sql[64];

	snprintf(sql, sizeof(sql), "SET SESSION wsrep_sync_wait = %lld", mask);
	if (mysql_real_query(m, sql, strlen(sql)) == 0 ||
	    mysql_errno(m) == ER_UNKNOWN_SYSTEM_VARIABLE)
		return 0;
	snprintf(msg, msglen, "%s", mysql_error(m));
	return mysql_errno(m);
}

/*
 * Run the session setup statements on m, then Database.SyncWait (when not 0).
 * 0 or the MariaDB error number.
 */
unsigned
db_conn_setup(MYSQL *m, char *msg, size_t msglen)
{
	size_t		 i;
	long long	 sync = config_int("Database.SyncWait");

	for (i = 0; i < sizeof(session_setup) / sizeof(session_setup[0]); i++) {
		if (mysql_real_query(m, session_setup[i], strlen(session_setup[i])) != 0) {
			snprintf(msg, msglen, "%s", mysql_error(m));
			return mysql_errno(m);
		}
	}
	return sync != 0 ? db_conn_sync_wait(m, sync, msg, msglen) : 0;
}

int
db_open(void)
{
	unsigned	 e;
	char		 msg[256];
	MYSQL		*m;

	conn_forget_inherited();
	if (conn != NULL)
		return DB_OK;
	if (util_mono_ms() < down_until)
		return DB_DOWN;
	m = db_conn_new(CLIENT_FOUND_ROWS, DB_IO_TIMEOUT, config_str("Database.Name"),
	    &e, msg, sizeof(msg));
	if (m != NULL && (e = db_conn_setup(m, msg, sizeof(msg))) != 0) {
		mysql_close(m);
		m = NULL;
	}
	if (m == NULL) {
		down_until = util_mono_ms() + DB_DOWN_PAUSE_MS;
		/* One line per outage, not one per request. */
		if (!down_logged)
			log_err("db: cannot connect: error %u: %s", e, msg);
		else
			log_debug("db: cannot connect: error %u: %s", e, msg);
		down_logged = 1;
		return DB_DOWN;
	}
	if (down_logged)
		log_info("db: connected again");
	down_logged = 0;
	conn = m;
	conn_pid = getpid();
	conn_gen++;
	return DB_OK;
}

void
db_close(void)
{
	conn_drop();
	txn_depth = 0;
}

/*
 * 1 when the idle connection still looks usable. An idle MariaDB connection never
 * has anything to read; a readable socket means EOF or a goodbye packet from a
 * server that restarted, shut down or timed the connection out.
 */
static int
conn_alive(void)
{
	struct pollfd	 pfd;
	my_socket	 fd;
	int		 r;

	if (conn == NULL)
		return 0;
	/* TLS may carry post-handshake records; do not take those for a goodbye. */
	if (mysql_get_ssl_cipher(conn) != NULL)
		return 1;
	if ((fd = mysql_get_socket(conn)) < 0)
		return 0;
	pfd.fd = fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	r = poll(&pfd, 1, 0);
	return r <= 0;
}

/* Make sure there is a connection to use. 0 or a db_status. */
static int
conn_ready(void)
{
	conn_forget_inherited();
	if (txn_depth > 0) {
		/* Never reconnect inside a transaction: the server rolled it back. */
		if (conn == NULL || conn_gen != txn_gen)
			return DB_RETRY;
		if (!conn_alive()) {
			log_warn("db: connection lost inside a transaction; restarting it");
			conn_drop();
			return DB_RETRY;
		}
		return DB_OK;
	}
	if (conn != NULL && !conn_alive()) {
		log_info("db: connection closed by the server; reconnecting");
		conn_drop();
	}
	return db_open();
}

/* Look up or prepare sql. 0 or a db_status; *err gets the error number. */
static int
stmt_get(const char *sql, MYSQL_STMT **out, unsigned *err)
{
	unsigned	 h = sql_hash(sql);
	int		 i, old;
	MYSQL_STMT	*st;
	my_bool		 on = 1;

	*out = NULL;
	*err = 0;
	for (i = 0; i < ncache; i++) {
		if (cache[i].hash == h && strcmp(cache[i].sql, sql) == 0) {
			cache[i].used = ++use_clock;
			*out = cache[i].st;
			return DB_OK;
		}
	}
	if ((st = mysql_stmt_init(conn)) == NULL) {
		*err = mysql_errno(conn);
		db_log_fail(*err, mysql_error(conn), sql);
		return *err ? db_err_status(*err) : DB_ERR;
	}
	if (mysql_stmt_prepare(st, sql, strlen(sql)) != 0) {
		*err = mysql_stmt_errno(st);
		db_log_fail(*err, mysql_stmt_error(st), sql);
		mysql_stmt_close(st);
		return db_err_status(*err);
	}
	/* Let store_result compute max_length so result buffers fit at once. */
	(void)mysql_stmt_attr_set(st, STMT_ATTR_UPDATE_MAX_LENGTH, &on);
	if (ncache == DB_CACHE_MAX) {
		for (old = 0, i = 1; i < ncache; i++)
			if (cache[i].used < cache[old].used)
				old = i;
		mysql_stmt_close(cache[old].st);
		free(cache[old].sql);
		cache[old] = cache[--ncache];
	}
	cache[ncache].sql = xstrdup(sql);
	cache[ncache].hash = h;
	cache[ncache].st = st;
	cache[ncache].used = ++use_clock;
	ncache++;
	*out = st;
	return DB_OK;
}

/* Parse the variable arguments described by types into c. 0 or DB_ERR. */
static int
call_init(struct call *c, const char *sql, const char *types, va_list ap)
{
	const char	*t;
	struct param	*p;

	memset(c, 0, offsetof(struct call, p));
	c->sql = sql;
	while (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '(')
		sql++;
	c->readonly = strncasecmp(sql, "SELECT", 6) == 0 &&
	    strcasestr(sql, "FOR UPDATE") == NULL;
	for (t = types != NULL ? types : ""; *t != '\0'; t++) {
		if (c->n == DB_MAX_PARAMS) {
			log_err("db: more than %d parameters", DB_MAX_PARAMS);
			return DB_ERR;
		}
		p = &c->p[c->n++];
		p->type = *t;
		switch (*t) {
		case 's':
			p->p = va_arg(ap, const char *);
			p->len = p->p != NULL ? strlen(p->p) : 0;
			break;
		case 'i':
			p->i = va_arg(ap, long long);
			break;
		case 'b':
			p->p = va_arg(ap, const void *);
			p->len = (unsigned long)va_arg(ap, size_t);
			break;
		default:
			log_err("db: bad parameter type '%c' [%.*s]", *t,
			    DB_SQL_PREFIX, c->sql);
			return DB_ERR;
		}
	}
	return DB_OK;
}

static void
res_add_row(struct db_res *r, MYSQL_BIND *b, const unsigned long *lens,
    const my_bool *nulls)
{
	size_t		 size, *len;
	char		**val, *data;
	unsigned	 i;
	void		*row;

	size = r->ncols * (sizeof(size_t) + sizeof(char *));
	for (i = 0; i < r->ncols; i++)
		if (!nulls[i])
			size += lens[i] + 1;
	row = xmalloc(size);
	len = row;
	val = (char **)(len + r->ncols);
	data = (char *)(val + r->ncols);
	for (i = 0; i < r->ncols; i++) {
		if (nulls[i]) {
			len[i] = 0;
			val[i] = NULL;
			continue;
		}
		len[i] = lens[i];
		val[i] = data;
		memcpy(data, b[i].buffer, lens[i]);
		data[lens[i]] = '\0';
		data += lens[i] + 1;
	}
	if (r->nrows == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 8;
		r->rows = xrealloc(r->rows, r->cap * sizeof(*r->rows));
	}
	r->rows[r->nrows++] = row;
}

/*
 * Read the whole result of the executed st into a new db_res (every column as
 * text). 0 or a db_status; *err gets the error number.
 */
static int
res_fetch(MYSQL_STMT *st, const char *sql, struct db_res **out, unsigned *err)
{
	struct db_res	*r;
	MYSQL_RES	*meta = NULL;
	MYSQL_FIELD	*f;
	MYSQL_BIND	*b = NULL;
	unsigned long	*lens = NULL;
	my_bool		*nulls = NULL, *errs = NULL;
	unsigned	 i, n;
	int		 rc = DB_ERR, fr, rebind;

	*out = NULL;
	r = xcalloc(1, sizeof(*r));
	r->ncols = n = mysql_stmt_field_count(st);
	if (n == 0) {
		*out = r;
		return DB_OK;
	}
	if (mysql_stmt_store_result(st) != 0)
		goto fail;
	if ((meta = mysql_stmt_result_metadata(st)) == NULL)
		goto fail;
	f = mysql_fetch_fields(meta);
	b = xcalloc(n, sizeof(*b));
	lens = xcalloc(n, sizeof(*lens));
	nulls = xcalloc(n, sizeof(*nulls));
	errs = xcalloc(n, sizeof(*errs));
	for (i = 0; i < n; i++) {
		b[i].buffer_type = MYSQL_TYPE_STRING;
		b[i].buffer_length = (f[i].max_length > DB_MIN_BUF ?
		    f[i].max_length : DB_MIN_BUF) + 1;
		b[i].buffer = xmalloc(b[i].buffer_length);
		b[i].length = &lens[i];
		b[i].is_null = &nulls[i];
		b[i].error = &errs[i];
	}
	if (mysql_stmt_bind_result(st, b) != 0)
		goto fail;
	for (;;) {
		/* Connector/C may leave these stale (see STACK-NOTES): clear per row. */
		memset(nulls, 0, n * sizeof(*nulls));
		memset(errs, 0, n * sizeof(*errs));
		fr = mysql_stmt_fetch(st);
		if (fr == MYSQL_NO_DATA)
			break;
		if (fr == 1)
			goto fail;
		rebind = 0;
		for (i = 0; i < n; i++) {
			/* Judge truncation by the length, never by the error flag alone. */
			if (nulls[i] || lens[i] < b[i].buffer_length)
				continue;
			free(b[i].buffer);
			b[i].buffer_length = lens[i] + 1;
			b[i].buffer = xmalloc(b[i].buffer_length);
			if (mysql_stmt_fetch_column(st, &b[i], i, 0) != 0)
				goto fail;
			rebind = 1;
		}
		res_add_row(r, b, lens, nulls);
		if (rebind && mysql_stmt_bind_result(st, b) != 0)
			goto fail;
	}
	*out = r;
	r = NULL;
	rc = DB_OK;
	goto out;
fail:
	*err = mysql_stmt_errno(st);
	if (*err != 0) {
		db_log_fail(*err, mysql_stmt_error(st), sql);
		rc = db_err_status(*err);
	} else
		log_err("db: cannot read result [%.*s]", DB_SQL_PREFIX, sql);
out:
	if (b != NULL)
		for (i = 0; i < n; i++)
			free(b[i].buffer);
	free(b);
	free(lens);
	free(nulls);
	free(errs);
	if (meta != NULL)
		mysql_free_result(meta);
	mysql_stmt_free_result(st);
	db_res_free(r);
	return rc;
}

/*
 * Run c once on the current connection. want_res: read the result into *res.
 * 0 or a db_status; *err gets the error number and *unsent is set when the
 * statement certainly did not reach the server.
 */
static int
call_once(struct call *c, struct db_res **res, long long *affected, unsigned *err,
    int *unsent)
{
	MYSQL_STMT	*st;
	MYSQL_BIND	 b[DB_MAX_PARAMS];
	my_bool		 isnull[DB_MAX_PARAMS];
	struct db_res	*discard = NULL;
	int		 i, rc;

	*unsent = 1;
	if ((rc = stmt_get(c->sql, &st, err)) != DB_OK)
		return rc;
	if (mysql_stmt_param_count(st) != (unsigned long)c->n) {
		log_err("db: statement takes %lu parameters, %d given [%.*s]",
		    mysql_stmt_param_count(st), c->n, DB_SQL_PREFIX, c->sql);
		return DB_ERR;
	}
	memset(b, 0, sizeof(b[0]) * (size_t)c->n);
	memset(isnull, 0, sizeof(isnull[0]) * (size_t)c->n);
	for (i = 0; i < c->n; i++) {
		b[i].is_null = &isnull[i];
		switch (c->p[i].type) {
		case 'i':
			b[i].buffer_type = MYSQL_TYPE_LONGLONG;
			b[i].buffer = &c->p[i].i;
			break;
		case 's':
		case 'b':
			b[i].buffer_type = c->p[i].type == 's' ?
			    MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB;
			/* The library never writes through a parameter buffer. */
			b[i].buffer = (void *)(uintptr_t)c->p[i].p;
			b[i].buffer_length = c->p[i].len;
			b[i].length = &c->p[i].len;
			isnull[i] = c->p[i].p == NULL;
			break;
		}
	}
	if (c->n > 0 && mysql_stmt_bind_param(st, b) != 0) {
		*err = mysql_stmt_errno(st);
		db_log_fail(*err, mysql_stmt_error(st), c->sql);
		return db_err_status(*err);
	}
	if (mysql_stmt_execute(st) != 0) {
		*err = mysql_stmt_errno(st);
		/* GONE: the library could not even send the command. */
		*unsent = *err == CR_SERVER_GONE_ERROR;
		if (*err != ER_NEED_REPREPARE)
			db_log_fail(*err, mysql_stmt_error(st), c->sql);
		return *err ? db_err_status(*err) : DB_ERR;
	}
	*unsent = 0;
	last_id = (long long)mysql_stmt_insert_id(st);
	if (affected != NULL)
		*affected = (long long)mysql_stmt_affected_rows(st);
	/* Always drain a result set, even one nobody asked for. */
	if (res == NULL)
		res = &discard;
	if ((rc = res_fetch(st, c->sql, res, err)) == DB_OK &&
	    affected != NULL && (*res)->ncols > 0)
		*affected = (long long)(*res)->nrows;	/* a SELECT: rows returned */
	db_res_free(discard);
	return rc;
}

/* rc of a statement; inside db_txn, DB_RETRY and DB_DOWN end the attempt. */
static int
txn_fail(int rc)
{
	if (txn_depth > 0 && (rc == DB_RETRY || rc == DB_DOWN))
		txn_failed = 1;
	return rc;
}

/* Run c with the reconnect and retry policy described at the top of the file. */
static int
call_run(struct call *c, struct db_res **res, long long *affected)
{
	unsigned	 err;
	int		 rc, unsent, reconnected = 0, reprepared = 0, tries = 0;

	if (res != NULL)
		*res = NULL;
	if (txn_depth > 0 && txn_failed)
		return DB_RETRY;	/* the transaction is over: see the top */
	for (;;) {
		if ((rc = conn_ready()) != DB_OK)
			return txn_fail(rc);
		err = 0;
		rc = call_once(c, res, affected, &err, &unsent);
		if (rc == DB_OK)
			return DB_OK;
		if (err == ER_NEED_REPREPARE && !reprepared) {
			/* The table changed under a cached statement: prepare it anew. */
			cache_forget(c->sql);
			reprepared = 1;
			continue;
		}
		if (rc == DB_DOWN) {
			conn_drop();
			if (txn_depth > 0)
				return txn_fail(DB_RETRY);
			if (reconnected || !(unsent || c->readonly))
				return DB_DOWN;
			reconnected = 1;
			continue;
		}
		/* A deadlock victim may go again at once; a lock wait would only
		 * wait again. */
		if (rc == DB_RETRY && txn_depth == 0 && err != ER_LOCK_WAIT_TIMEOUT &&
		    ++tries < DB_STMT_TRIES) {
			retry_pause(tries);
			continue;
		}
		return txn_fail(rc);
	}
}

int
db_ping(void)
{
	long long	 v = 0;
	int		 rc;

	rc = db_int(&v, "SELECT 1", "");
	return rc == 1 && v == 1 ? DB_OK : rc < 0 ? rc : DB_ERR;
}

int
db_cluster_ready(void)
{
	char	*v[2] = { NULL, NULL };
	int	 rc;

	/* Never an error on a server built without wsrep (no such rows) or with
	 * the provider "none" (no cluster). A node outside the primary component
	 * may refuse even this (1047, DB_DOWN): not ready either. */
	rc = db_row(v, 2, "SELECT (SELECT VARIABLE_VALUE FROM "
	    "information_schema.GLOBAL_VARIABLES WHERE VARIABLE_NAME = "
	    "'WSREP_PROVIDER') NOT IN ('', 'none'), (SELECT VARIABLE_VALUE FROM "
	    "information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_READY')",
	    "");
	if (rc == 1 && v[0] != NULL && strcmp(v[0], "1") == 0 &&
	    (v[1] == NULL || strcmp(v[1], "ON") != 0))
		rc = DB_DOWN;
	free(v[0]);
	free(v[1]);
	return rc < 0 ? rc : DB_OK;
}

long long
db_exec(const char *sql, const char *types, ...)
{
	struct call	 c;
	va_list		 ap;
	long long	 affected = 0;
	int		 rc;

	va_start(ap, types);
	rc = call_init(&c, sql, types, ap);
	va_end(ap);
	if (rc != DB_OK)
		return rc;
	if ((rc = call_run(&c, NULL, &affected)) != DB_OK)
		return rc;
	return affected;
}

long long
db_last_id(void)
{
	return last_id;
}

int
db_query(struct db_res **res, const char *sql, const char *types, ...)
{
	struct call	 c;
	va_list		 ap;
	int		 rc;

	*res = NULL;
	va_start(ap, types);
	rc = call_init(&c, sql, types, ap);
	va_end(ap);
	if (rc != DB_OK)
		return rc;
	return call_run(&c, res, NULL);
}

int
db_res_next(struct db_res *r)
{
	if (r == NULL)
		return DB_ERR;
	if (r->next >= r->nrows) {
		r->cur_len = NULL;
		r->cur_val = NULL;
		return 0;
	}
	r->cur_len = r->rows[r->next++];
	r->cur_val = (char **)(r->cur_len + r->ncols);
	return 1;
}

/* 1 when col names a column of the current row (a programming error otherwise). */
static int
res_col_ok(const struct db_res *r, int col)
{
	if (r == NULL || r->cur_len == NULL || col < 0 || (unsigned)col >= r->ncols) {
		log_err("db: no column %d in the current row (programming error)", col);
		return 0;
	}
	return 1;
}

const char *
db_res_str(struct db_res *r, int col)
{
	return res_col_ok(r, col) ? r->cur_val[col] : NULL;
}

long long
db_res_int(struct db_res *r, int col)
{
	const char	*v = db_res_str(r, col);

	return v != NULL ? strtoll(v, NULL, 10) : 0;
}

size_t
db_res_len(struct db_res *r, int col)
{
	return res_col_ok(r, col) ? r->cur_len[col] : 0;
}

int
db_res_isnull(struct db_res *r, int col)
{
	return res_col_ok(r, col) ? r->cur_val[col] == NULL : 1;
}

void
db_res_free(struct db_res *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nrows; i++)
		free(r->rows[i]);
	free(r->rows);
	free(r);
}

/* db_row and db_int: run the query, then copy from the first row. */
static int
first_row(struct call *c, struct db_res **res)
{
	int	 rc;

	if ((rc = call_run(c, res, NULL)) != DB_OK)
		return rc;
	return db_res_next(*res);
}

int
db_row(char **out, int n, const char *sql, const char *types, ...)
{
	struct call	 c;
	struct db_res	*r = NULL;
	va_list		 ap;
	int		 rc, i;

	for (i = 0; i < n; i++)
		out[i] = NULL;
	va_start(ap, types);
	rc = call_init(&c, sql, types, ap);
	va_end(ap);
	if (rc != DB_OK)
		return rc;
	if ((rc = first_row(&c, &r)) != 1)
		goto out;
	if (n < 0 || (unsigned)n > r->ncols) {
		log_err("db: %d columns asked, %u returned [%.*s]", n, r->ncols,
		    DB_SQL_PREFIX, sql);
		rc = DB_ERR;
		goto out;
	}
	for (i = 0; i < n; i++)
		out[i] = r->cur_val[i] != NULL ?
		    xstrndup(r->cur_val[i], r->cur_len[i]) : NULL;
out:
	db_res_free(r);
	return rc;
}

int
db_int(long long *out, const char *sql, const char *types, ...)
{
	struct call	 c;
	struct db_res	*r = NULL;
	va_list		 ap;
	int		 rc;

	*out = 0;
	va_start(ap, types);
	rc = call_init(&c, sql, types, ap);
	va_end(ap);
	if (rc != DB_OK)
		return rc;
	if ((rc = first_row(&c, &r)) == 1 && r->ncols > 0 && r->cur_val[0] != NULL)
		*out = strtoll(r->cur_val[0], NULL, 10);
	db_res_free(r);
	return rc;
}

/*
 * A transaction-control statement (START TRANSACTION, COMMIT, ROLLBACK) as a plain
 * query. 0 or a db_status; *unsent as in call_once.
 */
static int
txn_stmt(const char *sql, int *unsent)
{
	unsigned	 e;

	*unsent = 1;
	if (conn == NULL)
		return DB_DOWN;
	if (mysql_real_query(conn, sql, strlen(sql)) == 0) {
		*unsent = 0;
		return DB_OK;
	}
	e = mysql_errno(conn);
	*unsent = e == CR_SERVER_GONE_ERROR;
	db_log_fail(e, mysql_error(conn), sql);
	if (db_err_status(e) == DB_DOWN)
		conn_drop();
	return e ? db_err_status(e) : DB_ERR;
}

/* Begin a transaction, reconnecting once if the connection went away. */
static int
txn_begin(void)
{
	int	 rc, unsent, again;

	for (again = 0; again < 2; again++) {
		if ((rc = conn_ready()) != DB_OK)
			return rc;
		rc = txn_stmt("START TRANSACTION", &unsent);
		if (rc != DB_DOWN)
			return rc;
	}
	return rc;
}


/* Roll back the current transaction; a connection that cannot is dropped. */
static void
txn_rollback(void)
{
	int	 unsent;

	if (conn == NULL || conn_gen != txn_gen)
		return;
	/* A connection in an unknown transaction state must never be reused. */
	if (txn_stmt("ROLLBACK", &unsent) != DB_OK)
		conn_drop();
}

int
db_txn(db_txn_fn fn, void *arg)
{
	int	 attempt, rc, crc, unsent;

	/* Nested: the inner work is part of the outer transaction (and its retries). */
	if (txn_depth > 0)
		return fn(arg);
	for (attempt = 1; ; attempt++) {
		if ((rc = txn_begin()) != DB_OK)
			return rc;
		txn_depth = 1;
		txn_gen = conn_gen;
		txn_failed = 0;
		rc = fn(arg);
		if (txn_failed) {
			/* A statement of fn met the end of the transaction: whatever
			 * fn made of it, nothing of this attempt may be committed. */
			rc = DB_RETRY;
		}
		if (rc >= 0) {
			if (conn == NULL || conn_gen != txn_gen) {
				/* fn ignored a lost connection: nothing was kept. */
				crc = DB_RETRY;
			} else if ((crc = txn_stmt("COMMIT", &unsent)) == DB_DOWN &&
			    unsent) {
				/* COMMIT never left: the server rolls back. */
				crc = DB_RETRY;
			}
			if (crc == DB_OK) {
				txn_depth = 0;
				return rc;
			}
			if (crc == DB_DOWN) {
				/* Lost in flight: it may have committed. Never run it twice. */
				log_err("db: connection lost during COMMIT; outcome unknown");
				txn_depth = 0;
				return DB_DOWN;
			}
			rc = crc;
		}
		txn_rollback();
		txn_depth = 0;
		txn_failed = 0;
		if (rc != DB_RETRY)
			return rc;
		if (attempt == DB_TXN_TRIES) {
			log_warn("db: transaction given up after %d tries", DB_TXN_TRIES);
			return DB_RETRY;
		}
		retry_pause(attempt);
	}
}

int
db_in_txn(void)
{
	return txn_depth > 0;
}
