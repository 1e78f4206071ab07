"""
kenpoctl db migrate (src/migrate.c): every file applied once, also when two
migrators run at the same time (two hosts deploying at once; on a Galera cluster
make cluster-test runs them on different nodes), and a file that failed half-way
refused at once afterwards instead of waited for.

Each test migrates a database of its own on the stack's MariaDB, from a
directory of its own files, so the stack's schema is not touched.
"""
import os
import subprocess

import conftest



def scratch(stack, tmp_path, files):
    """A new database, the kenpo user's grant on it, a migrations directory with
    files {name: sql}, and a config pointing at both."""
    name = "kenpo_mig_" + os.urandom(4).hex()
    stack.sql(f"GRANT ALL PRIVILEGES ON `{name}`.* TO 'kenpo'@'localhost'")
    d = tmp_path / "sql"
    d.mkdir()
    for fn, text in files.items():
        (d / fn).write_text(text, encoding="utf-8")
    conf = tmp_path / "kenpo.hdf"
    with open(stack.main.conf, encoding="utf-8") as f:
        text = f.read()
    text = text.replace("Database.Name = kenpo\n", f"Database.Name = {name}\n")
    conf.write_text(text, encoding="utf-8")
    return name, str(d), str(conf)


def migrate(conf, d):
    return subprocess.Popen([os.path.join(conftest.BUILD, "kenpoctl"), "-c", conf, "db",
                             "migrate", "--dir", d], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_two_migrators_at_once_apply_each_file_once(stack, tmp_path):
    files = {f"{n:04d}_t{n}.sql":
             f"CREATE TABLE t{n} (id INT PRIMARY KEY);\n"
             f"INSERT INTO t{n} VALUES (1);\n"
             # Slow enough that the two runs overlap on the same file.
             f"DO SLEEP(0.3);\n" for n in range(1, 6)}
    db, d, conf = scratch(stack, tmp_path, files)
    a, b = migrate(conf, d), migrate(conf, d)
    (oa, ea), (ob, eb) = a.communicate(timeout=120), b.communicate(timeout=120)
    assert a.returncode == 0, ea
    assert b.returncode == 0, eb
    applied = [ln.split()[1] for ln in (oa + ob).splitlines() if ln.startswith("applied ")]
    assert sorted(applied) == sorted(files), (oa, ob)
    # The loser said it waited rather than failing.
    assert "waiting for another migrate" in oa + ob, (oa, ob)
    rows = stack.db.run(f"SELECT version, applied_at IS NOT NULL, failed_at FROM "
                        f"`{db}`.schema_migrations ORDER BY version", db=None)
    assert rows == [(str(n), "1", None) for n in range(1, 6)]
    # Each INSERT ran once: one row per table.
    for n in range(1, 6):
        assert stack.db.run(f"SELECT COUNT(*) FROM `{db}`.t{n}", db=None) == [("1",)]


def test_a_file_that_failed_half_way_is_refused_at_once(stack, tmp_path):
    files = {"0001_ok.sql": "CREATE TABLE a (id INT PRIMARY KEY);\n",
             "0002_half.sql": "CREATE TABLE b (id INT PRIMARY KEY);\n"
                              "INSERT INTO no_such_table VALUES (1);\n"}
    db, d, conf = scratch(stack, tmp_path, files)
    p = migrate(conf, d)
    out, err = p.communicate(timeout=60)
    assert p.returncode != 0
    assert "statements before 2 were applied" in err, err
    rows = stack.db.run(f"SELECT version, applied_at IS NULL, failed_at IS NOT NULL "
                        f"FROM `{db}`.schema_migrations ORDER BY version", db=None)
    assert rows == [("1", "0", "0"), ("2", "1", "1")]
    # The next run refuses at once (it does not wait for a migrate that is gone).
    p = migrate(conf, d)
    out, err = p.communicate(timeout=20)
    assert p.returncode != 0
    assert "migration 0002 is incomplete (it failed)" in err, err
    assert "waiting" not in out


def test_a_schema_migrations_table_without_failed_at_is_upgraded(stack, tmp_path):
    db, d, conf = scratch(stack, tmp_path, {"0001_a.sql": "CREATE TABLE a (id INT PRIMARY KEY);\n",
                                            "0002_b.sql": "CREATE TABLE b (id INT PRIMARY KEY);\n"})
    # The table as kenpo made it before failed_at, with 0001 applied.
    stack.db.run(f"CREATE DATABASE `{db}`; CREATE TABLE `{db}`.schema_migrations ("
                 "version INT NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL, "
                 "applied_at TIMESTAMP(6) NULL, created_at TIMESTAMP(6) NOT NULL "
                 "DEFAULT CURRENT_TIMESTAMP(6)) ENGINE=InnoDB;"
                 f"CREATE TABLE `{db}`.a (id INT PRIMARY KEY);"
                 f"INSERT INTO `{db}`.schema_migrations (version, name, applied_at) "
                 "VALUES (1, '0001_a.sql', NOW(6))", db=None)
    p = migrate(conf, d)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0, err
    assert out.splitlines() == ["applied 0002_b.sql"]
    cols = [r[0] for r in stack.db.run(f"SHOW COLUMNS FROM `{db}`.schema_migrations",
                                       db=None)]
    assert "failed_at" in cols
