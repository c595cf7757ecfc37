variable "name" {
  type        = string
  description = "OpenSearch domain name (3 to 28 lower-case characters)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,27}$", var.name))
    error_message = "name must be 3 to 28 lower-case letters, digits or dashes, starting with a letter."
  }
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets, one per availability zone; the domain uses as many as it has zones (one without zone awareness)."

  validation {
    condition     = length(var.subnet_ids) >= 1
    error_message = "subnet_ids needs at least one subnet."
  }
}

variable "security_group_ids" {
  type        = list(string)
  description = "Security groups of the domain's VPC endpoint."
}

variable "engine_version" {
  type        = string
  description = "Engine of the domain (OpenSearch_X.Y)."
  default     = "OpenSearch_2.13"

  validation {
    condition     = can(regex("^OpenSearch_[0-9]+\\.[0-9]+$", var.engine_version))
    error_message = "engine_version must look like OpenSearch_2.13."
  }
}

variable "instance_type" {
  type        = string
  description = "Data node instance type."
  default     = "r6g.large.search"

  validation {
    condition     = endswith(var.instance_type, ".search")
    error_message = "instance_type must be an OpenSearch instance type (*.search)."
  }
}

variable "instance_count" {
  type        = number
  description = "Data nodes; more than one spreads them over the availability zones (zone awareness)."
  default     = 3

  validation {
    condition     = var.instance_count >= 1
    error_message = "instance_count must be at least 1."
  }
}

variable "dedicated_master_enabled" {
  type        = bool
  description = "Three dedicated cluster-manager nodes (recommended for production)."
  default     = false
}

variable "dedicated_master_type" {
  type        = string
  description = "Instance type of the dedicated cluster-manager nodes."
  default     = "m6g.large.search"
}

variable "volume_size_gb" {
  type        = number
  description = "gp3 storage per data node, in GiB."
  default     = 100

  validation {
    condition     = var.volume_size_gb >= 10
    error_message = "volume_size_gb must be at least 10."
  }
}

variable "master_user_name" {
  type        = string
  description = "Fine-grained access control master user (its password is generated into Secrets Manager)."
  default     = "gedsi"

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9_-]{0,63}$", var.master_user_name))
    error_message = "master_user_name must be a simple user name."
  }
}

variable "create_service_linked_role" {
  type        = bool
  description = "Create the OpenSearch service-linked role (only once per account; leave false when it exists)."
  default     = false
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the application logs in CloudWatch, in days."
  default     = 30
}

variable "secret_recovery_window_days" {
  type        = number
  description = "Recovery window of the Secrets Manager secrets on deletion (0 deletes at once)."
  default     = 7

  validation {
    condition     = var.secret_recovery_window_days == 0 || (var.secret_recovery_window_days >= 7 && var.secret_recovery_window_days <= 30)
    error_message = "secret_recovery_window_days must be 0 or 7 to 30."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}
