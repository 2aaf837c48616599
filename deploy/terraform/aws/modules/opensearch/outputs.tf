# Outputs of the OpenSearch module.

output "endpoint" {
  description = "Host name of the domain's VPC endpoint."
  value       = aws_opensearch_domain.this.endpoint
}

output "dashboards_url" {
  description = "OpenSearch Dashboards URL (inside the VPC)."
  value       = "https://${aws_opensearch_domain.this.endpoint}/_dashboards"
}

output "domain_arn" {
  description = "ARN of the domain."
  value       = aws_opensearch_domain.this.arn
}

output "master_user_name" {
  description = "Master user of fine-grained access control."
  value       = var.master_user_name
}

output "master_password_secret_arn" {
  description = "Secrets Manager secret holding the master user's password."
  value       = aws_secretsmanager_secret.master.arn
}
