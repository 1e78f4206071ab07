-- kenpo schema: per-insurer maintenance notices (issue 10 item 6; src/maintenance.c,
-- `kenpoctl insurer maintenance`).
--
-- One window per insurer (set replaces it, clear deletes it). Times are UTC like
-- every time in the database; kenpoctl takes and prints Japan time.
--   announce_from  from when members are told in advance ("予定"), ≤ starts_at
--   starts_at      the maintenance begins ("メンテナンス中")
--   ends_at        it ends; from then nothing is shown
--   message_ja/en  the operator's own words below the standard sentence (optional;
--                  English falls back to Japanese)
-- The notice is shown to that insurer's members on /login (entry link), the
-- signup pages once the insurer is known, and /top. Nothing is blocked.
CREATE TABLE insurer_maintenance (
  insurer_id     BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  announce_from  TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  starts_at      TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  ends_at        TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  message_ja     VARCHAR(500) NULL,
  message_en     VARCHAR(500) NULL,
  created_at     TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at     TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  KEY insurer_maintenance_window (ends_at),
  CONSTRAINT insurer_maintenance_insurer FOREIGN KEY (insurer_id)
    REFERENCES insurers (id) ON DELETE CASCADE,
  CONSTRAINT insurer_maintenance_order CHECK (announce_from <= starts_at AND starts_at < ends_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
