# Inputs of the OpenSearch module.

variable "name" {
  description = "Name prefix; the domain is <name>-search."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the domain's security group."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets; the domain uses one per node (up to three)."
  type        = list(string)
}

variable "engine_version" {
  description = "OpenSearch engine version."
  type        = string
}

variable "instance_type" {
  description = "Data node instance type."
  type        = string
}

variable "instance_count" {
  description = "Number of data nodes (1 to 3)."
  type        = number
}

variable "volume_size" {
  description = "EBS storage per node, in GiB."
  type        = number
}

variable "master_user_name" {
  description = "Master user of fine-grained access control (internal user database)."
  type        = string
  default     = "brookadmin"
}

variable "create_service_linked_role" {
  description = "Create the service-linked role VPC domains need (false if the account has it)."
  type        = bool
}

variable "client_security_group_ids" {
  description = "Security groups allowed to the domain on 443, by a fixed label."
  type        = map(string)
}
