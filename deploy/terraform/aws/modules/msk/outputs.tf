# Outputs of the MSK module, including the ARN prefixes that IAM policies name topics and
# consumer groups by: arn:...:topic/<cluster name>/<cluster uuid>/<topic>.

output "cluster_arn" {
  description = "ARN of the MSK cluster."
  value       = aws_msk_cluster.this.arn
}

output "bootstrap_brokers_sasl_iam" {
  description = "Bootstrap servers of the IAM listener (9098)."
  value       = aws_msk_cluster.this.bootstrap_brokers_sasl_iam
}

output "bootstrap_brokers_tls" {
  description = "Bootstrap servers of the mutual-TLS listener (9094)."
  value       = aws_msk_cluster.this.bootstrap_brokers_tls
}

output "topic_arn_prefix" {
  description = "ARN of the cluster's topics without the topic name: append /<topic>."
  value       = replace(aws_msk_cluster.this.arn, ":cluster/", ":topic/")
}

output "group_arn_prefix" {
  description = "ARN of the cluster's consumer groups without the group name: append /<group>."
  value       = replace(aws_msk_cluster.this.arn, ":cluster/", ":group/")
}

output "security_group_id" {
  description = "Security group of the brokers."
  value       = aws_security_group.brokers.id
}
