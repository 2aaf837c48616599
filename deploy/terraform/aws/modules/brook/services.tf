# The long-running services. A deployment stops the old tasks before it starts new ones: a
# processor resumes from its checkpoint, and the group rebalances once instead of twice.

resource "aws_ecs_service" "processor" {
  name                               = "${var.name}-processor"
  cluster                            = aws_ecs_cluster.this.id
  task_definition                    = aws_ecs_task_definition.processor.arn
  launch_type                        = "FARGATE"
  desired_count                      = local.pipeline_running ? var.processor_task_count : 0
  deployment_minimum_healthy_percent = 0
  deployment_maximum_percent         = 100

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }

  lifecycle {
    precondition {
      condition     = var.processor_task_count <= var.input_partitions
      error_message = "processor_task_count must not exceed input_partitions: a task without a partition has nothing to do."
    }
  }
}

resource "aws_ecs_service" "generator" {
  name                               = "${var.name}-generator"
  cluster                            = aws_ecs_cluster.this.id
  task_definition                    = aws_ecs_task_definition.generator.arn
  launch_type                        = "FARGATE"
  desired_count                      = local.pipeline_running && var.run_generator ? 1 : 0
  deployment_minimum_healthy_percent = 0
  deployment_maximum_percent         = 100

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }
}
