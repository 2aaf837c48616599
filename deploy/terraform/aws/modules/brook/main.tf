# Brook on ECS Fargate: an ECR repository for the image, a cluster, one log group, and the names
# shared by the task definitions and the IAM policies.

data "aws_caller_identity" "current" {}

locals {
  # A tag that cannot exist stands in until one is pushed; no service runs without a real one.
  image            = "${aws_ecr_repository.brook.repository_url}:${var.image_tag == "" ? "not-pushed-yet" : var.image_tag}"
  pipeline_running = var.image_tag != "" && var.start_pipeline

  pipeline_topics = concat([var.input_topic], var.result_topics, [var.dead_letter_topic, var.late_topic])
  topic_arn       = { for t in concat(local.pipeline_topics, [var.checkpoint_topic]) : t => "${var.msk_topic_arn_prefix}/${t}" }
  # Scale-out's exchange topics and groups are named after the processor's group.
  group_topics_arn = "${var.msk_topic_arn_prefix}/${var.processor_group}-*"
  group_arns       = ["${var.msk_group_arn_prefix}/${var.processor_group}", "${var.msk_group_arn_prefix}/${var.processor_group}-*"]
}

resource "aws_ecr_repository" "brook" {
  name                 = "${var.name}/brook"
  image_tag_mutability = "IMMUTABLE"
  # The repository's images go with it on destroy.
  force_delete = true

  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_ecr_lifecycle_policy" "brook" {
  repository = aws_ecr_repository.brook.name

  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the 10 newest images"
      selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 10 }
      action       = { type = "expire" }
    }]
  })
}

resource "aws_ecs_cluster" "this" {
  name = "${var.name}-brook"
}

resource "aws_cloudwatch_log_group" "tasks" {
  name              = "/${var.name}/brook"
  retention_in_days = var.log_retention_days
}
