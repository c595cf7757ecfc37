output "primary_identifier" {
  description = "RDS identifier of the primary."
  value       = aws_db_instance.primary.identifier
}

output "primary_address" {
  description = "Host name of the primary."
  value       = aws_db_instance.primary.address
}

output "port" {
  description = "PostgreSQL port."
  value       = aws_db_instance.primary.port
}

output "replica_addresses" {
  description = "Host names of the read replicas."
  value       = aws_db_instance.replica[*].address
}

output "database_name" {
  description = "Name of the application database."
  value       = var.database_name
}

output "parameter_group_name" {
  description = "Parameter group of the primary and replicas."
  value       = aws_db_parameter_group.this.name
}

output "database_url_secret_arn" {
  description = "ARN of the Secrets Manager secret holding DATABASE_URL (primary)."
  value       = aws_secretsmanager_secret_version.database_url.arn
}

output "master_password_secret_arn" {
  description = "ARN of the Secrets Manager secret holding the master password."
  value       = aws_secretsmanager_secret_version.master_password.arn
}
