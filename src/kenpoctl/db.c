/* src/kenpoctl/db.c: being written (foundation). */
