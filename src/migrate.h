/*
 * migrate.h — schema migrations (src/migrate.c), used by `kenpoctl db migrate`.
 */
#ifndef KENPO_MIGRATE_H
#define KENPO_MIGRATE_H

/* Apply sql/NNNN_*.sql from dir not yet in schema_migrations; prints what it does.
 * Returns the number applied (>= 0) or a db_status. */
int		 migrate_apply(const char *dir, int verbose);
/* 1 when name is a migration file, NNNN_<letters, digits, _ - .>.sql; else 0. */
int		 migrate_name_ok(const char *name);

#endif
