CREATE SCHEMA app;
SET search_path TO app;
CREATE TABLE t (id int PRIMARY KEY, n text DEFAULT 'x' CHECK (length(n) > 0), r int REFERENCES t (id) ON DELETE SET NULL);
CREATE UNIQUE INDEX t_n ON t (n) WHERE r IS NOT NULL;
COMMENT ON COLUMN t.n IS 'codes';
