# The three task definitions. The image's entry point is `node bin/brook.js`, so a container's
# command is a `brook` command line. Everything Brook reads is in the environment: BROOK_* keys
# for `brook up` (src/config/keys.ts), SETUP_* for the setup script (deploy/setup/).

locals {
  log_options = {
    "awslogs-group"  = aws_cloudwatch_log_group.tasks.name
    "awslogs-region" = var.region
  }

  # The processor is `brook up` with the external-system configuration: MSK over IAM, Glue, and
  # OpenSearch with SigV4. Checkpoints go to a compacted topic, since tasks share no disk.
  processor_env = {
    AWS_REGION                                  = var.region
    BROOK_KAFKA_BOOTSTRAP                       = var.msk_bootstrap_brokers_iam
    BROOK_KAFKA_SECURITY_PROTOCOL               = "SASL_SSL"
    BROOK_KAFKA_SASL_MECHANISM                  = "AWS_MSK_IAM"
    BROOK_KAFKA_SASL_REGION                     = var.region
    BROOK_REGISTRY_GLUE_REGION                  = var.region
    BROOK_REGISTRY_GLUE_REGISTRY_NAME           = var.glue_registry_name
    BROOK_TOPICS_CLICKSTREAM                    = var.input_topic
    BROOK_TOPICS_DEAD_LETTER                    = var.dead_letter_topic
    BROOK_TOPICS_LATE                           = var.late_topic
    BROOK_TOPICS_PARTITIONS                     = tostring(var.input_partitions)
    BROOK_PROCESSOR_GROUP                       = var.processor_group
    BROOK_PROCESSOR_CHECKPOINT_TOPIC            = var.checkpoint_topic
    BROOK_PROCESSOR_CHECKPOINT_INTERVAL_SECONDS = "5"
    BROOK_OPENSEARCH_URL                        = "https://${var.opensearch_endpoint}"
    BROOK_OPENSEARCH_AWS_REGION                 = var.region
    # The task's own store only backs its health check and a local view: a day is plenty.
    BROOK_STORE_RETENTION = "1d"
  }

  setup_env = {
    AWS_REGION               = var.region
    SETUP_BOOTSTRAP          = var.msk_bootstrap_brokers_iam
    SETUP_KAFKA_PROPERTIES   = "deploy/msk-iam.properties"
    SETUP_OPENSEARCH_URL     = "https://${var.opensearch_endpoint}"
    SETUP_DASHBOARDS_URL     = var.opensearch_dashboards_url
    SETUP_OPENSEARCH_USER    = var.opensearch_master_user_name
    SETUP_WRITER_ROLE_ARN    = aws_iam_role.processor.arn
    BROOK_TOPICS_CLICKSTREAM = var.input_topic
    BROOK_TOPICS_DEAD_LETTER = var.dead_letter_topic
    BROOK_TOPICS_LATE        = var.late_topic
    BROOK_TOPICS_PARTITIONS  = tostring(var.input_partitions)
  }
}

resource "aws_ecs_task_definition" "processor" {
  family                   = "${var.name}-processor"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.processor_cpu
  memory                   = var.processor_memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.processor.arn

  # DuckDB's native module in the image is linux-x64 (glibc).
  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([{
    name        = "processor"
    image       = local.image
    essential   = true
    command     = ["up", "--no-generator"]
    environment = [for k, v in local.processor_env : { name = k, value = v }]

    healthCheck = {
      command     = ["CMD", "node", "deploy/container/healthcheck.ts"]
      interval    = 30
      timeout     = 10
      retries     = 3
      startPeriod = 120
    }
    linuxParameters  = { initProcessEnabled = true }
    stopTimeout      = 30
    logConfiguration = { logDriver = "awslogs", options = merge(local.log_options, { "awslogs-stream-prefix" = "processor" }) }
  }])
}

resource "aws_ecs_task_definition" "generator" {
  family                   = "${var.name}-generator"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.generator.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  # The reference's producer flags: MSK IAM, Glue framing against the schema Terraform created.
  container_definitions = jsonencode([{
    name      = "generator"
    image     = local.image
    essential = true

    command = [
      "generate", "-t", var.input_topic, "-nt", tostring(var.generator_threads), "-nle",
      "--bootstrap", var.msk_bootstrap_brokers_iam, "-iam", "--iam-region", var.region,
      "-gsr", "-gsrr", var.region, "-grn", var.glue_registry_name, "-gsn", var.glue_schema_name,
    ]
    environment      = [{ name = "AWS_REGION", value = var.region }]
    linuxParameters  = { initProcessEnabled = true }
    logConfiguration = { logDriver = "awslogs", options = merge(local.log_options, { "awslogs-stream-prefix" = "generator" }) }
  }])
}

resource "aws_ecs_task_definition" "setup" {
  family                   = "${var.name}-setup"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.setup_execution.arn
  task_role_arn            = aws_iam_role.setup.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([{
    name             = "setup"
    image            = local.image
    essential        = true
    entryPoint       = ["node", "deploy/setup/run-setup.ts"]
    environment      = [for k, v in local.setup_env : { name = k, value = v }]
    secrets          = [{ name = "OPENSEARCH_PASSWORD", valueFrom = var.opensearch_master_password_secret_arn }]
    logConfiguration = { logDriver = "awslogs", options = merge(local.log_options, { "awslogs-stream-prefix" = "setup" }) }
  }])
}
