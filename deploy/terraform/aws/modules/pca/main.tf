# The private CA that issues client certificates for MSK's mutual-TLS listener (the reference's
# ACM PCA). A root CA in short-lived-certificate mode, as the reference (a fraction of the price
# of a general-purpose CA); its own certificate is self-signed here and installed, which makes it
# ACTIVE, as MSK requires before it can trust it.

data "aws_partition" "current" {}

resource "aws_acmpca_certificate_authority" "this" {
  type       = "ROOT"
  usage_mode = "SHORT_LIVED_CERTIFICATE"

  certificate_authority_configuration {
    key_algorithm     = "RSA_2048"
    signing_algorithm = "SHA256WITHRSA"

    subject {
      common_name  = "${var.name} Kafka client CA"
      organization = "Brook"
    }
  }

  # The shortest AWS allows: a destroyed CA stops costing at once and is gone after a week.
  permanent_deletion_time_in_days = 7
}

resource "aws_acmpca_certificate" "root" {
  certificate_authority_arn   = aws_acmpca_certificate_authority.this.arn
  certificate_signing_request = aws_acmpca_certificate_authority.this.certificate_signing_request
  signing_algorithm           = "SHA256WITHRSA"
  template_arn                = "arn:${data.aws_partition.current.partition}:acm-pca:::template/RootCACertificate/V1"

  validity {
    type  = "YEARS"
    value = var.validity_years
  }
}

resource "aws_acmpca_certificate_authority_certificate" "this" {
  certificate_authority_arn = aws_acmpca_certificate_authority.this.arn
  certificate               = aws_acmpca_certificate.root.certificate
  certificate_chain         = aws_acmpca_certificate.root.certificate_chain
}
