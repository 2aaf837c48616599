# Inputs of the access host module.

variable "name" {
  description = "Name prefix of the host and its role."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the host's security group."
  type        = string
}

variable "subnet_id" {
  description = "Private subnet the host runs in."
  type        = string
}

variable "instance_type" {
  description = "Instance type (Graviton: the AMI below is arm64)."
  type        = string
  default     = "t4g.nano"
}
