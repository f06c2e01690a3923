"""SQLite side of the benchmark: files, our commands, `sqlite3 .schema`, and a catalog
fingerprint through the pragmas for the fidelity check."""
from __future__ import annotations

import shutil
from pathlib import Path

from measure import run

NAME = "sqlite"
FLAVOUR = None  # rendered by sqlite_form.py


def url(db: str) -> str:
    return f"sqlite://{db}"


def drop(db: str) -> None:
    Path(db).unlink(missing_ok=True)


def load(db: str, sql: Path) -> None:
    drop(db)
    with open(sql) as f:
        run(["sqlite3", "-bail", db], stdin=f)


def copy(src: str, dst: str, _src_sql: Path | None = None) -> None:
    shutil.copyfile(src, dst)


def apply_script(db: str, sql: Path) -> None:
    with open(sql) as f:
        run(["sqlite3", "-bail", db], stdin=f)


def ours(schema: str, a: str, b: str, b_sql: Path, _dev: str) -> list[tuple[str, list[str]]]:
    return [
        ("schema diff (A → B)", [schema, "diff", "--from", url(a), "--to", url(b)]),
        ("schema plan (A → b.sql)", [schema, "plan", "--url", url(a), "--to", str(b_sql), "--format", "sql"]),
        ("schema inspect (A)", [schema, "inspect", "--url", url(a)]),
    ]


def peers(a: str, _b: str, _work: Path) -> list[tuple[str, list[str], tuple]]:
    return [("sqlite3 .schema (A)", ["sqlite3", a, ".schema"], (0,))]


def peer_script(label: str, a: str, b: str, work: Path) -> Path | None:
    return None


FINGERPRINT = """
SELECT m.name, 'col', c.name, c.type, c."notnull", c.dflt_value, c.pk, c.hidden
  FROM sqlite_master m, pragma_table_xinfo(m.name) c WHERE m.type = 'table'
UNION ALL
SELECT m.name, 'idx', i.name, i."unique", i.origin, i.partial, NULL, NULL
  FROM sqlite_master m, pragma_index_list(m.name) i WHERE m.type = 'table'
UNION ALL
SELECT m.name, 'fk', f."table", f."from", f."to", f.on_delete, f.on_update, f.seq
  FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'
UNION ALL
SELECT m.name, 'view', NULL, NULL, NULL, NULL, NULL, NULL FROM sqlite_master m WHERE m.type = 'view'
ORDER BY 1, 2, 3, 4, 5
"""


def fingerprint(db: str) -> list[str]:
    """The catalog of `db`; column order is ignored where a rebuild may not keep it."""
    out = run(["sqlite3", "-separator", "|", db, FINGERPRINT]).stdout
    return sorted(line for line in out.splitlines() if line)
