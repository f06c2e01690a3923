-- Version 2: customers get a phone number, products a stock count, orders an open-orders
-- index, and the totals view counts lines too.

CREATE TABLE customers (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  email      TEXT    NOT NULL COLLATE NOCASE,
  full_name  TEXT    NOT NULL,
  phone      TEXT,
  created_at TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT customers_email_key UNIQUE (email)
);

CREATE TABLE products (
  id          INTEGER PRIMARY KEY,
  sku         TEXT    NOT NULL UNIQUE,
  name        TEXT    NOT NULL,
  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
  in_stock    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE orders (
  id          INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
  placed_at   TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP,
  status      TEXT    NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'paid', 'shipped'))
);

CREATE TABLE order_lines (
  order_id   INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  product_id INTEGER NOT NULL REFERENCES products (id),
  quantity   INTEGER NOT NULL DEFAULT 1 CHECK (quantity > 0),
  PRIMARY KEY (order_id, product_id)
) WITHOUT ROWID;

CREATE INDEX orders_customer_idx ON orders (customer_id, placed_at DESC);
CREATE INDEX orders_open_idx ON orders (placed_at) WHERE status <> 'shipped';

CREATE VIEW order_totals AS
  SELECT o.id AS order_id, o.customer_id, count(*) AS lines,
         sum(l.quantity * p.price_cents) AS total_cents
  FROM orders o
  JOIN order_lines l ON l.order_id = o.id
  JOIN products p ON p.id = l.product_id
  GROUP BY o.id, o.customer_id;
