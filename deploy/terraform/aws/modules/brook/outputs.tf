# Outputs of the brook module.

output "ecr_repository_url" {
  description = "URL of the ECR repository of the Brook image."
  value       = aws_ecr_repository.brook.repository_url
}

output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "setup_task_family" {
  description = "Task definition family of the one-shot setup task."
  value       = aws_ecs_task_definition.setup.family
}

output "task_security_group_id" {
  description = "Security group of Brook's tasks."
  value       = aws_security_group.tasks.id
}

output "log_group_name" {
  description = "Log group of Brook's tasks."
  value       = aws_cloudwatch_log_group.tasks.name
}

output "processor_role_arn" {
  description = "IAM role of the processor tasks (mapped to the OpenSearch writer role by the setup task)."
  value       = aws_iam_role.processor.arn
}
