/*
 * db_conn.h — what db.c lends migrate.c: a connection of its own with the
 * Database.* settings, the session setup every connection gets, and db.c's
 * mapping and logging of MariaDB errors. Other modules use db.h only.
 */
#ifndef KENPO_DB_CONN_H
#define KENPO_DB_CONN_H

#include <stddef.h>

#include <mysql.h>

/*
 * Open a new connection with the Database.* settings (dbname NULL: no default
 * database). Returns NULL and sets *err (the MariaDB error number) and msg on
 * failure.
 */
MYSQL		*db_conn_new(unsigned long flags, unsigned io_timeout,
		    const char *dbname, unsigned *err, char *msg, size_t msglen);
/* Run the session setup statements on m. 0 or the MariaDB error number. */
unsigned	 db_conn_setup(MYSQL *m, char *msg, size_t msglen);
/*
 * SET SESSION wsrep_sync_wait = mask on m (Galera causal reads; no effect on a
 * server without a Galera provider; a server built without wsrep, which does not
 * know the variable, is no error). 0 or the MariaDB error number.
 */
unsigned	 db_conn_sync_wait(MYSQL *m, long long mask, char *msg, size_t msglen);
/* Map a server or client error number to a db_status. */
int		 db_err_status(unsigned e);
/* Log a failed statement: error number, message (values redacted), start of sql. */
void		 db_log_fail(unsigned e, const char *msg, const char *sql);

#endif
