variable "name" {
  type        = string
  description = "Cluster name (for example gedsi-staging)."

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{0,63}$", var.name))
    error_message = "name must be up to 64 letters, digits or dashes, starting with a letter."
  }
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private subnets of the brokers, one per availability zone (2 or 3)."

  validation {
    condition     = length(var.subnet_ids) >= 2 && length(var.subnet_ids) <= 3
    error_message = "subnet_ids must list 2 or 3 subnets in different availability zones."
  }
}

variable "security_group_ids" {
  type        = list(string)
  description = "Security groups of the brokers."
}

variable "kafka_version" {
  type        = string
  description = "Apache Kafka version supported by MSK."
  default     = "3.6.0"
}

variable "broker_instance_type" {
  type        = string
  description = "Broker instance type."
  default     = "kafka.m5.large"

  validation {
    condition     = startswith(var.broker_instance_type, "kafka.")
    error_message = "broker_instance_type must be an MSK instance type (kafka.*)."
  }
}

variable "broker_count" {
  type        = number
  description = "Brokers in the cluster: a multiple of the number of subnets."
  default     = 3

  validation {
    condition     = var.broker_count >= 2
    error_message = "broker_count must be at least 2."
  }
}

variable "volume_size_gb" {
  type        = number
  description = "EBS storage per broker, in GiB."
  default     = 100

  validation {
    condition     = var.volume_size_gb >= 1 && var.volume_size_gb <= 16384
    error_message = "volume_size_gb must be 1 to 16384."
  }
}

variable "client_broker_encryption" {
  type        = string
  description = "Encryption between clients and brokers: TLS (port 9094 only), TLS_PLAINTEXT (9094 and 9092) or PLAINTEXT (9092). bootstrap_brokers gives TLS endpoints only with TLS, which needs a Kafka client with TLS enabled."
  default     = "TLS_PLAINTEXT"

  validation {
    condition     = contains(["TLS", "TLS_PLAINTEXT", "PLAINTEXT"], var.client_broker_encryption)
    error_message = "client_broker_encryption must be TLS, TLS_PLAINTEXT or PLAINTEXT."
  }
}

variable "default_replication_factor" {
  type        = number
  description = "Replication factor of topics (at most broker_count)."
  default     = 3
}

variable "min_insync_replicas" {
  type        = number
  description = "Replicas that must acknowledge a write sent with acks=all."
  default     = 2
}

variable "open_monitoring_enabled" {
  type        = bool
  description = "Prometheus JMX and node exporters on the brokers (not offered on kafka.t3.small)."
  default     = true
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the broker logs in CloudWatch, in days."
  default     = 30
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}
