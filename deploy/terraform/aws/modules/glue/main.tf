# The AWS Glue schema registry and the clickstream schema, as the reference created them. The
# generator (-gsr without -gar) only looks its definition up, so it needs no right to register.

resource "aws_glue_registry" "this" {
  registry_name = var.registry_name
  description   = "Brook clickstream schemas"
}

resource "aws_glue_schema" "clickstream" {
  schema_name       = var.schema_name
  registry_arn      = aws_glue_registry.this.arn
  data_format       = "AVRO"
  compatibility     = var.compatibility
  description       = "ClickEvent records of the clickstream topic"
  schema_definition = var.schema_definition
}
