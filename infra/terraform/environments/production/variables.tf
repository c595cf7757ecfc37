# What is given at plan time (terraform.tfvars or -var); the sizes are in main.tf.

variable "image" {
  type        = string
  description = "Application image, pinned (<account>.dkr.ecr.<region>.amazonaws.com/gedsi-capital-platform:<git-sha>)."
}

variable "certificate_arn" {
  type        = string
  description = "ACM certificate of the API's HTTPS listener (required: production serves HTTPS only, with a redirect from HTTP)."
}

variable "opensearch_create_service_linked_role" {
  type        = bool
  description = "Create the account's OpenSearch service-linked role: true on the first apply in an account without one."
  default     = false
}
