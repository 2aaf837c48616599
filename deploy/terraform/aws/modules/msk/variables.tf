# Inputs of the MSK module.

variable "name" {
  description = "Name prefix of the cluster and its companions."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the brokers' security group."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets, one per availability zone; brokers are spread evenly over them."
  type        = list(string)
}

variable "kafka_version" {
  description = "Apache Kafka version."
  type        = string
}

variable "broker_count" {
  description = "Number of brokers (a multiple of the number of subnets)."
  type        = number
}

variable "instance_type" {
  description = "Broker instance type."
  type        = string
}

variable "volume_size" {
  description = "EBS storage per broker, in GiB."
  type        = number
}

variable "client_ca_arn" {
  description = "ARN of the ACTIVE private CA whose client certificates the TLS listener accepts."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the broker log group."
  type        = number
}

variable "iam_client_security_group_ids" {
  description = "Security groups allowed to the IAM listener (9098), by a fixed label."
  type        = map(string)
}

variable "mtls_client_security_group_ids" {
  description = "Security groups allowed to the mutual-TLS listener (9094), by a fixed label."
  type        = map(string)
  default     = {}
}
