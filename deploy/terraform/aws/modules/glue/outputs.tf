# Outputs of the Glue module.

output "registry_name" {
  description = "Name of the schema registry."
  value       = aws_glue_registry.this.registry_name
}

output "registry_arn" {
  description = "ARN of the schema registry."
  value       = aws_glue_registry.this.arn
}

output "schema_name" {
  description = "Name of the clickstream schema."
  value       = aws_glue_schema.clickstream.schema_name
}

output "schema_arn" {
  description = "ARN of the clickstream schema."
  value       = aws_glue_schema.clickstream.arn
}
