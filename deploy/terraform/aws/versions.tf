# Terraform and provider versions for Brook's AWS deployment. Pinned to a minor range so that a
# later `terraform init` does not pick up a provider with different defaults.
terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.70"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }
}
