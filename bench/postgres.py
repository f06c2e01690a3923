"""PostgreSQL side of the benchmark: databases, our commands, the peers, and a catalog
fingerprint of our own for the fidelity check."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from measure import run

HOST = os.environ.get("BENCH_PG_HOST", "127.0.0.1")
PORT = os.environ.get("BENCH_PG_PORT", "5432")
USER = os.environ.get("BENCH_PG_USER", "postgres")
MIGRA = os.environ.get("BENCH_MIGRA", "/opt/peers/venv/bin/migra")


def real_pg_dump() -> str:
    """The newest server's own pg_dump: Debian's /usr/bin/pg_dump is a Perl wrapper (pg_wrapper)
    that costs ~100 ms per call before the real binary starts, which is not pg_dump's time."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"), key=lambda p: int(p.parts[-3]))
    return str(found[-1]) if found else "pg_dump"


PG_DUMP = os.environ.get("BENCH_PG_DUMP") or real_pg_dump()

NAME = "postgres"
FLAVOUR = "postgres"  # gen_schema.py --dialect


def url(db: str) -> str:
    return f"postgres://{USER}@{HOST}:{PORT}/{db}"


def psql(db: str, *args: str, **kw):
    return run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", HOST, "-p", PORT, "-U", USER, "-d", db, *args],
               **kw)


def recreate(db: str) -> None:
    """Drops and creates `db` empty."""
    psql("postgres", "-c", f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    psql("postgres", "-c", f'CREATE DATABASE "{db}"')


def drop(db: str) -> None:
    psql("postgres", "-c", f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def load(db: str, sql: Path) -> None:
    """Creates `db` from the SQL file, statement by statement: at 5,000 tables one transaction
    would hold more locks than max_locks_per_transaction allows (it stops on the first error).
    Then ANALYZEs it, system catalogs included, as autovacuum does within a minute or so on a
    live database: measured straight after the load, the catalogs still carry the statistics of
    an empty database, and every tool that reads them (ours, pg_dump, migra) is timed on plans
    made for a catalog a thousandth of its size; whether autovacuum had got there first decided
    the figures (our 1,000-table diff: 0.76 s before, 0.30 s after)."""
    recreate(db)
    psql(db, "-f", str(sql))
    psql(db, "-c", "ANALYZE")


def copy(src: str, dst: str) -> None:
    """A copy of `src` as `dst` (template copy: structure and all)."""
    drop(dst)
    psql("postgres", "-c", f'CREATE DATABASE "{dst}" TEMPLATE "{src}"')


def apply_script(db: str, sql: Path) -> None:
    """Runs a migration script; a script with CONCURRENTLY cannot run in one transaction."""
    single = [] if "CONCURRENTLY" in sql.read_text() else ["-1"]
    psql(db, *single, "-f", str(sql))


def ours(schema: str, a: str, b: str, b_sql: Path, dev: str) -> list[tuple[str, list[str]]]:
    """Our commands, labelled as in the report."""
    return [
        ("schema diff (live A → live B)", [schema, "diff", "--from", url(a), "--to", url(b)]),
        ("schema plan (live A → b.sql, --dev-url)", [schema, "plan", "--url", url(a), "--to", str(b_sql),
                                                     "--dev-url", url(dev), "--format", "sql"]),
        ("schema inspect (A)", [schema, "inspect", "--url", url(a)]),
    ]


def peers(a: str, b: str, work: Path) -> list[tuple[str, list[str], tuple]]:
    """The peers' commands with their accepted exit codes (migra exits 2 when it finds changes)."""
    dumps = []
    for db in (a, b):
        out = work / f"{db}.dump.sql"
        run([PG_DUMP, "--schema-only", "-h", HOST, "-p", PORT, "-U", USER, "-d", db, "-f", str(out)])
        # pg_dump 15.14+ brackets the dump with psql meta-commands (\restrict) apgdiff cannot read.
        text = out.read_text()
        out.write_text("".join(line for line in text.splitlines(True) if not line.startswith("\\")))
        dumps.append(str(out))
    peers = [("pg_dump --schema-only (A)", [PG_DUMP, "--schema-only", "-h", HOST, "-p", PORT, "-U", USER, "-d", a],
              (0,))]
    if shutil.which(MIGRA) or Path(MIGRA).exists():
        peers.append(("migra (A → B)", [MIGRA, "--unsafe", url(a).replace("postgres://", "postgresql://"),
                                        url(b).replace("postgres://", "postgresql://")], (0, 2)))
    if shutil.which("apgdiff"):
        peers.append(("apgdiff (dump A → dump B)", ["apgdiff", dumps[0], dumps[1]], (0,)))
    return peers


def peer_script(label: str, a: str, b: str, work: Path) -> Path | None:
    """The migration script a peer writes, for its fidelity check (None: not checked)."""
    out = work / f"peer-{label.split()[0]}.sql"
    if label.startswith("migra"):
        p = run([MIGRA, "--unsafe", url(a).replace("postgres://", "postgresql://"),
                 url(b).replace("postgres://", "postgresql://")], ok=(0, 2))
    elif label.startswith("apgdiff"):
        p = run(["apgdiff", str(work / f"{a}.dump.sql"), str(work / f"{b}.dump.sql")])
    else:
        return None
    out.write_text(p.stdout)
    return out


# The fingerprint queries: what a schema is, in the server's own words, independent of our
# inspector. Column order is left out: PostgreSQL cannot reorder columns, so an added column
# lands last whatever the desired order.
FINGERPRINT = [
    """SELECT table_name, column_name, data_type, character_maximum_length, numeric_precision, numeric_scale,
              is_nullable, column_default, udt_name, is_identity
       FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2""",
    """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2""",
    "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2",
    "SELECT viewname, definition FROM pg_views WHERE schemaname = 'public' ORDER BY 1",
    """SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY 1 ORDER BY 1""",
    """SELECT c.relname, a.attname, col_description(c.oid, a.attnum)
       FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
       WHERE c.relnamespace = 'public'::regnamespace AND a.attnum >= 0
         AND col_description(c.oid, a.attnum) IS NOT NULL ORDER BY 1, 2""",
    """SELECT relname, obj_description(oid, 'pg_class') FROM pg_class
       WHERE relnamespace = 'public'::regnamespace AND obj_description(oid, 'pg_class') IS NOT NULL ORDER BY 1""",
]


def fingerprint(db: str) -> list[str]:
    """The catalog of `db` as sorted lines."""
    lines = []
    for i, q in enumerate(FINGERPRINT):
        out = psql(db, "-A", "-t", "-F", "|", "-c", q).stdout
        lines += [f"{i}|{line}" for line in out.splitlines() if line]
    return lines
