# Outputs of the network module.

output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "private_subnet_ids" {
  description = "IDs of the three private subnets (brokers, OpenSearch, tasks, access host)."
  value       = aws_subnet.private[*].id
}

output "public_subnet_ids" {
  description = "IDs of the three public subnets (the NAT gateway)."
  value       = aws_subnet.public[*].id
}

output "nat_public_ip" {
  description = "Public address the tasks' outbound traffic comes from."
  value       = aws_eip.nat.public_ip
}
