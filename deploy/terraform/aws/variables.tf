# The knobs of Brook's AWS deployment. Defaults reproduce the reference system's sizes (three
# kafka.m5.large brokers, one t3.medium.search node); see deploy/README.md for cheaper settings.

variable "region" {
  description = "AWS region to deploy into, e.g. us-east-1."
  type        = string
}

variable "name_prefix" {
  description = "Prefix of every resource name (lower case letters, digits and dashes; at most 16 characters, as the OpenSearch domain name is short)."
  type        = string
  default     = "brook"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.name_prefix))
    error_message = "name_prefix must start with a letter and have 2 to 16 lower case letters, digits or dashes."
  }
}

variable "vpc_cidr" {
  description = "CIDR block of the new VPC: a /16 to /20; each of the six subnets takes a /24-sized slice of it."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr)) && tonumber(split("/", var.vpc_cidr)[1]) <= 20
    error_message = "vpc_cidr must be an IPv4 CIDR block of size /20 or larger."
  }
}

variable "kafka_version" {
  description = "Apache Kafka version of the MSK cluster (a ZooKeeper-mode version: the reference's server properties include zookeeper.connection.timeout.ms)."
  type        = string
  default     = "3.6.0"
}

variable "broker_count" {
  description = "Number of MSK brokers: a multiple of 3 (one per availability zone). At least 3, since topics are replicated 3 times with min.insync.replicas=2."
  type        = number
  default     = 3

  validation {
    condition     = var.broker_count >= 3 && var.broker_count % 3 == 0
    error_message = "broker_count must be 3, 6, 9, ... (one subnet per availability zone, replication factor 3)."
  }
}

variable "broker_instance_type" {
  description = "MSK broker instance type. kafka.m5.large is the reference's; kafka.t3.small is enough for the demo load and costs about a fifth."
  type        = string
  default     = "kafka.m5.large"
}

variable "broker_volume_size" {
  description = "EBS storage per broker, in GiB."
  type        = number
  default     = 100
}

variable "opensearch_engine_version" {
  description = "OpenSearch engine version of the search domain."
  type        = string
  default     = "OpenSearch_2.11"
}

variable "opensearch_instance_type" {
  description = "Instance type of the OpenSearch data nodes."
  type        = string
  default     = "t3.medium.search"
}

variable "opensearch_instance_count" {
  description = "Number of OpenSearch data nodes: 1 (the reference's), or 2 or 3 spread over availability zones."
  type        = number
  default     = 1

  validation {
    condition     = contains([1, 2, 3], var.opensearch_instance_count)
    error_message = "opensearch_instance_count must be 1, 2 or 3."
  }
}

variable "opensearch_volume_size" {
  description = "EBS storage per OpenSearch node, in GiB."
  type        = number
  default     = 10
}

variable "create_opensearch_service_linked_role" {
  description = "Create the AWSServiceRoleForAmazonOpenSearchService role that VPC domains need. Set false if the account already has it (aws iam get-role --role-name AWSServiceRoleForAmazonOpenSearchService)."
  type        = bool
  default     = true
}

variable "image_tag" {
  description = "Tag of the Brook image in the ECR repository this module creates. Empty until you have pushed one: no task can run without it."
  type        = string
  default     = ""
}

variable "start_pipeline" {
  description = "Run the processor (and generator) services. Leave false until the one-shot setup task has created the topics and the OpenSearch indexes (deploy/README.md, step 5)."
  type        = bool
  default     = false
}

variable "processor_task_count" {
  description = "Number of `brook up --no-generator` processor tasks in the consumer group. More than 1 needs Brook's processor scale-out and at most input_partitions tasks."
  type        = number
  default     = 1

  validation {
    condition     = var.processor_task_count >= 1
    error_message = "processor_task_count must be at least 1."
  }
}

variable "processor_cpu" {
  description = "CPU units of a processor task (1024 = one vCPU)."
  type        = number
  default     = 512
}

variable "processor_memory" {
  description = "Memory of a processor task, in MiB."
  type        = number
  default     = 1024
}

variable "input_partitions" {
  description = "Partitions of the clickstream topic: the most processor tasks that can share the work."
  type        = number
  default     = 3
}

variable "run_generator" {
  description = "Run `brook generate`, the port of the reference's clickstream producer, as a service (for demos: it writes about 250 events/s)."
  type        = bool
  default     = true
}

variable "generator_threads" {
  description = "Workers of the generator (-nt), each playing one shopper session at a time."
  type        = number
  default     = 2
}

variable "log_retention_days" {
  description = "How long CloudWatch keeps the broker and task logs."
  type        = number
  default     = 7
}
