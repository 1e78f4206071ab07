/*
 * db.h — the process's one MariaDB connection, prepared statements only.
 *
 * Parameters and results are described by a type string, one letter a value:
 *   's'  const char *         (NULL binds SQL NULL)
 *   'i'  long long
 *   'b'  const void *, size_t (binary; NULL binds SQL NULL)
 * Results are read as strings (every column is fetched as text; NULL → NULL pointer).
 * Prepared statements are cached per SQL text for the life of the connection.
 *
 * Every function reconnects once if the server went away (restart, timeout) and the
 * statement can be retried safely (not inside a transaction). Return values:
 *   >= 0       success (affected rows for db_exec)
 *   DB_DUP     a unique key was violated (ER_DUP_ENTRY)
 *   DB_RETRY   deadlock / lock wait timeout / Galera certification failure
 *   DB_DOWN    the server cannot be reached
 *   DB_ERR     any other error (logged with the MariaDB message, never the values)
 */
#ifndef KENPO_DB_H
#define KENPO_DB_H

#include <stddef.h>

enum db_status {
	DB_OK = 0,
	DB_ERR = -1,
	DB_DUP = -2,
	DB_RETRY = -3,
	DB_DOWN = -4,
};

struct db_res;

/* Connect using the Database.* config keys. 0 or a db_status. Lazy: also done on first use. */
int		 db_open(void);
void		 db_close(void);
/* 0 when the server answers a trivial query, else DB_DOWN/DB_ERR. */
int		 db_ping(void);
/*
 * 0 when the server may serve requests: always on a single server; on a Galera
 * node only while it is part of the primary component (wsrep_ready = ON) — a
 * partitioned or joining node still answers db_ping. DB_DOWN otherwise.
 */
int		 db_cluster_ready(void);

/* Run a statement that returns no rows. Returns affected rows or a db_status. */
long long	 db_exec(const char *sql, const char *types, ...);
/* Last AUTO_INCREMENT id of this connection. */
long long	 db_last_id(void);

/*
 * Run a query. On success returns 0 and sets *res (free with db_res_free);
 * otherwise a db_status and *res is NULL.
 */
int		 db_query(struct db_res **res, const char *sql, const char *types, ...);
/* Advance to the next row: 1 row available, 0 no more rows, DB_ERR on error. */
int		 db_res_next(struct db_res *);
/* Column values of the current row (valid until the next db_res_next/db_res_free). */
const char	*db_res_str(struct db_res *, int col);
long long	 db_res_int(struct db_res *, int col);	/* NULL → 0 */
size_t		 db_res_len(struct db_res *, int col);
int		 db_res_isnull(struct db_res *, int col);
void		 db_res_free(struct db_res *);

/*
 * Convenience for one-row lookups: runs the query and, if a row exists, copies
 * column 0..n-1 as malloc'd strings into out[] (NULL for SQL NULL).
 * Returns 1 found, 0 not found, or a db_status.
 */
int		 db_row(char **out, int n, const char *sql, const char *types, ...);
/* Single integer (column 0 of the first row): 1 found, 0 not found, or a db_status. */
int		 db_int(long long *out, const char *sql, const char *types, ...);

/*
 * Run fn(arg) inside a transaction: BEGIN, fn, COMMIT. If fn or COMMIT returns
 * DB_RETRY the transaction is rolled back and tried again (up to 5 times, with a short
 * randomised pause). If fn returns any other negative value the transaction is rolled
 * back and that value is returned. fn must be safe to run more than once (no side
 * effects outside the database; collect results in arg and reset them at its start).
 * Returns fn's non-negative value on commit, or a db_status.
 */
typedef int	(*db_txn_fn)(void *arg);
int		 db_txn(db_txn_fn fn, void *arg);
/* 1 while inside db_txn. */
int		 db_in_txn(void);

#endif
