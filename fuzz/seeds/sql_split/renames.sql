CREATE TABLE people ( -- schema:renamed-from users
  id        INTEGER PRIMARY KEY,
  full_name TEXT -- schema:renamed-from name
);
