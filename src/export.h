/*
 * export.h — the member's own data as a file (issue 10 item 7; the disclosure
 * of 個人情報保護法 §33, served by /account/export): profile, bindings to roster
 * persons, consents, recent logins, as JSON or CSV.
 *
 * The file is made of sections, each a table with fixed columns: "profile"
 * (one record), "bindings", "consents", "logins" (lists). JSON: one object
 * with a key per section (an object for a record, an array of objects for a
 * list), plus "format", "version" and "exported_at". CSV (for Excel as Japanese
 * offices use it: UTF-8 with a BOM, CRLF): per section a line with the
 * section's name, a header line with the column names, the rows, and an empty
 * line; every cell quoted, and a cell that a spreadsheet would read as a formula
 * (starting with = + - @, tab or CR) gets a leading apostrophe.
 */
#ifndef KENPO_EXPORT_H
#define KENPO_EXPORT_H

#include "util.h"

enum export_format {
	EXPORT_JSON,
	EXPORT_CSV,
};

/*
 * Append the data of account_id in fmt to out. Reads with one query per
 * section; works inside or outside a transaction. 0 or a db_status (DB_ERR
 * also when the JSON cannot be made; logged).
 */
int	 export_account(long long account_id, enum export_format fmt,
	    struct buf *out);

/* Append v as one quoted CSV cell, formula-defused (see above). NULL is "". */
void	 export_csv_cell(struct buf *out, const char *v);

#endif
