variable "name" {
  type        = string
  description = "Name prefix of every resource (for example gedsi-staging)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,24}$", var.name))
    error_message = "name must be 3 to 25 lower-case letters, digits or dashes, starting with a letter (it prefixes the NLB name)."
  }
}

variable "vpc_id" {
  type        = string
  description = "VPC of the cluster."
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets the nodes are spread over (ideally one per availability zone)."

  validation {
    condition     = length(var.subnet_ids) >= 1
    error_message = "subnet_ids needs at least one subnet."
  }
}

variable "security_group_ids" {
  type        = list(string)
  description = "Security groups of the nodes (2113 from the app tier and each other, 1112 between nodes)."
}

variable "node_count" {
  type        = number
  description = "Cluster size: 3 (tolerates one node down) or 5."
  default     = 3

  validation {
    condition     = contains([3, 5], var.node_count)
    error_message = "node_count must be 3 or 5."
  }
}

variable "instance_type" {
  type        = string
  description = "EC2 instance type of a node (x86_64)."
  default     = "m6i.large"
}

variable "eventstore_version" {
  type        = string
  description = "Version of the eventstore-oss package installed on the nodes (Ubuntu 22.04)."
  default     = "24.2.0"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9]+)?$", var.eventstore_version))
    error_message = "eventstore_version must look like 24.2.0."
  }
}

variable "ami_id" {
  type        = string
  description = "AMI of the nodes; null for the latest Canonical Ubuntu 22.04 (x86_64)."
  default     = null
}

variable "volume_size_gb" {
  type        = number
  description = "Root gp3 volume of a node (holds the database), in GiB."
  default     = 100

  validation {
    condition     = var.volume_size_gb >= 20
    error_message = "volume_size_gb must be at least 20."
  }
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
