variable "name" {
  type        = string
  description = "Name prefix of every resource (for example gedsi-staging)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,40}$", var.name))
    error_message = "name must be 3 to 41 lower-case letters, digits or dashes, starting with a letter."
  }
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets of the DB subnet group (at least two availability zones)."

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids needs at least two subnets in different availability zones."
  }
}

variable "security_group_ids" {
  type        = list(string)
  description = "Security groups of the primary and the replicas."
}

variable "engine_version" {
  type        = string
  description = "PostgreSQL version: \"15\" (latest 15.x minor) or a full 15.x version."
  default     = "15"

  validation {
    condition     = can(regex("^15(\\.[0-9]+)?$", var.engine_version))
    error_message = "engine_version must be PostgreSQL 15 (\"15\" or \"15.<minor>\")."
  }
}

variable "instance_class" {
  type        = string
  description = "Instance class of the primary."
  default     = "db.r6g.large"

  validation {
    condition     = startswith(var.instance_class, "db.")
    error_message = "instance_class must be an RDS instance class (db.*)."
  }
}

variable "replica_instance_class" {
  type        = string
  description = "Instance class of the read replicas; null for the primary's."
  default     = null
}

variable "replica_count" {
  type        = number
  description = "Read replicas of the primary (asynchronous streaming replication; the read side may use them)."
  default     = 1

  validation {
    condition     = var.replica_count >= 1 && var.replica_count <= 5
    error_message = "replica_count must be 1 to 5."
  }
}

variable "multi_az" {
  type        = bool
  description = "Synchronous standby of the primary in another availability zone (automatic failover)."
  default     = true
}

variable "allocated_storage_gb" {
  type        = number
  description = "Initial gp3 storage of the primary, in GiB."
  default     = 100

  validation {
    condition     = var.allocated_storage_gb >= 20
    error_message = "allocated_storage_gb must be at least 20."
  }
}

variable "max_allocated_storage_gb" {
  type        = number
  description = "Ceiling of storage autoscaling, in GiB (0 disables it)."
  default     = 1000
}

variable "database_name" {
  type        = string
  description = "Name of the application database."
  default     = "gedsi"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.database_name))
    error_message = "database_name must be a lower-case PostgreSQL identifier."
  }
}

variable "master_username" {
  type        = string
  description = "Master user name (its password is generated and kept in Secrets Manager)."
  default     = "gedsi"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,15}$", var.master_username)) && !contains(["admin", "postgres", "rdsadmin"], var.master_username)
    error_message = "master_username must be a lower-case identifier of up to 16 characters, not a reserved name."
  }
}

variable "backup_retention_days" {
  type        = number
  description = "Automated backup retention (replicas need at least 1)."
  default     = 7

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be 1 to 35."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse deletion of the primary (and take a final snapshot on an intentional destroy)."
  default     = true
}

variable "extra_parameters" {
  type        = map(string)
  description = "More PostgreSQL parameters for the parameter group (dynamic ones apply immediately)."
  default     = {}
}

variable "database_url_query" {
  type        = string
  description = "Query string of the DATABASE_URL. \"sslmode=no-verify\" encrypts without checking the RDS CA; bake the RDS CA bundle into the image and use \"sslmode=verify-full&sslrootcert=<path>\" to verify it."
  default     = "sslmode=no-verify"
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
