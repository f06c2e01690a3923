table "t" {
  column "id" {
    type = integer
  }
  column "name" {
    null    = true
    type    = sql("varchar(20)")
    default = "x"
  }
  primary_key {
    columns = [column.id]
  }
  index "t_name" {
    on {
      column = column.name
      desc   = true
    }
  }
  check "named" {
    expr = "length(name) > 0"
  }
  without_rowid = true
}
