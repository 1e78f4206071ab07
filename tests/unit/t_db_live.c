/*
 * t_db_live — exercise src/db.c against a real MariaDB, including a server restart
 * and an outage. A manual tool, not part of `make check` (it needs a server it may
 * stop and start):
 *
 *   t_db_live CONFIG [STOP-CMD START-CMD]
 *
 * CONFIG is a kenpo HDF file whose Database.* points at a scratch database (the
 * test creates and drops table t_db_live). With STOP-CMD and START-CMD (shell
 * commands that stop / start that server and return once it is down / ready) the
 * whole run is automatic; without them the tool asks you to stop and start the
 * server by hand and press Enter.
 *
 * Build (from an out-of-tree build directory where libkenpo.a is built):
 *   gcc -D_GNU_SOURCE -I/work/main/src -I. -I/usr/include/ClearSilver \
 *     $(pkg-config --cflags libmariadb) -o t_db_live /work/main/tests/unit/t_db_live.c \
 *     libkenpo.a -lneo_cgi -lneo_cs -lneo_utl $(pkg-config --libs fcgi libgcrypt \
 *     libesmtp-1.0 libmariadb libutf8proc gdlib) -lcsv -lz
 *
 * Exit status 0 when every check passed, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "crypto.h"
#include "db.h"
#include "log.h"
#include "util.h"

static int	 failures, checks;

#define CHECK(cond) do {						\
	checks++;							\
	if (!(cond)) {							\
		failures++;						\
		fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	}								\
} while (0)

static const char *stop_cmd, *start_cmd;

/* Run cmd, or ask the operator to do what it says. */
static void
step(const char *cmd, const char *what)
{
	char	 line[16];

	if (cmd != NULL) {
		printf("# %s: %s\n", what, cmd);
		fflush(stdout);
		if (system(cmd) != 0)
			fprintf(stderr, "warning: command failed: %s\n", cmd);
		return;
	}
	printf("# %s now, then press Enter: ", what);
	fflush(stdout);
	if (fgets(line, sizeof(line), stdin) == NULL)
		exit(1);
}

struct txn_arg {
	int	 calls;
	int	 retry_first;	/* return DB_RETRY on the first n calls */
	int	 kill_first;	/* kill our own connection on the first call */
	long long id;
};

static int
txn_insert(void *p)
{
	struct txn_arg	*a = p;
	long long	 n;

	a->calls++;
	n = db_exec("INSERT INTO t_db_live (s, i) VALUES (?, ?)", "si", "txn",
	    (long long)a->calls);
	if (n < 0)
		return (int)n;
	a->id = db_last_id();
	if (a->kill_first && a->calls == 1) {
		/* The server ends this connection: the transaction is gone. */
		(void)db_exec("KILL CONNECTION CONNECTION_ID()", "");
		n = db_exec("INSERT INTO t_db_live (s, i) VALUES ('after kill', 0)", "");
		return n < 0 ? (int)n : 0;
	}
	if (a->calls <= a->retry_first)
		return DB_RETRY;
	return 1;
}

static int
txn_fail(void *p)
{
	struct txn_arg	*a = p;

	a->calls++;
	if (db_exec("INSERT INTO t_db_live (s, i) VALUES ('rolled back', 99)", "") < 0)
		return DB_ERR;
	return DB_ERR;
}

static int
txn_nested(void *p)
{
	struct txn_arg	*a = p;

	CHECK(db_in_txn());
	return db_txn(txn_insert, a);
}

static void
phase_basic(void)
{
	struct db_res	*res = NULL, *res2 = NULL;
	struct txn_arg	 ta;
	char		*row[4], *big, sql[128];
	unsigned char	 bin[300];
	long long	 v, id, i;
	int		 rc, n;

	CHECK(db_open() == DB_OK);
	CHECK(db_ping() == DB_OK);
	CHECK(db_exec("DROP TABLE IF EXISTS t_db_live", "") >= 0);
	CHECK(db_exec("CREATE TABLE t_db_live (id BIGINT UNSIGNED AUTO_INCREMENT "
	    "PRIMARY KEY, s MEDIUMTEXT NULL, i BIGINT NULL, b BLOB NULL, "
	    "u VARCHAR(32) NULL UNIQUE, t TIMESTAMP(6) NOT NULL DEFAULT "
	    "CURRENT_TIMESTAMP(6)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", "") >= 0);

	/* Parameters of every type, NULLs, UTF-8, binary with NULs, a big value. */
	for (i = 0; i < (long long)sizeof(bin); i++)
		bin[i] = (unsigned char)i;
	CHECK(db_exec("INSERT INTO t_db_live (s, i, b, u) VALUES (?, ?, ?, ?)", "sibs",
	    "健康保険 'quoted' \\ ;", -42LL, bin, sizeof(bin), "u1") == 1);
	id = db_last_id();
	CHECK(id > 0);
	CHECK(db_exec("INSERT INTO t_db_live (s, i, b, u) VALUES (?, ?, ?, ?)", "sibs",
	    NULL, 0LL, NULL, (size_t)0, NULL) == 1);
	CHECK(db_last_id() > id);	/* Galera steps by the cluster size */
	big = xmalloc(200001);
	memset(big, 'x', 200000);
	big[200000] = '\0';
	CHECK(db_exec("INSERT INTO t_db_live (s) VALUES (?)", "s", big) == 1);

	rc = db_query(&res, "SELECT id, s, i, b, u, t FROM t_db_live ORDER BY id", "");
	CHECK(rc == DB_OK);
	CHECK(db_res_next(res) == 1);
	CHECK(db_res_int(res, 0) == id);
	CHECK(db_res_str(res, 1) && strcmp(db_res_str(res, 1),
	    "健康保険 'quoted' \\ ;") == 0);
	CHECK(db_res_int(res, 2) == -42);
	CHECK(db_res_len(res, 3) == sizeof(bin));
	CHECK(db_res_str(res, 3) && memcmp(db_res_str(res, 3), bin, sizeof(bin)) == 0);
	CHECK(db_res_str(res, 5) && strlen(db_res_str(res, 5)) == 26);
	CHECK(db_res_next(res) == 1);
	CHECK(db_res_isnull(res, 1) && db_res_str(res, 1) == NULL);
	CHECK(db_res_int(res, 2) == 0 && !db_res_isnull(res, 2));
	CHECK(db_res_isnull(res, 3) && db_res_isnull(res, 4));
	CHECK(db_res_next(res) == 1);
	CHECK(db_res_len(res, 1) == 200000);
	CHECK(db_res_str(res, 1) && strcmp(db_res_str(res, 1), big) == 0);
	CHECK(db_res_next(res) == 0);
	db_res_free(res);
	free(big);

	/* One-row helpers, duplicates, affected (matched) rows, errors. */
	CHECK(db_row(row, 2, "SELECT s, u FROM t_db_live WHERE id = ?", "i", id) == 1);
	CHECK(row[1] && strcmp(row[1], "u1") == 0);
	free(row[0]);
	free(row[1]);
	CHECK(db_row(row, 1, "SELECT s FROM t_db_live WHERE id = ?", "i", -1LL) == 0);
	CHECK(row[0] == NULL);
	CHECK(db_int(&v, "SELECT COUNT(*) FROM t_db_live", "") == 1 && v == 3);
	CHECK(db_exec("INSERT INTO t_db_live (u) VALUES (?)", "s", "u1") == DB_DUP);
	CHECK(db_exec("UPDATE t_db_live SET i = i WHERE id = ?", "i", id) == 1);
	CHECK(db_exec("UPDATE t_db_live SET i = 1 WHERE id = ?", "i", -1LL) == 0);
	CHECK(db_exec("SELECT * FROM no_such_table", "") == DB_ERR);
	CHECK(db_exec("SELECT ?", "") == DB_ERR);		/* parameter count */
	CHECK(db_exec("SELECT ?", "x", 1) == DB_ERR);		/* bad type letter */
	CHECK(db_exec("SELECT id FROM t_db_live", "") >= 0);	/* result drained */
	CHECK(db_int(&v, "SELECT 1", "") == 1 && v == 1);
	/* Nested use of one cached statement while a result is open. */
	CHECK(db_query(&res, "SELECT id FROM t_db_live ORDER BY id", "") == DB_OK);
	n = 0;
	while (db_res_next(res) == 1) {
		CHECK(db_int(&v, "SELECT COUNT(*) FROM t_db_live WHERE id <= ?", "i",
		    db_res_int(res, 0)) == 1 && v == ++n);
		/* The same statement again while its earlier result is open. */
		CHECK(db_query(&res2, "SELECT id FROM t_db_live ORDER BY id", "") ==
		    DB_OK);
		CHECK(db_res_next(res2) == 1 && db_res_int(res2, 0) == id);
		db_res_free(res2);
	}
	CHECK(n == 3);
	db_res_free(res);
	/* More statements than the cache holds. */
	for (i = 0; i < 300; i++) {
		snprintf(sql, sizeof(sql), "SELECT %lld + ?", i);
		CHECK(db_int(&v, sql, "i", 1LL) == 1 && v == i + 1);
	}
	/* Session settings. */
	CHECK(db_row(row, 1, "SELECT @@session.time_zone", "") == 1 &&
	    row[0] && strcmp(row[0], "+00:00") == 0);
	free(row[0]);
	CHECK(db_row(row, 1, "SELECT @@session.tx_isolation", "") == 1 &&
	    row[0] && strcmp(row[0], "READ-COMMITTED") == 0);
	free(row[0]);
	CHECK(db_exec("INSERT INTO t_db_live (u) VALUES (?)", "s",
	    "this value is far too long for a varchar of 32") == DB_ERR);

	/* Transactions: commit, rollback, retry, nested, connection killed inside. */
	memset(&ta, 0, sizeof(ta));
	CHECK(db_txn(txn_insert, &ta) == 1 && ta.calls == 1);
	CHECK(!db_in_txn());
	memset(&ta, 0, sizeof(ta));
	ta.retry_first = 2;
	CHECK(db_txn(txn_insert, &ta) == 1 && ta.calls == 3);
	CHECK(db_int(&v, "SELECT COUNT(*) FROM t_db_live WHERE s = 'txn'", "") == 1 &&
	    v == 2);
	memset(&ta, 0, sizeof(ta));
	ta.retry_first = 100;
	CHECK(db_txn(txn_insert, &ta) == DB_RETRY && ta.calls == 5);
	memset(&ta, 0, sizeof(ta));
	CHECK(db_txn(txn_fail, &ta) == DB_ERR && ta.calls == 1);
	CHECK(db_int(&v, "SELECT COUNT(*) FROM t_db_live WHERE i = 99", "") == 1 &&
	    v == 0);
	memset(&ta, 0, sizeof(ta));
	CHECK(db_txn(txn_nested, &ta) == 1 && ta.calls == 1);
	memset(&ta, 0, sizeof(ta));
	ta.kill_first = 1;
	CHECK(db_txn(txn_insert, &ta) == 1 && ta.calls == 2);
	CHECK(db_int(&v, "SELECT COUNT(*) FROM t_db_live WHERE s = 'after kill'",
	    "") == 1 && v == 0);
	CHECK(db_int(&v, "SELECT COUNT(*) FROM t_db_live WHERE s = 'txn'", "") == 1 &&
	    v == 4);

	/* The server drops an idle connection: the next statement reconnects. */
	CHECK(db_exec("SET SESSION wait_timeout = 1", "") >= 0);
	printf("# waiting 2 s for the server to drop the idle connection\n");
	fflush(stdout);
	sleep(2);
	CHECK(db_exec("INSERT INTO t_db_live (s) VALUES ('after idle')", "") == 1);
	CHECK(db_int(&v, "SELECT @@session.wait_timeout", "") == 1 && v != 1);
	/* Killed from the inside outside a transaction: a read is retried. */
	(void)db_exec("KILL CONNECTION CONNECTION_ID()", "");
	CHECK(db_int(&v, "SELECT COUNT(*) FROM t_db_live", "") == 1 && v > 0);
}

static void
phase_restart(void)
{
	long long	 v;

	step(stop_cmd, "stop the server");
	step(start_cmd, "start the server");
	/* The long-lived connection notices and reconnects, for a write too. */
	CHECK(db_exec("INSERT INTO t_db_live (s) VALUES ('after restart')", "") == 1);
	CHECK(db_int(&v, "SELECT COUNT(*) FROM t_db_live WHERE s = 'after restart'",
	    "") == 1 && v == 1);
}

static void
phase_down(void)
{
	struct txn_arg	 ta;
	long long	 v;
	int64_t		 t0, t1;

	step(stop_cmd, "stop the server");
	t0 = util_mono_ms();
	CHECK(db_int(&v, "SELECT 1", "") == DB_DOWN);
	t1 = util_mono_ms();
	printf("# first query while down: %lld ms\n", (long long)(t1 - t0));
	CHECK(t1 - t0 < 4000);
	/* Within the back-off: no connect attempt at all. */
	t0 = util_mono_ms();
	CHECK(db_ping() == DB_DOWN);
	CHECK(db_exec("INSERT INTO t_db_live (s) VALUES ('x')", "") == DB_DOWN);
	memset(&ta, 0, sizeof(ta));
	CHECK(db_txn(txn_insert, &ta) == DB_DOWN && ta.calls == 0);
	t1 = util_mono_ms();
	printf("# three calls within the back-off: %lld ms\n", (long long)(t1 - t0));
	/* No connect attempt is made within the back-off; a loaded host may
	 * still take a while to schedule us, so the bound is loose. */
	CHECK(t1 - t0 < 1000);
	step(start_cmd, "start the server");
	sleep(1);
	CHECK(db_int(&v, "SELECT 1", "") == 1 && v == 1);
	memset(&ta, 0, sizeof(ta));
	CHECK(db_txn(txn_insert, &ta) == 1);
	CHECK(db_exec("DROP TABLE t_db_live", "") >= 0);
}

int
main(int argc, char *argv[])
{
	HDF	*cfg = NULL;
	char	 err[512];

	if (argc != 2 && argc != 4) {
		fprintf(stderr, "usage: t_db_live CONFIG [STOP-CMD START-CMD]\n");
		return 2;
	}
	if (argc == 4) {
		stop_cmd = argv[2];
		start_cmd = argv[3];
	}
	log_open("t_db_live", 0);
	log_set_level(LOG_LVL_INFO);
	if (config_load(argv[1], &cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	config_set(cfg);
	if (crypto_init() != 0)
		return 2;
	phase_basic();
	phase_restart();
	phase_down();
	db_close();
	printf("%d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
