# The tasks' security group: no inbound at all (the dashboard listens on the task's loopback, for
# its health check); outbound only to the brokers' IAM listener and HTTPS.

resource "aws_security_group" "tasks" {
  name        = "${var.name}-brook-tasks"
  description = "Brook tasks: no inbound; Kafka IAM listener and HTTPS out"
  vpc_id      = var.vpc_id
  tags        = { Name = "${var.name}-brook-tasks" }
}

resource "aws_vpc_security_group_egress_rule" "kafka_iam" {
  security_group_id            = aws_security_group.tasks.id
  description                  = "Kafka over SASL_SSL with IAM"
  ip_protocol                  = "tcp"
  from_port                    = 9098
  to_port                      = 9098
  referenced_security_group_id = var.msk_security_group_id
}

# ECR and CloudWatch Logs through the NAT gateway; Glue and OpenSearch inside the VPC.
resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.tasks.id
  description       = "HTTPS: ECR, CloudWatch Logs, Glue endpoint, OpenSearch"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}
