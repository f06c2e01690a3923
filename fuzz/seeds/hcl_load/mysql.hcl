schema "app" {}

table "m" {
  schema = schema.app
  column "k" {
    type     = int
    unsigned = true
  }
  column "e" {
    type = enum("a", "b")
  }
  partition {
    type    = RANGE
    columns = [column.k]
    partition "p0" {
      values_less_than = ["10"]
    }
  }
}

event "tick" {
  schema = schema.app
  every  = 1
  unit   = DAY
  as     = "DELETE FROM m"
}
