variable "aws_region" {
  type        = string
  description = "Region of the state bucket, lock table and image repository."
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must be an AWS region code such as eu-west-1."
  }
}

variable "state_bucket_name" {
  type        = string
  description = "Globally unique name of the S3 bucket holding every environment's state (for example gedsi-terraform-state-<account-id>)."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket_name))
    error_message = "state_bucket_name must be a valid S3 bucket name."
  }
}

variable "lock_table_name" {
  type        = string
  description = "DynamoDB table of the state locks (the environments' backend.tf name it)."
  default     = "gedsi-terraform-locks"
}

variable "ecr_repository_name" {
  type        = string
  description = "ECR repository of the application image."
  default     = "gedsi-capital-platform"
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}
