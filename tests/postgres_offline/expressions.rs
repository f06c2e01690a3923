//! Check constraint, default and predicate expressions, rendered as `pg_get_expr` does.

use crate::assert_same;

#[test]
fn checks_on_every_kind_of_operand() {
    assert_same(&[r#"CREATE TYPE mood AS ENUM ('a', 'b');
      CREATE TABLE t (a int, b bigint, c smallint, d numeric, e numeric(10,2), f real, g double precision, h text,
        i varchar(3), j char(2), k boolean, l date, m timestamptz, o mood, p text[], u uuid,
        CHECK (a > 0), CHECK (b > 0), CHECK (c > 0), CHECK (d > 0), CHECK (e > 0), CHECK (f > 0), CHECK (g > 0),
        CHECK (h <> ''), CHECK (i <> ''), CHECK (j <> ''), CHECK (k), CHECK (k = true), CHECK (l > '2020-01-01'),
        CHECK (m > now()), CHECK (o = 'a'), CHECK (a > 1.5), CHECK (d > 1.5), CHECK (c > b), CHECK (a + b > 0),
        CHECK (a IS NOT NULL), CHECK (a > 0 AND b > 0 OR c > 0), CHECK (NOT k), CHECK (a BETWEEN 1 AND 10),
        CHECK (a IN (1, 2, 3)), CHECK (h IN ('x', 'y')), CHECK (length(h) > 3), CHECK (length(i) > 3),
        CHECK (h LIKE 'x%'), CHECK (a <> -1), CHECK (e > -1.5), CHECK (h ~ '^x'), CHECK (lower(h) = h),
        CHECK (i = h), CHECK (a = b), CHECK (f > 1.5), CHECK (a >= 0 AND a <= 10), CHECK (a > 0 OR a IS NULL),
        CHECK (h <> 'x'::text), CHECK (a::text <> ''), CHECK (CAST(a AS bigint) > 0), CHECK (a % 2 = 0),
        CHECK (l > current_date), CHECK (u <> 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'));"#]);
}

#[test]
fn checks_on_operators_lists_and_casts() {
    assert_same(&[r#"CREATE TYPE mood AS ENUM ('a', 'b');
      CREATE TABLE t (a int, b bigint, c smallint, i varchar(3), o mood, h text, d numeric, g float8, f real,
        CHECK (a IN (1)), CHECK (i IN ('x', 'y')), CHECK (o IN ('a', 'b')), CHECK (b % 2 = 0), CHECK (b + 1 > 0),
        CHECK (c + 1 > 0), CHECK (c * 2 > 0), CHECK (a NOT IN (1, 2)), CHECK (a NOT BETWEEN 1 AND 2),
        CHECK (a - 1 > 0), CHECK (b / 2 > 0), CHECK (-a < 0), CHECK (a > -(1)), CHECK (h IN ('x')),
        CHECK ('x'::varchar(3) = i), CHECK (a::int > 0), CHECK (h IS NULL), CHECK (i LIKE 'x'), CHECK (h ILIKE 'x'),
        CHECK (h NOT LIKE 'x'), CHECK (h || 'x' <> ''), CHECK (a <> 1 AND a <> 2 AND a <> 3),
        CHECK (a <> 1 AND (a <> 2 AND a <> 3)), CHECK ((a <> 1 AND a <> 2) AND a <> 3), CHECK (c > 1.5),
        CHECK (a = 1 OR b = 1 OR c = 1), CHECK (o > 'a'), CHECK (NOT (a > 1)), CHECK (i <> h), CHECK (upper(i) = 'X'),
        CHECK (a % c = 0), CHECK (c % a = 0), CHECK (d > -1), CHECK (d * a > 0), CHECK (g > a), CHECK (f > g),
        CHECK (a IN (-1, 2)), CHECK (h !~* 'x'), CHECK (h !~ 'x'), CHECK (h ~* 'x'), CHECK (c = '5'), CHECK (d = '1.50'),
        CHECK (t.a > 0), CHECK (h <> 'a' || h), CHECK (b::numeric > 0), CHECK (a::text = '1'), CHECK (h::int > 0));"#]);
}

#[test]
fn edge_cases_of_constants_and_names() {
    assert_same(&[
        r#"CREATE TABLE "T" (a int PRIMARY KEY, "B" int UNIQUE, value int CHECK (value > 0), CHECK ("B" > a));"#,
        "CREATE TABLE t (a numeric DEFAULT 1.0, b numeric(5,2) CHECK (b > 0.5), c real DEFAULT 1.5, d int DEFAULT '  7 ');",
        "CREATE TABLE t (a text CHECK (a <> 'x' AND length(a) < 5 OR a IS NULL), b text DEFAULT '');",
        "CREATE TABLE t (a boolean DEFAULT 'true', b boolean CHECK (b IS NOT NULL AND NOT b), c boolean DEFAULT false);",
        "CREATE TABLE t (a timestamp DEFAULT current_timestamp, b date DEFAULT current_timestamp, c timestamptz DEFAULT localtimestamp);",
        "CREATE TABLE t (a int DEFAULT -2147483648, b bigint DEFAULT -9223372036854775808, c numeric DEFAULT 99999999999999999999, d numeric DEFAULT 0.000);",
        "CREATE TABLE t (a smallint DEFAULT 5, b smallint CHECK (b = '5'), c smallint CHECK (c + c > 0), d smallint DEFAULT -5);",
        "CREATE TABLE t (a varchar(10) CHECK (a IN ('x')), b varchar CHECK (length(b) BETWEEN 1 AND 3), c varchar(4) DEFAULT 'abc'::text);",
        "CREATE TABLE t (a varchar(10), b int); CREATE INDEX ON t (b) WHERE a = 'x' OR a IS NULL; CREATE INDEX ON t (a) WHERE b BETWEEN 1 AND 5;",
        "CREATE TABLE t (a int CHECK (a > 0) NOT NULL UNIQUE REFERENCES t (a), b numeric CHECK (-b < 0), c int CHECK (-(c) < -1));",
        "CREATE TABLE t (a bigint, b int, CHECK (a = b), CHECK (a < 5), CHECK (b IN (1, 2)), CHECK (a * b <> 0));",
        "CREATE TABLE t (a double precision DEFAULT 0, b real CHECK (b > 0.5), c float8 CHECK (c <> -1), d real CHECK (d > -1.5));",
        "CREATE TABLE t (x text DEFAULT 'a'::text || 'b', y int DEFAULT 1 + 2 * 3, z numeric DEFAULT 1 / 3);",
    ]);
}
