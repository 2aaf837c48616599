# IAM of the tasks, least privilege: each task role can do exactly its part's work on exactly the
# topics, groups, schemas and domain it uses (the same split as Brook's own ACLs for `brook up
# --secure`, src/platform/secure-acls.ts). MSK IAM names topics and groups by ARN.

data "aws_iam_policy_document" "ecs_tasks_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    # Only ECS acting for this account may assume the roles.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

# What the ECS agent needs to start any of the tasks: pull the image, write the logs.
data "aws_iam_policy_document" "execution" {
  statement {
    sid     = "EcrLogin"
    effect  = "Allow"
    actions = ["ecr:GetAuthorizationToken"]
    # GetAuthorizationToken has no resource-level permissions: AWS documents "*" for it.
    resources = ["*"]
  }

  statement {
    sid       = "PullBrookImage"
    effect    = "Allow"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
    resources = [aws_ecr_repository.brook.arn]
  }

  statement {
    sid       = "WriteTaskLogs"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.tasks.arn}:*"]
  }
}

data "aws_iam_policy_document" "setup_execution" {
  source_policy_documents = [data.aws_iam_policy_document.execution.json]

  # Only the setup task gets the OpenSearch master password, injected as OPENSEARCH_PASSWORD.
  statement {
    sid       = "ReadOpenSearchMasterPassword"
    effect    = "Allow"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.opensearch_master_password_secret_arn]
  }
}

resource "aws_iam_role" "execution" {
  name               = "${var.name}-brook-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
}

resource "aws_iam_role_policy" "execution" {
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

resource "aws_iam_role" "setup_execution" {
  name               = "${var.name}-brook-setup-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
}

resource "aws_iam_role_policy" "setup_execution" {
  role   = aws_iam_role.setup_execution.id
  policy = data.aws_iam_policy_document.setup_execution.json
}

# The processor (`brook up --no-generator`): reads the input, writes results, dead letters and
# late records, keeps its checkpoints and its scale-out exchange in topics of its own, commits
# offsets in its groups, reads schemas from Glue and indexes results into OpenSearch.
data "aws_iam_policy_document" "processor" {
  statement {
    sid       = "ConnectAndProduceIdempotently"
    effect    = "Allow"
    actions   = ["kafka-cluster:Connect", "kafka-cluster:WriteDataIdempotently"]
    resources = [var.msk_cluster_arn]
  }

  statement {
    sid       = "ReadInput"
    effect    = "Allow"
    actions   = ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"]
    resources = [local.topic_arn[var.input_topic]]
  }

  statement {
    sid       = "WriteResultsDeadLettersAndLateRecords"
    effect    = "Allow"
    actions   = ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"]
    resources = [for t in concat(var.result_topics, [var.dead_letter_topic, var.late_topic]) : local.topic_arn[t]]
  }

  statement {
    sid    = "OwnCheckpointAndExchangeTopics"
    effect = "Allow"

    actions = [
      "kafka-cluster:CreateTopic",
      "kafka-cluster:DescribeTopic",
      "kafka-cluster:DescribeTopicDynamicConfiguration",
      "kafka-cluster:ReadData",
      "kafka-cluster:WriteData",
    ]
    resources = [local.topic_arn[var.checkpoint_topic], local.group_topics_arn]
  }

  statement {
    sid       = "ConsumerGroups"
    effect    = "Allow"
    actions   = ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"]
    resources = local.group_arns
  }

  statement {
    sid     = "ReadSchemaVersions"
    effect  = "Allow"
    actions = ["glue:GetSchemaVersion"]
    # Records carry only a schema version UUID, and Glue authorizes GetSchemaVersion by it without
    # a registry or schema ARN: AWS's deserializer policy example grants it on "*".
    resources = ["*"]
  }

  statement {
    sid       = "IndexResults"
    effect    = "Allow"
    actions   = ["es:ESHttpPost"]
    resources = ["${var.opensearch_domain_arn}/_bulk"]
  }
}

resource "aws_iam_role" "processor" {
  name               = "${var.name}-brook-processor"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
}

resource "aws_iam_role_policy" "processor" {
  role   = aws_iam_role.processor.id
  policy = data.aws_iam_policy_document.processor.json
}

# The generator (`brook generate -iam -gsr`): writes the input topic, looks its schema up in Glue.
data "aws_iam_policy_document" "generator" {
  statement {
    sid       = "ConnectAndProduceIdempotently"
    effect    = "Allow"
    actions   = ["kafka-cluster:Connect", "kafka-cluster:WriteDataIdempotently"]
    resources = [var.msk_cluster_arn]
  }

  statement {
    sid       = "WriteInput"
    effect    = "Allow"
    actions   = ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"]
    resources = [local.topic_arn[var.input_topic]]
  }

  statement {
    sid       = "FindSchemaVersion"
    effect    = "Allow"
    actions   = ["glue:GetSchemaByDefinition"]
    resources = [var.glue_registry_arn, var.glue_schema_arn]
  }
}

resource "aws_iam_role" "generator" {
  name               = "${var.name}-brook-generator"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
}

resource "aws_iam_role_policy" "generator" {
  role   = aws_iam_role.generator.id
  policy = data.aws_iam_policy_document.generator.json
}

# The setup task: creates the pipeline's topics. OpenSearch it reaches as the master user (basic
# auth, password from Secrets Manager), so its role has no OpenSearch permission.
data "aws_iam_policy_document" "setup" {
  statement {
    sid       = "Connect"
    effect    = "Allow"
    actions   = ["kafka-cluster:Connect"]
    resources = [var.msk_cluster_arn]
  }

  statement {
    sid       = "CreatePipelineTopics"
    effect    = "Allow"
    actions   = ["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic"]
    resources = [for t in local.pipeline_topics : local.topic_arn[t]]
  }
}

resource "aws_iam_role" "setup" {
  name               = "${var.name}-brook-setup"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
}

resource "aws_iam_role_policy" "setup" {
  role   = aws_iam_role.setup.id
  policy = data.aws_iam_policy_document.setup.json
}
