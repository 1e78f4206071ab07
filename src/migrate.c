/*
 * migrate.c — schema migrations: apply sql/NNNN_*.sql in order (`kenpoctl db migrate`).
 *
 * Files are dir/NNNN_name.sql, applied in order of NNNN. Each file runs as one
 * multi-statement query on a connection of its own (CLIENT_MULTI_STATEMENTS), so the
 * server's own parser splits it: comments, quotes and semicolons inside strings
 * need no care here. (Client-only commands such as DELIMITER are not available.)
 *
 * Guard against two migrators: no GET_LOCK (it does not work across a Galera
 * cluster); instead the version is claimed first by inserting its
 * schema_migrations row with applied_at NULL, and applied_at is set when the file
 * has run. MariaDB commits DDL implicitly, so a file cannot be undone half-way:
 *   - a claim that fails with a duplicate key means someone else has it; on a
 *     Galera cluster two claims made at once on different nodes meet at
 *     certification instead, and the loser's INSERT fails with a deadlock (1213):
 *     the same answer. The loser then waits (MIGRATE_WAIT, printing that it
 *     does) until the other has applied the file, and goes on with the next one;
 *     so two hosts that run `kenpoctl db migrate` at the same time both succeed,
 *     and every file runs once;
 *   - if the first statement fails (nothing ran) the claim is deleted again;
 *   - if a later one fails the claim stays, with applied_at NULL and failed_at
 *     set, and every later run refuses at once until an operator has repaired the
 *     schema and deleted the row (or set applied_at). `kenpoctl db status` shows
 *     such a row as incomplete. A claim without failed_at whose migrator died
 *     (killed mid-file) looks like one being applied: a later run waits
 *     MIGRATE_WAIT for it, then refuses the same way.
 * Reads on the migration connection are causal (wsrep_sync_wait): on a cluster
 * they see every claim committed on any node before them.
 * A file that wants DML to be all-or-nothing can hold its own START TRANSACTION …
 * COMMIT.
 *
 * The migration connection is not db.c's request connection: it comes from
 * db_conn_new (db_conn.h) with a long read timeout, since a migration may rebuild a
 * large table, and runs plain queries rather than cached prepared statements.
 */
#include "autoconf.h"
#include "migrate.h"

#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mysql.h>
#include <mysqld_error.h>

#include "config.h"
#include "db.h"
#include "db_conn.h"
#include "log.h"
#include "util.h"

#define MIGRATE_TIMEOUT		3600	/* s; a migration may rebuild a large table */
#define MIGRATE_MAXFILE		(16 * 1024 * 1024)
#define MIGRATE_WAIT		600	/* s; for a file another migrate applies */
#define MIGRATE_CLAIMS		20	/* claim attempts per file */

struct mig_file {
	int	 version;
	char	*name;
};

struct mig_row {
	int	 version;
	int	 complete;
	int	 failed;
};

static const char *const mig_table =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version INT NOT NULL PRIMARY KEY,"
	" name VARCHAR(255) NOT NULL,"
	" applied_at TIMESTAMP(6) NULL,"
	" failed_at TIMESTAMP(6) NULL,"
	" created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
	") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";

int
migrate_name_ok(const char *name)
{
	size_t	 len = strlen(name), i;

	if (len < 10 || strcmp(name + len - 4, ".sql") != 0 || name[4] != '_')
		return 0;
	for (i = 0; i < 4; i++)
		if (name[i] < '0' || name[i] > '9')
			return 0;
	for (i = 5; i < len - 4; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= 'A' && name[i] <= 'Z') ||
		    (name[i] >= '0' && name[i] <= '9') ||
		    name[i] == '_' || name[i] == '-' || name[i] == '.'))
			return 0;
	return 1;
}

static int
mig_cmp(const void *a, const void *b)
{
	return strcmp(((const struct mig_file *)a)->name,
	    ((const struct mig_file *)b)->name);
}

static void
mig_files_free(struct mig_file *f, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(f[i].name);
	free(f);
}

/* The migration files of dir, sorted. 0 or DB_ERR (logged). */
static int
mig_list(const char *dir, struct mig_file **out, size_t *nout)
{
	DIR		*d;
	struct dirent	*de;
	struct mig_file	*f = NULL;
	size_t		 n = 0, cap = 0, i;

	*out = NULL;
	*nout = 0;
	if ((d = opendir(dir)) == NULL) {
		log_err("db: cannot open migrations directory %s: %s", dir,
		    strerror(errno));
		return DB_ERR;
	}
	while ((de = readdir(d)) != NULL) {
		if (!migrate_name_ok(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			f = xrealloc(f, cap * sizeof(*f));
		}
		f[n].version = atoi(de->d_name);
		f[n].name = xstrdup(de->d_name);
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(f, n, sizeof(*f), mig_cmp);
	for (i = 1; i < n; i++) {
		if (f[i].version == f[i - 1].version) {
			log_err("db: two migrations numbered %04d: %s and %s",
			    f[i].version, f[i - 1].name, f[i].name);
			mig_files_free(f, n);
			return DB_ERR;
		}
	}
	*out = f;
	*nout = n;
	return DB_OK;
}

/* Read a whole file (at most MIGRATE_MAXFILE bytes). malloc'd, or NULL (logged). */
static char *
mig_read(const char *dir, const char *name, size_t *len)
{
	char		*path, *text = NULL;
	FILE		*fp;
	struct stat	 sb;

	path = xasprintf("%s/%s", dir, name);
	if ((fp = fopen(path, "r")) == NULL) {
		log_err("db: cannot open %s: %s", path, strerror(errno));
		goto out;
	}
	if (fstat(fileno(fp), &sb) == -1 || sb.st_size > MIGRATE_MAXFILE) {
		log_err("db: %s: cannot read or too large", path);
		goto out;
	}
	text = xmalloc((size_t)sb.st_size + 1);
	*len = fread(text, 1, (size_t)sb.st_size, fp);
	if (ferror(fp)) {
		log_err("db: cannot read %s", path);
		free(text);
		text = NULL;
		goto out;
	}
	text[*len] = '\0';
out:
	if (fp != NULL)
		fclose(fp);
	free(path);
	return text;
}

/* A plain query without parameters and without a result on m. 0 or error number. */
static unsigned
mig_plain(MYSQL *m, const char *sql)
{
	if (mysql_real_query(m, sql, strlen(sql)) == 0)
		return 0;
	db_log_fail(mysql_errno(m), mysql_error(m), sql);
	return mysql_errno(m);
}

/* A prepared statement on m taking (version) or (version, name). 0 or a db_status. */
static int
mig_exec(MYSQL *m, const char *sql, long long version, const char *name)
{
	MYSQL_STMT	*st;
	MYSQL_BIND	 b[2];
	unsigned long	 nlen = name != NULL ? strlen(name) : 0;
	int		 rc = DB_ERR;
	unsigned	 e;

	if ((st = mysql_stmt_init(m)) == NULL) {
		db_log_fail(mysql_errno(m), mysql_error(m), sql);
		return DB_ERR;
	}
	memset(b, 0, sizeof(b));
	b[0].buffer_type = MYSQL_TYPE_LONGLONG;
	b[0].buffer = &version;
	b[1].buffer_type = MYSQL_TYPE_STRING;
	b[1].buffer = (void *)(uintptr_t)name;
	b[1].buffer_length = nlen;
	b[1].length = &nlen;
	if (mysql_stmt_prepare(st, sql, strlen(sql)) != 0 ||
	    mysql_stmt_param_count(st) < 1 || mysql_stmt_param_count(st) > 2 ||
	    mysql_stmt_bind_param(st, b) != 0 ||
	    mysql_stmt_execute(st) != 0) {
		e = mysql_stmt_errno(st);
		db_log_fail(e, mysql_stmt_error(st), sql);
		rc = e ? db_err_status(e) : DB_ERR;
	} else
		rc = DB_OK;
	mysql_stmt_close(st);
	return rc;
}

/* The rows of schema_migrations. 0 or a db_status. */
static int
mig_load(MYSQL *m, struct mig_row **out, size_t *nout)
{
	static const char sql[] =
	    "SELECT version, applied_at IS NOT NULL, failed_at IS NOT NULL "
	    "FROM schema_migrations";
	MYSQL_RES	*res;
	MYSQL_ROW	 row;
	struct mig_row	*r;
	size_t		 n = 0;
	unsigned	 e;

	*out = NULL;
	*nout = 0;
	if ((e = mig_plain(m, sql)) != 0)
		return db_err_status(e);
	if ((res = mysql_store_result(m)) == NULL) {
		db_log_fail(mysql_errno(m), mysql_error(m), sql);
		return DB_ERR;
	}
	r = xcalloc(mysql_num_rows(res) + 1, sizeof(*r));
	while ((row = mysql_fetch_row(res)) != NULL) {
		r[n].version = row[0] != NULL ? atoi(row[0]) : -1;
		r[n].complete = row[1] != NULL && row[1][0] == '1';
		r[n].failed = row[2] != NULL && row[2][0] == '1';
		n++;
	}
	mysql_free_result(res);
	*out = r;
	*nout = n;
	return DB_OK;
}

/* 1 applied, 0 not there, -1 claimed (being applied), -2 failed half-way. */
static int
mig_state(const struct mig_row *r, size_t n, int version)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (r[i].version == version)
			return r[i].complete ? 1 : r[i].failed ? -2 : -1;
	return 0;
}

/*
 * schema_migrations of an older kenpo has no failed_at: add it. Two migrators
 * may both try; the second one's duplicate column is no error.
 */
static int
mig_table_upgrade(MYSQL *m)
{
	MYSQL_RES	*res;
	unsigned	 e;
	int		 have;

	if ((e = mig_plain(m, "SHOW COLUMNS FROM schema_migrations LIKE "
	    "'failed_at'")) != 0)
		return db_err_status(e);
	if ((res = mysql_store_result(m)) == NULL)
		return DB_ERR;
	have = mysql_num_rows(res) > 0;
	mysql_free_result(res);
	if (have)
		return DB_OK;
	e = mig_plain(m, "ALTER TABLE schema_migrations ADD COLUMN failed_at "
	    "TIMESTAMP(6) NULL AFTER applied_at");
	return e == 0 || e == ER_DUP_FIELDNAME ? DB_OK : db_err_status(e);
}

/*
 * Another migrate holds the claim of version: wait until it has applied the file
 * (1), or dropped its claim (0: the caller claims it), or failed or given no sign
 * within MIGRATE_WAIT (a db_status). *done is reloaded.
 */
static int
mig_wait(MYSQL *m, struct mig_row **done, size_t *nd, const struct mig_file *f,
    int verbose)
{
	int64_t	 until = util_mono_ms() + MIGRATE_WAIT * 1000LL;
	int	 rc, state;

	if (verbose) {
		printf("waiting for another migrate to apply %s\n", f->name);
		fflush(stdout);
	}
	log_info("db: %s is being applied by another migrate; waiting up to %d s",
	    f->name, MIGRATE_WAIT);
	for (;;) {
		free(*done);
		*done = NULL;
		if ((rc = mig_load(m, done, nd)) != DB_OK)
			return rc;
		state = mig_state(*done, *nd, f->version);
		if (state == 1 || state == 0)
			return state;
		if (state == -2 || util_mono_ms() >= until)
			break;
		(void)nanosleep(&(struct timespec){ 0, 500000000L }, NULL);
	}
	log_err("db: migration %04d is incomplete (it failed, or the migrate that "
	    "claimed it died): repair the schema by hand, then delete its "
	    "schema_migrations row", f->version);
	return DB_ERR;
}

/*
 * Run the statements of a file on m. Returns 0 on success, else the 1-based number
 * of the statement that failed, with *err and msg set.
 */
static int
mig_run(MYSQL *m, const char *text, size_t len, unsigned *err, char *msg,
    size_t msglen)
{
	MYSQL_RES	*res;
	int		 stmtno = 1, st;

	if (mysql_real_query(m, text, len) != 0)
		goto fail;
	for (;;) {
		if ((res = mysql_store_result(m)) != NULL)
			mysql_free_result(res);
		else if (mysql_field_count(m) != 0)
			goto fail;
		if ((st = mysql_next_result(m)) == -1)
			return 0;
		stmtno++;
		if (st > 0)
			goto fail;
	}
fail:
	*err = mysql_errno(m);
	snprintf(msg, msglen, "%s", mysql_error(m));
	return stmtno;
}

/* The migration connection; creates the database if it does not exist yet. */
static MYSQL *
mig_connect(int verbose)
{
	const char	*name = config_str("Database.Name");
	unsigned long	 flags = CLIENT_MULTI_STATEMENTS | CLIENT_FOUND_ROWS;
	MYSQL		*m;
	unsigned	 e;
	char		 msg[256], *sql;
	size_t		 i;

	m = db_conn_new(flags, MIGRATE_TIMEOUT, name, &e, msg, sizeof(msg));
	if (m == NULL && e == ER_BAD_DB_ERROR) {
		/* The name goes into SQL text: only plain identifiers. */
		for (i = 0; name[i] != '\0'; i++)
			if (!((name[i] >= 'a' && name[i] <= 'z') ||
			    (name[i] >= 'A' && name[i] <= 'Z') ||
			    (name[i] >= '0' && name[i] <= '9') || name[i] == '_'))
				break;
		if (name[i] != '\0') {
			log_err("db: database does not exist and its name is not a plain "
			    "identifier; create it by hand");
			return NULL;
		}
		if ((m = db_conn_new(flags, MIGRATE_TIMEOUT, NULL, &e, msg,
		    sizeof(msg))) == NULL)
			goto fail;
		sql = xasprintf("CREATE DATABASE IF NOT EXISTS `%s` CHARACTER SET "
		    "utf8mb4 COLLATE utf8mb4_unicode_ci", name);
		e = mig_plain(m, sql);
		free(sql);
		if (e != 0 || mysql_select_db(m, name) != 0) {
			mysql_close(m);
			return NULL;
		}
		if (verbose)
			printf("created database %s\n", name);
	}
	if (m == NULL)
		goto fail;
	/* Causal reads whatever Database.SyncWait says: a claim made on another
	 * node must be seen (db_conn_sync_wait). */
	if ((e = db_conn_setup(m, msg, sizeof(msg))) != 0 ||
	    (e = db_conn_sync_wait(m, 1, msg, sizeof(msg))) != 0 ||
	    (e = mig_plain(m, "SET SESSION lock_wait_timeout = 60")) != 0) {
		mysql_close(m);
		m = NULL;
		goto fail;
	}
	return m;
fail:
	log_err("db: cannot connect: error %u: %s", e, msg);
	return NULL;
}

int
migrate_apply(const char *dir, int verbose)
{
	struct mig_file	*f = NULL;
	struct mig_row	*done = NULL;
	MYSQL		*m = NULL;
	size_t		 nf = 0, nd = 0, i, len = 0;
	char		*text = NULL, msg[512];
	unsigned	 e;
	int		 rc, napplied = 0, stmtno, state = 0, claims;

	if ((rc = mig_list(dir, &f, &nf)) != DB_OK)
		goto out;
	if ((m = mig_connect(verbose)) == NULL) {
		rc = DB_DOWN;
		goto out;
	}
	if ((e = mig_plain(m, mig_table)) != 0) {
		rc = db_err_status(e);
		goto out;
	}
	if ((rc = mig_table_upgrade(m)) != DB_OK ||
	    (rc = mig_load(m, &done, &nd)) != DB_OK)
		goto out;
	for (i = 0; i < nd; i++) {
		if (done[i].complete || !done[i].failed)
			continue;
		log_err("db: migration %04d is incomplete (it failed): repair the "
		    "schema by hand, then delete its schema_migrations row",
		    done[i].version);
		rc = DB_ERR;
		goto out;
	}
	for (i = 0; i < nf; i++) {
		for (claims = 0; ; claims++) {
			state = mig_state(done, nd, f[i].version);
			if (state == -1 && (state = mig_wait(m, &done, &nd, &f[i],
			    verbose)) < 0) {
				rc = state;
				goto out;
			}
			if (state == 1)
				break;
			if (state == -2) {
				log_err("db: migration %04d is incomplete (it failed): "
				    "repair the schema by hand, then delete its "
				    "schema_migrations row", f[i].version);
				rc = DB_ERR;
				goto out;
			}
			if (claims == MIGRATE_CLAIMS) {
				log_err("db: cannot claim %s: other migrates keep "
				    "conflicting", f[i].name);
				rc = DB_RETRY;
				goto out;
			}
			rc = mig_exec(m, "INSERT INTO schema_migrations (version, "
			    "name) VALUES (?, ?)", f[i].version, f[i].name);
			if (rc == DB_OK)
				break;
			/* Someone else claimed it since we looked (a duplicate; on
			 * Galera a certification conflict): look again. */
			if (rc != DB_DUP && rc != DB_RETRY)
				goto out;
			free(done);
			done = NULL;
			if ((rc = mig_load(m, &done, &nd)) != DB_OK)
				goto out;
		}
		if (state == 1)
			continue;
		free(text);
		if ((text = mig_read(dir, f[i].name, &len)) == NULL) {
			rc = DB_ERR;
			(void)mig_exec(m, "DELETE FROM schema_migrations WHERE "
			    "version = ? AND applied_at IS NULL", f[i].version, NULL);
			goto out;
		}
		stmtno = mig_run(m, text, len, &e, msg, sizeof(msg));
		if (stmtno == 1 && e == ER_EMPTY_QUERY)
			stmtno = 0;	/* only comments: nothing to run */
		if (stmtno != 0) {
			log_err("db: %s: statement %d failed: error %u: %s", f[i].name,
			    stmtno, e, msg);
			rc = db_err_status(e) == DB_DOWN ? DB_DOWN : DB_ERR;
			if (stmtno == 1 && rc != DB_DOWN) {
				/* Nothing ran: release the claim so a fixed file can run. */
				(void)mig_exec(m, "DELETE FROM schema_migrations WHERE "
				    "version = ? AND applied_at IS NULL", f[i].version,
				    NULL);
			} else {
				(void)mig_exec(m, "UPDATE schema_migrations SET "
				    "failed_at = CURRENT_TIMESTAMP(6) WHERE version = ? "
				    "AND applied_at IS NULL", f[i].version, NULL);
				log_err("db: %s: statements before %d were applied; repair "
				    "the schema by hand, then delete its schema_migrations "
				    "row (version %d)", f[i].name, stmtno, f[i].version);
			}
			goto out;
		}
		rc = mig_exec(m, "UPDATE schema_migrations SET applied_at = "
		    "CURRENT_TIMESTAMP(6) WHERE version = ? AND name = ?",
		    f[i].version, f[i].name);
		if (rc != DB_OK)
			goto out;
		napplied++;
		if (verbose) {
			printf("applied %s\n", f[i].name);
			fflush(stdout);
		}
	}
	rc = napplied;
out:
	free(text);
	free(done);
	mig_files_free(f, nf);
	if (m != NULL)
		mysql_close(m);
	return rc;
}
