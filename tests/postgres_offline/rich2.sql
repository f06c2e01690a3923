SET search_path = app, public;
CREATE TABLE orders (
  id serial PRIMARY KEY,
  user_id bigint NOT NULL,
  "order" int,
  note text,
  CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
    ON DELETE CASCADE ON UPDATE RESTRICT DEFERRABLE INITIALLY DEFERRED,
  CONSTRAINT orders_note_check CHECK (note <> '') NO INHERIT,
  CONSTRAINT orders_uniq UNIQUE NULLS NOT DISTINCT ("order", note) INCLUDE (user_id) DEFERRABLE
);
ALTER TABLE orders ADD CONSTRAINT orders_order_positive CHECK ("order" > 0) NOT VALID;
COMMENT ON CONSTRAINT orders_user_fk ON orders IS 'owner';
CREATE INDEX orders_note_idx ON orders (note DESC NULLS LAST, note text_pattern_ops, user_id NULLS FIRST)
  INCLUDE ("order") WHERE note IS NOT NULL;
COMMENT ON INDEX orders_note_idx IS 'search';
CREATE UNIQUE INDEX orders_user_order ON orders USING btree (user_id, "order" DESC);
CREATE INDEX orders_note_hash ON orders USING hash (note);
CREATE INDEX orders_note_c ON orders (note COLLATE "C");
CREATE TABLE public."Straße Tabelle" (
  "Schlüssel" int PRIMARY KEY,
  "user" bigint REFERENCES users (id) MATCH FULL ON DELETE SET NULL,
  "select" text
);
CREATE TABLE "Straße".t (id int PRIMARY KEY);
ALTER TABLE "Straße".t ADD CONSTRAINT t_fk FOREIGN KEY (id) REFERENCES public."Straße Tabelle" ("Schlüssel") NOT VALID;
CREATE SEQUENCE public.standalone;
