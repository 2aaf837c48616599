# Outputs of the access host module.

output "instance_id" {
  description = "ID of the instance, the target of `aws ssm start-session`."
  value       = aws_instance.host.id
}

output "security_group_id" {
  description = "Security group of the host, allowed into MSK and OpenSearch."
  value       = aws_security_group.host.id
}
