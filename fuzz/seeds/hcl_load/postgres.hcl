schema "app" {}

enum "mood" {
  schema = schema.app
  values = ["sad", "ok"]
}

sequence "counter" {
  schema    = schema.app
  start     = 10
  increment = 5
}

table "app" "people" {
  column "id" {
    type = bigint
    identity {
      generated = BY_DEFAULT
    }
  }
  column "mood" {
    null = true
    type = enum.mood
  }
  column "boss" {
    null = true
    type = bigint
  }
  primary_key {
    columns = [column.id]
  }
  foreign_key "people_boss" {
    columns     = [column.boss]
    ref_columns = [table.people.column.id]
    on_delete   = SET_NULL
  }
  row_security {
    enabled = true
  }
}

policy "own_rows" {
  on    = table.app.people
  for   = SELECT
  to    = [PUBLIC]
  using = "id > 0"
}
