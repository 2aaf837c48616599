# Inputs of the Glue schema registry module.

variable "registry_name" {
  description = "Name of the Glue schema registry."
  type        = string
}

variable "schema_name" {
  description = "Name of the schema (the reference's: the topic name)."
  type        = string
}

variable "schema_definition" {
  description = "Avro schema text of the first version: Brook's ClickEvent (deploy/schemas/click-event.avsc)."
  type        = string
}

variable "compatibility" {
  description = "Compatibility mode of the schema; the reference's is FULL."
  type        = string
  default     = "FULL"
}
