output "domain_arn" {
  description = "ARN of the OpenSearch domain."
  value       = aws_opensearch_domain.this.arn
}

output "endpoint" {
  description = "VPC endpoint host name of the domain (HTTPS, port 443)."
  value       = aws_opensearch_domain.this.endpoint
}

output "url_secret_arn" {
  description = "ARN of the Secrets Manager secret holding ELASTICSEARCH_URL."
  value       = aws_secretsmanager_secret_version.url.arn
}
