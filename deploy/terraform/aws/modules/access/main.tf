# The access host: the counterpart of the reference's Kafka client instance, without its public
# address and open SSH port. A small instance in a private subnet that only AWS Systems Manager
# reaches (outbound through the NAT gateway), for port forwarding to OpenSearch Dashboards and for
# running Kafka clients against the brokers' IAM and mutual-TLS listeners.

data "aws_partition" "current" {}

data "aws_ssm_parameter" "al2023_arm64" {
  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
}

data "aws_iam_policy_document" "ec2_trust" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "host" {
  name               = "${var.name}-access-host"
  assume_role_policy = data.aws_iam_policy_document.ec2_trust.json
}

# AWS's managed policy for Session Manager: what the SSM agent needs, nothing more.
resource "aws_iam_role_policy_attachment" "ssm_core" {
  role       = aws_iam_role.host.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_instance_profile" "host" {
  name = "${var.name}-access-host"
  role = aws_iam_role.host.name
}

# No ingress rule at all: sessions are opened by the agent from inside.
resource "aws_security_group" "host" {
  name        = "${var.name}-access-host"
  description = "Access host: no inbound; outbound HTTPS and Kafka"
  vpc_id      = var.vpc_id
  tags        = { Name = "${var.name}-access-host" }
}

resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = aws_security_group.host.id
  description       = "HTTPS: Systems Manager through the NAT gateway, OpenSearch in the VPC"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "kafka" {
  security_group_id = aws_security_group.host.id
  description       = "Kafka listeners of MSK (mutual TLS 9094, IAM 9098)"
  ip_protocol       = "tcp"
  from_port         = 9094
  to_port           = 9098
  cidr_ipv4         = data.aws_vpc.this.cidr_block
}

data "aws_vpc" "this" {
  id = var.vpc_id
}

resource "aws_instance" "host" {
  ami                    = data.aws_ssm_parameter.al2023_arm64.value
  instance_type          = var.instance_type
  subnet_id              = var.subnet_id
  iam_instance_profile   = aws_iam_instance_profile.host.name
  vpc_security_group_ids = [aws_security_group.host.id]

  associate_public_ip_address = false

  metadata_options {
    http_tokens = "required"
  }

  root_block_device {
    encrypted = true
  }

  tags = { Name = "${var.name}-access-host" }

  # A newer AMI in the parameter must not replace the host on every apply.
  lifecycle {
    ignore_changes = [ami]
  }
}
