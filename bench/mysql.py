"""MySQL/MariaDB side of the benchmark: databases, our commands, the peers (mariadb-dump and
skeema), and a catalog fingerprint of our own for the fidelity check."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from measure import run

HOST = os.environ.get("BENCH_MY_HOST", "127.0.0.1")
PORT = os.environ.get("BENCH_MY_PORT", "3306")
USER = os.environ.get("BENCH_MY_USER", "root")

NAME = "mysql"
FLAVOUR = "mysql"  # gen_schema.py --dialect


def url(db: str) -> str:
    return f"mysql://{USER}@{HOST}:{PORT}/{db}"


def client(*args: str, **kw):
    return run(["mariadb", "-h", HOST, "-P", PORT, "-u", USER, *args], **kw)


def recreate(db: str) -> None:
    client("-e", f"DROP DATABASE IF EXISTS `{db}`; CREATE DATABASE `{db}`")


def drop(db: str) -> None:
    client("-e", f"DROP DATABASE IF EXISTS `{db}`")


def load(db: str, sql: Path) -> None:
    """Creates `db` from the SQL file."""
    recreate(db)
    with open(sql) as f:
        client(db, stdin=f)


def copy(src: str, dst: str, src_sql: Path) -> None:
    """A copy of `src` as `dst`, loaded from the same file."""
    load(dst, src_sql)


def apply_script(db: str, sql: Path) -> None:
    with open(sql) as f:
        client(db, stdin=f)


def ours(schema: str, a: str, b: str, b_sql: Path, dev: str) -> list[tuple[str, list[str]]]:
    return [
        ("schema diff (live A → live B)", [schema, "diff", "--from", url(a), "--to", url(b)]),
        ("schema plan (live A → b.sql, --dev-url)", [schema, "plan", "--url", url(a), "--to", str(b_sql),
                                                     "--dev-url", url(dev), "--format", "sql"]),
        ("schema inspect (A)", [schema, "inspect", "--url", url(a)]),
    ]


def skeema_dir(a: str, b: str, work: Path) -> Path:
    """A skeema directory holding B's tables, pointed at live A: `skeema diff` there is A → B."""
    home = work / "skeema"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir()
    root = home / "schema"
    # skeema resolves --dir against the working directory even when it is absolute, and reads
    # every .sql file around it: it gets a directory of its own.
    subprocess.run(["skeema", "init", "--host", HOST, "--port", PORT, "--user", USER, "--schema", b, "--dir",
                    root.name], cwd=home, check=True, capture_output=True)
    sub = next(p for p in [root, *root.iterdir()] if (p / ".skeema").exists() and
               re.search(r"^schema=", (p / ".skeema").read_text(), re.M))
    cfg = sub / ".skeema"
    cfg.write_text(re.sub(r"^schema=.*$", f"schema={a}", cfg.read_text(), flags=re.M))
    return sub


def peers(a: str, b: str, work: Path) -> list[tuple[str, list[str], tuple]]:
    out = [("mariadb-dump --no-data (A)", ["mariadb-dump", "-h", HOST, "-P", PORT, "-u", USER, "--no-data", a], (0,))]
    if shutil.which("skeema"):
        sub = skeema_dir(a, b, work)
        # skeema diff exits 1 when it finds differences.
        out.append(("skeema diff (A → B)", ["sh", "-c", f'cd "{sub}" && exec skeema diff --allow-unsafe'], (0, 1)))
    return out


def peer_script(label: str, a: str, b: str, work: Path) -> Path | None:
    return None


def _q(db: str) -> str:
    return "'" + db.replace("'", "''") + "'"


# The fingerprint: information_schema in the server's own words, independent of our inspector.
# Column order counts: MySQL can place a column, and our plans keep the declared order.
FINGERPRINT = [
    """SELECT table_name, column_name, ordinal_position, column_type, is_nullable, column_default, extra,
              column_comment, collation_name FROM information_schema.columns WHERE table_schema = {db}
       ORDER BY 1, 3""",
    """SELECT table_name, index_name, seq_in_index, column_name, sub_part, non_unique, collation, index_type
       FROM information_schema.statistics WHERE table_schema = {db} ORDER BY 1, 2, 3""",
    """SELECT k.table_name, k.constraint_name, k.column_name, k.referenced_table_name, k.referenced_column_name,
              r.update_rule, r.delete_rule
       FROM information_schema.key_column_usage k JOIN information_schema.referential_constraints r
         ON r.constraint_schema = k.constraint_schema AND r.constraint_name = k.constraint_name
            AND r.table_name = k.table_name
       WHERE k.table_schema = {db} ORDER BY 1, 2, k.ordinal_position""",
    """SELECT table_name, constraint_name, check_clause FROM information_schema.check_constraints
       WHERE constraint_schema = {db} ORDER BY 1, 2""",
    """SELECT table_name, view_definition FROM information_schema.views WHERE table_schema = {db} ORDER BY 1""",
    """SELECT table_name, engine, table_collation, table_comment FROM information_schema.tables
       WHERE table_schema = {db} ORDER BY 1""",
]


def fingerprint(db: str) -> list[str]:
    lines = []
    for i, q in enumerate(FINGERPRINT):
        out = client("-N", "-B", "-e", q.format(db=_q(db))).stdout
        # View bodies name their database; the copy and B live in different ones.
        out = out.replace(f"`{db}`.", "`DB`.")
        lines += [f"{i}|{line}" for line in out.splitlines() if line]
    return lines
