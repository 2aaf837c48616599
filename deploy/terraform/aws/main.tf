# Brook on AWS: the reference system's pipeline with Brook's processor in place of the Flink job.
# One VPC over three availability zones; MSK (mutual TLS and IAM), a private CA, the Glue schema
# registry, OpenSearch with fine-grained access control, and Brook on ECS Fargate.

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project = "brook"
      Stack   = var.name_prefix
    }
  }
}

data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  azs = slice(data.aws_availability_zones.available.names, 0, 3)

  # The pipeline's names: Brook's defaults (src/config/keys.ts, src/jobs/clickstream/rows.ts), so
  # that the IAM policies name exactly the topics and groups the tasks use.
  input_topic       = "clickstream"
  result_topics     = ["User_Sessions_Aggregates_With_Order_Checkout", "ClickEvents_UserId_Agg_Result", "Departments_Agg"]
  dead_letter_topic = "clickstream.dlq"
  late_topic        = "clickstream.late"
  checkpoint_topic  = "clickstream.checkpoints"
  processor_group   = "clickstream-processor"

  # The reference's registry and schema names; the schema is Brook's ClickEvent.
  registry_name = "${var.name_prefix}-clickstream"
  schema_name   = "clickstream"
}

module "network" {
  source   = "./modules/network"
  name     = var.name_prefix
  vpc_cidr = var.vpc_cidr
  azs      = local.azs

  glue_client_security_group_ids = {
    brook_tasks = module.brook.task_security_group_id
  }
}

module "pca" {
  source = "./modules/pca"
  name   = var.name_prefix
}

module "msk" {
  source             = "./modules/msk"
  name               = var.name_prefix
  vpc_id             = module.network.vpc_id
  subnet_ids         = module.network.private_subnet_ids
  kafka_version      = var.kafka_version
  broker_count       = var.broker_count
  instance_type      = var.broker_instance_type
  volume_size        = var.broker_volume_size
  client_ca_arn      = module.pca.ca_arn
  log_retention_days = var.log_retention_days

  iam_client_security_group_ids = {
    brook_tasks = module.brook.task_security_group_id
    access_host = module.access.security_group_id
  }
  mtls_client_security_group_ids = {
    access_host = module.access.security_group_id
  }
}

module "glue" {
  source        = "./modules/glue"
  registry_name = local.registry_name
  schema_name   = local.schema_name
  # Brook's own ClickEvent schema, byte for byte what the generator registers and looks up.
  schema_definition = trimspace(file("${path.module}/../../schemas/click-event.avsc"))
}

module "opensearch" {
  source                     = "./modules/opensearch"
  name                       = var.name_prefix
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.private_subnet_ids
  engine_version             = var.opensearch_engine_version
  instance_type              = var.opensearch_instance_type
  instance_count             = var.opensearch_instance_count
  volume_size                = var.opensearch_volume_size
  create_service_linked_role = var.create_opensearch_service_linked_role

  client_security_group_ids = {
    brook_tasks = module.brook.task_security_group_id
    access_host = module.access.security_group_id
  }
}

module "access" {
  source    = "./modules/access"
  name      = var.name_prefix
  vpc_id    = module.network.vpc_id
  subnet_id = module.network.private_subnet_ids[0]
}

module "brook" {
  source             = "./modules/brook"
  name               = var.name_prefix
  region             = var.region
  vpc_id             = module.network.vpc_id
  subnet_ids         = module.network.private_subnet_ids
  image_tag          = var.image_tag
  start_pipeline     = var.start_pipeline
  log_retention_days = var.log_retention_days

  processor_task_count = var.processor_task_count
  processor_cpu        = var.processor_cpu
  processor_memory     = var.processor_memory
  input_partitions     = var.input_partitions
  run_generator        = var.run_generator
  generator_threads    = var.generator_threads

  input_topic       = local.input_topic
  result_topics     = local.result_topics
  dead_letter_topic = local.dead_letter_topic
  late_topic        = local.late_topic
  checkpoint_topic  = local.checkpoint_topic
  processor_group   = local.processor_group

  msk_bootstrap_brokers_iam = module.msk.bootstrap_brokers_sasl_iam
  msk_cluster_arn           = module.msk.cluster_arn
  msk_topic_arn_prefix      = module.msk.topic_arn_prefix
  msk_group_arn_prefix      = module.msk.group_arn_prefix
  msk_security_group_id     = module.msk.security_group_id

  glue_registry_name = module.glue.registry_name
  glue_registry_arn  = module.glue.registry_arn
  glue_schema_name   = module.glue.schema_name
  glue_schema_arn    = module.glue.schema_arn

  opensearch_endpoint                   = module.opensearch.endpoint
  opensearch_dashboards_url             = module.opensearch.dashboards_url
  opensearch_domain_arn                 = module.opensearch.domain_arn
  opensearch_master_user_name           = module.opensearch.master_user_name
  opensearch_master_password_secret_arn = module.opensearch.master_password_secret_arn
}
