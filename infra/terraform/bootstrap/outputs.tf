output "state_bucket_name" {
  description = "S3 bucket of the remote state: the bucket of the environments' backend.hcl."
  value       = aws_s3_bucket.state.bucket
}

output "lock_table_name" {
  description = "DynamoDB lock table (dynamodb_table of backend.tf)."
  value       = aws_dynamodb_table.locks.name
}

output "ecr_repository_url" {
  description = "Repository to push the application image to (the environments' image variable)."
  value       = aws_ecr_repository.app.repository_url
}
