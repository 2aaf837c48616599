# Inputs of the brook module: where to run, what to run, and the names and addresses of the
# managed services the tasks use (for their configuration and their IAM policies).

variable "name" {
  description = "Name prefix of the ECS, ECR, IAM and CloudWatch resources."
  type        = string
}

variable "region" {
  description = "AWS region (for the tasks' AWS_REGION and log configuration)."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the tasks' security group."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets the tasks run in."
  type        = list(string)
}

variable "image_tag" {
  description = "Tag of the Brook image in the ECR repository; empty: no task runs."
  type        = string
}

variable "start_pipeline" {
  description = "Run the processor and generator services (after the setup task)."
  type        = bool
}

variable "log_retention_days" {
  description = "Retention of the tasks' log group."
  type        = number
}

variable "processor_task_count" {
  description = "Processor tasks sharing the consumer group."
  type        = number
}

variable "processor_cpu" {
  description = "CPU units of a processor task."
  type        = number
}

variable "processor_memory" {
  description = "Memory of a processor task, in MiB."
  type        = number
}

variable "input_partitions" {
  description = "Partitions of the input topic (created by the setup task)."
  type        = number
}

variable "run_generator" {
  description = "Run the generator service."
  type        = bool
}

variable "generator_threads" {
  description = "Workers of the generator."
  type        = number
}

variable "input_topic" {
  description = "Topic of the click events."
  type        = string
}

variable "result_topics" {
  description = "The three result topics of the clickstream job."
  type        = list(string)
}

variable "dead_letter_topic" {
  description = "Topic of records that cannot be decoded."
  type        = string
}

variable "late_topic" {
  description = "Topic of records that came after their window closed."
  type        = string
}

variable "checkpoint_topic" {
  description = "Compacted topic of the processor's checkpoints (Fargate tasks share no disk)."
  type        = string
}

variable "processor_group" {
  description = "Consumer group of the processor; scale-out also uses topics and groups named <group>-..."
  type        = string
}

variable "msk_bootstrap_brokers_iam" {
  description = "Bootstrap servers of the MSK IAM listener."
  type        = string
}

variable "msk_cluster_arn" {
  description = "ARN of the MSK cluster."
  type        = string
}

variable "msk_topic_arn_prefix" {
  description = "Topic ARN prefix of the cluster (append /<topic>)."
  type        = string
}

variable "msk_group_arn_prefix" {
  description = "Group ARN prefix of the cluster (append /<group>)."
  type        = string
}

variable "msk_security_group_id" {
  description = "Security group of the brokers."
  type        = string
}

variable "glue_registry_name" {
  description = "Glue schema registry name."
  type        = string
}

variable "glue_registry_arn" {
  description = "Glue schema registry ARN."
  type        = string
}

variable "glue_schema_name" {
  description = "Glue schema name of the click events."
  type        = string
}

variable "glue_schema_arn" {
  description = "Glue schema ARN of the click events."
  type        = string
}

variable "opensearch_endpoint" {
  description = "Host name of the OpenSearch domain."
  type        = string
}

variable "opensearch_dashboards_url" {
  description = "OpenSearch Dashboards URL."
  type        = string
}

variable "opensearch_domain_arn" {
  description = "ARN of the OpenSearch domain."
  type        = string
}

variable "opensearch_master_user_name" {
  description = "OpenSearch master user (the setup task signs in as it)."
  type        = string
}

variable "opensearch_master_password_secret_arn" {
  description = "Secret with the master user's password (read by the setup task's execution role only)."
  type        = string
}
