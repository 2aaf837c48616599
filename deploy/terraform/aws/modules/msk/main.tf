# The Kafka cluster: Amazon MSK with the reference's broker configuration (server.properties),
# clients authenticated by IAM (9098) or by certificates of the private CA (9094) and never
# unauthenticated, TLS in transit, a customer-managed key at rest, broker logs in CloudWatch and
# the Prometheus exporters the reference turned on.

resource "aws_kms_key" "msk" {
  description             = "${var.name} MSK encryption at rest"
  enable_key_rotation     = true
  deletion_window_in_days = 7
}

resource "aws_kms_alias" "msk" {
  name          = "alias/${var.name}-msk"
  target_key_id = aws_kms_key.msk.key_id
}

resource "aws_cloudwatch_log_group" "brokers" {
  name              = "/${var.name}/msk/brokers"
  retention_in_days = var.log_retention_days
}

# The reference's server properties, unchanged. Brook's setup task gives its own topics
# cleanup.policy=delete, since the cluster default compact,delete would drop older events of a
# key (a user, a department) from the input and result topics.
resource "aws_msk_configuration" "this" {
  name              = "${var.name}-brokers"
  description       = "Broker configuration of the reference system"
  kafka_versions    = [var.kafka_version]
  server_properties = file("${path.module}/server.properties")
}

resource "aws_security_group" "brokers" {
  name        = "${var.name}-msk"
  description = "MSK brokers: IAM (9098) and mutual TLS (9094) from named clients only"
  vpc_id      = var.vpc_id
  tags        = { Name = "${var.name}-msk" }
}

resource "aws_vpc_security_group_ingress_rule" "iam" {
  for_each                     = var.iam_client_security_group_ids
  security_group_id            = aws_security_group.brokers.id
  description                  = "Kafka over SASL_SSL with IAM from ${each.key}"
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
  referenced_security_group_id = each.value
}

resource "aws_vpc_security_group_ingress_rule" "mtls" {
  for_each                     = var.mtls_client_security_group_ids
  security_group_id            = aws_security_group.brokers.id
  description                  = "Kafka over mutual TLS from ${each.key}"
  ip_protocol                  = "tcp"
  from_port                    = 9094
  to_port                      = 9094
  referenced_security_group_id = each.value
}

# Brokers reach each other through their own group, as the reference's node-to-node rule.
resource "aws_vpc_security_group_ingress_rule" "brokers" {
  security_group_id            = aws_security_group.brokers.id
  description                  = "Broker to broker"
  ip_protocol                  = "tcp"
  from_port                    = 9092
  to_port                      = 9098
  referenced_security_group_id = aws_security_group.brokers.id
}

resource "aws_vpc_security_group_egress_rule" "brokers" {
  security_group_id            = aws_security_group.brokers.id
  description                  = "Broker to broker"
  ip_protocol                  = "tcp"
  from_port                    = 9092
  to_port                      = 9098
  referenced_security_group_id = aws_security_group.brokers.id
}

resource "aws_msk_cluster" "this" {
  cluster_name           = "${var.name}-kafka"
  kafka_version          = var.kafka_version
  number_of_broker_nodes = var.broker_count
  enhanced_monitoring    = "DEFAULT"

  broker_node_group_info {
    instance_type   = var.instance_type
    client_subnets  = var.subnet_ids
    security_groups = [aws_security_group.brokers.id]

    storage_info {
      ebs_storage_info {
        volume_size = var.volume_size
      }
    }
  }

  configuration_info {
    arn      = aws_msk_configuration.this.arn
    revision = aws_msk_configuration.this.latest_revision
  }

  client_authentication {
    unauthenticated = false

    sasl {
      iam = true
    }

    tls {
      certificate_authority_arns = [var.client_ca_arn]
    }
  }

  encryption_info {
    encryption_at_rest_kms_key_arn = aws_kms_key.msk.arn

    encryption_in_transit {
      client_broker = "TLS"
      in_cluster    = true
    }
  }

  logging_info {
    broker_logs {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.brokers.name
      }
    }
  }

  # The reference's JMX exporter; nothing scrapes it unless you open 11001-11002 to a Prometheus.
  open_monitoring {
    prometheus {
      jmx_exporter {
        enabled_in_broker = true
      }
      node_exporter {
        enabled_in_broker = false
      }
    }
  }
}
