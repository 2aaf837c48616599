# What a user needs after `terraform apply`: where the brokers, the registry, OpenSearch and the CA
# are, and the commands of the next steps with this deployment's names filled in.

output "region" {
  description = "Region of the deployment (for the aws commands of deploy/README.md)."
  value       = var.region
}

output "bootstrap_brokers_iam" {
  description = "MSK bootstrap servers for IAM clients (SASL_SSL, port 9098): what Brook's tasks use."
  value       = module.msk.bootstrap_brokers_sasl_iam
}

output "bootstrap_brokers_tls" {
  description = "MSK bootstrap servers for mutual-TLS clients (port 9094), with certificates from the private CA."
  value       = module.msk.bootstrap_brokers_tls
}

output "schema_registry_name" {
  description = "Glue schema registry holding the clickstream schema."
  value       = module.glue.registry_name
}

output "schema_name" {
  description = "Glue schema of the ClickEvent records (compatibility FULL)."
  value       = module.glue.schema_name
}

output "opensearch_endpoint" {
  description = "OpenSearch domain endpoint (in the VPC; reach it through the access host)."
  value       = module.opensearch.endpoint
}

output "opensearch_dashboards_url" {
  description = "OpenSearch Dashboards URL inside the VPC; from a laptop, use the port forwarding of opensearch_port_forward_command."
  value       = module.opensearch.dashboards_url
}

output "opensearch_master_user" {
  description = "OpenSearch master user (fine-grained access control, internal user database)."
  value       = module.opensearch.master_user_name
}

output "opensearch_master_password_command" {
  description = "Prints the OpenSearch master user's password from Secrets Manager."
  value       = "aws secretsmanager get-secret-value --region ${var.region} --secret-id ${module.opensearch.master_password_secret_arn} --query SecretString --output text"
}

output "private_ca_arn" {
  description = "ARN of the private CA that signs client certificates for mutual TLS."
  value       = module.pca.ca_arn
}

output "ecr_repository_url" {
  description = "ECR repository to push the Brook image to."
  value       = module.brook.ecr_repository_url
}

output "ecs_cluster_name" {
  description = "ECS cluster running Brook's tasks."
  value       = module.brook.cluster_name
}

output "log_group_name" {
  description = "CloudWatch log group of Brook's tasks (streams processor/..., generator/..., setup/...)."
  value       = module.brook.log_group_name
}

output "access_host_instance_id" {
  description = "EC2 instance (no inbound ports) to start SSM sessions and port forwarding through."
  value       = module.access.instance_id
}

output "setup_task_command" {
  description = "Runs the one-shot setup task (topics, OpenSearch indexes, writer role, dashboard import) and prints its task ARN."
  value       = "aws ecs run-task --region ${var.region} --cluster ${module.brook.cluster_name} --launch-type FARGATE --task-definition ${module.brook.setup_task_family} --network-configuration 'awsvpcConfiguration={subnets=[${join(",", module.network.private_subnet_ids)}],securityGroups=[${module.brook.task_security_group_id}],assignPublicIp=DISABLED}' --query 'tasks[0].taskArn' --output text"
}

output "opensearch_port_forward_command" {
  description = "Forwards https://localhost:8443 to the OpenSearch domain through the access host (needs the Session Manager plugin)."
  value       = "aws ssm start-session --region ${var.region} --target ${module.access.instance_id} --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters '{\"host\":[\"${module.opensearch.endpoint}\"],\"portNumber\":[\"443\"],\"localPortNumber\":[\"8443\"]}'"
}

output "next_steps" {
  description = "What to run next, in order (deploy/README.md explains each step)."
  value       = <<-EOT
    ${var.image_tag == "" ? "Next: build and push the image (deploy/README.md step 3), then apply again with image_tag set." : var.start_pipeline ? "The pipeline runs: open the dashboard (deploy/README.md step 7)." : "Next: run the setup task (deploy/README.md step 5), then apply again with start_pipeline = true."}
      image:      ${module.brook.ecr_repository_url}:${var.image_tag == "" ? "<tag>" : var.image_tag}
      setup:      terraform output -raw setup_task_command
      dashboards: terraform output -raw opensearch_port_forward_command, then https://localhost:8443/_dashboards/
      logs:       aws logs tail ${module.brook.log_group_name} --region ${var.region} --follow
  EOT
}
