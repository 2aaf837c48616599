# The search cluster: an OpenSearch domain inside the VPC with fine-grained access control (an
# internal master user, as the reference), HTTPS only, encryption at rest and between nodes. The
# master password is generated and kept in Secrets Manager; the setup task signs in with it to
# create the indexes, import the dashboard and map the processor's IAM role to a write-only role.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  domain_name = "${var.name}-search"
  # Computed, not read from the domain, so the access policy does not wait for the domain.
  domain_arn = "arn:${data.aws_partition.current.partition}:es:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:domain/${local.domain_name}"
}

resource "aws_iam_service_linked_role" "opensearch" {
  count            = var.create_service_linked_role ? 1 : 0
  aws_service_name = "opensearchservice.amazonaws.com"
}

# Fine-grained access control asks for upper and lower case, a digit and a symbol.
resource "random_password" "master" {
  length           = 24
  min_upper        = 2
  min_lower        = 2
  min_numeric      = 2
  min_special      = 2
  override_special = "!#%*-_=+"
}

resource "aws_secretsmanager_secret" "master" {
  name        = "${var.name}/opensearch/master-password"
  description = "Password of the OpenSearch master user ${var.master_user_name}"
  # Deleted at once on destroy, so that the same name can be applied again.
  recovery_window_in_days = 0
}

resource "aws_secretsmanager_secret_version" "master" {
  secret_id     = aws_secretsmanager_secret.master.id
  secret_string = random_password.master.result
}

resource "aws_security_group" "domain" {
  name        = "${var.name}-opensearch"
  description = "OpenSearch domain: HTTPS from named clients only"
  vpc_id      = var.vpc_id
  tags        = { Name = "${var.name}-opensearch" }
}

resource "aws_vpc_security_group_ingress_rule" "https" {
  for_each                     = var.client_security_group_ids
  security_group_id            = aws_security_group.domain.id
  description                  = "HTTPS from ${each.key}"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = each.value
}

resource "aws_opensearch_domain" "this" {
  domain_name    = local.domain_name
  engine_version = var.engine_version

  cluster_config {
    instance_type          = var.instance_type
    instance_count         = var.instance_count
    zone_awareness_enabled = var.instance_count > 1

    dynamic "zone_awareness_config" {
      for_each = var.instance_count > 1 ? [var.instance_count] : []
      content {
        availability_zone_count = zone_awareness_config.value
      }
    }
  }

  ebs_options {
    ebs_enabled = true
    volume_type = "gp3"
    volume_size = var.volume_size
  }

  vpc_options {
    subnet_ids         = slice(var.subnet_ids, 0, var.instance_count)
    security_group_ids = [aws_security_group.domain.id]
  }

  advanced_security_options {
    enabled                        = true
    internal_user_database_enabled = true

    master_user_options {
      master_user_name     = var.master_user_name
      master_user_password = random_password.master.result
    }
  }

  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = "Policy-Min-TLS-1-2-2019-07"
  }

  encrypt_at_rest {
    enabled = true
  }

  node_to_node_encryption {
    enabled = true
  }

  depends_on = [aws_iam_service_linked_role.opensearch]
}

# With fine-grained access control the domain policy lets every request through to the security
# plugin, which then authenticates it (master user, or an IAM role mapped to a role) and checks
# its permissions: a policy naming only IAM principals would refuse the Dashboards sign-in. The
# domain is reachable only inside the VPC, from the security groups above.
data "aws_iam_policy_document" "access" {
  statement {
    sid       = "FineGrainedAccessControlDecides"
    effect    = "Allow"
    actions   = ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut", "es:ESHttpPatch", "es:ESHttpDelete"]
    resources = ["${local.domain_arn}/*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_opensearch_domain_policy" "this" {
  domain_name     = aws_opensearch_domain.this.domain_name
  access_policies = data.aws_iam_policy_document.access.json
}
