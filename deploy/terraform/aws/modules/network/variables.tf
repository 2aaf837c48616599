# Inputs of the network module.

variable "name" {
  description = "Name prefix of the network's resources."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC."
  type        = string
}

variable "azs" {
  description = "The three availability zones to spread the subnets over."
  type        = list(string)
}

variable "glue_client_security_group_ids" {
  description = "Security groups allowed to reach the Glue interface endpoint on 443, by a fixed label (map keys must be known at plan time)."
  type        = map(string)
}
