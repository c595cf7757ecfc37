output "cluster_arn" {
  description = "ARN of the MSK cluster."
  value       = aws_msk_cluster.this.arn
}

output "bootstrap_brokers" {
  description = "KAFKA_BROKERS for the app: comma-separated host:port (TLS endpoints with client_broker_encryption TLS, plaintext otherwise)."
  value       = local.bootstrap_brokers
}

output "bootstrap_brokers_tls" {
  description = "TLS bootstrap brokers (port 9094); empty with PLAINTEXT."
  value       = aws_msk_cluster.this.bootstrap_brokers_tls
}

output "client_broker_encryption" {
  description = "Encryption between clients and brokers."
  value       = var.client_broker_encryption
}
