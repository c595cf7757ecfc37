output "replication_group_id" {
  description = "ID of the replication group."
  value       = aws_elasticache_replication_group.this.id
}

output "primary_endpoint" {
  description = "Host name of the primary (writes)."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "reader_endpoint" {
  description = "Host name balancing over the replicas."
  value       = aws_elasticache_replication_group.this.reader_endpoint_address
}

output "url_secret_arn" {
  description = "ARN of the Secrets Manager secret holding REDIS_URL."
  value       = aws_secretsmanager_secret_version.url.arn
}
