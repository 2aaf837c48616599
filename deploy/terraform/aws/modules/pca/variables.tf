# Inputs of the private CA module.

variable "name" {
  description = "Name prefix; the CA's subject is \"<name> Kafka client CA\"."
  type        = string
}

variable "validity_years" {
  description = "Validity of the CA's own (root) certificate. Short-lived mode limits the client certificates it issues to 7 days, not this."
  type        = number
  default     = 5
}
