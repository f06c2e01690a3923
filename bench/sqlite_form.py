"""The SQLite form of a schema from ../shared/bench/gen_schema.py: the same tables, columns,
keys, indexes, checks and views, in the types and syntax SQLite accepts."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path


def load_generator(path: Path):
    """Imports gen_schema.py as a module so its model (not its text) can be rendered."""
    spec = importlib.util.spec_from_file_location("gen_schema", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["gen_schema"] = mod
    spec.loader.exec_module(mod)
    return mod


SQLITE_TYPES = {
    "int": "integer", "bigint": "bigint", "text": "text", "varchar": "varchar({n})",
    "numeric": "numeric({n},{s})", "timestamptz": "timestamp", "bool": "boolean",
    "jsonb": "text", "uuid": "text", "enum": "text",
}


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def render(g, s, out) -> None:
    """Writes `s` (a gen_schema.Schema) as SQLite DDL."""
    w = out.write
    for t in s.tables:
        lines = []
        for c in t.cols:
            if c.identity and t.pk == [c.name]:
                lines.append(f"  {q(c.name)} integer PRIMARY KEY")
                continue
            d = f"  {q(c.name)} {SQLITE_TYPES[c.kind].format(n=c.n, s=c.s)}"
            if c.default is not None:
                if c.default[0] == "now":
                    d += " DEFAULT CURRENT_TIMESTAMP"
                elif c.default[0] == "lit":
                    v = c.default[1]
                    d += " DEFAULT " + (str(int(v)) if isinstance(v, bool) else g.sql_lit(v))
            if c.not_null:
                d += " NOT NULL"
            if c.kind == "enum":
                vals = ", ".join(g.sql_lit(v) for v in s.enums[c.enum])
                d += f" CHECK ({q(c.name)} IN ({vals}))"
            lines.append(d)
        single_pk = len(t.pk) == 1 and t.col(t.pk[0]).identity
        if not single_pk:
            lines.append(f"  PRIMARY KEY ({', '.join(q(c) for c in t.pk)})")
        for name, cols in t.uniques:
            lines.append(f"  CONSTRAINT {q(name)} UNIQUE ({', '.join(q(c) for c in cols)})")
        for k in t.checks:
            lines.append(f"  CONSTRAINT {q(k.name)} CHECK {k.pg.replace('char_length(', 'length(')}")
        for f in t.fks:
            od = f" ON DELETE {f.on_delete}" if f.on_delete else ""
            lines.append(f"  CONSTRAINT {q(f.name)} FOREIGN KEY ({', '.join(q(c) for c in f.cols)}) "
                         f"REFERENCES {q(f.ref)} ({', '.join(q(c) for c in f.ref_cols)}){od}")
        w(f"CREATE TABLE {q(t.name)} (\n" + ",\n".join(lines) + "\n);\n")
        for i in t.indexes:
            if i.method == "gin" or i.expr:
                continue
            u = "UNIQUE " if i.unique else ""
            body = ", ".join(q(c) + (" DESC" if d else "") for c, d in i.cols)
            wh = f" WHERE {i.where}" if i.where else ""
            w(f"CREATE {u}INDEX {q(i.name)} ON {q(t.name)} ({body}){wh};\n")
        w("\n")
    for v in s.views:
        w(g.render_view(v, s, q))


def main(argv=None) -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--generator", type=Path, required=True)
    ap.add_argument("--tables", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--mutate", action="store_true")
    ap.add_argument("-o", "--output", type=Path, required=True)
    a = ap.parse_args(argv)
    g = load_generator(a.generator)
    s = g.generate(a.tables, a.seed)
    if a.mutate:
        g.mutate(s, a.seed, 0.05)
    with open(a.output, "w") as out:
        render(g, s, out)


if __name__ == "__main__":
    main()
