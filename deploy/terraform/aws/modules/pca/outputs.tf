# Outputs of the private CA module.

output "ca_arn" {
  description = "ARN of the CA, once its certificate is installed (MSK needs an ACTIVE CA)."
  value       = aws_acmpca_certificate_authority_certificate.this.certificate_authority_arn
}
