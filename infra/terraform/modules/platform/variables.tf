# What differs between environments: names, sizes, counts and feature flags. Each environment passes them in
# its one module "platform" block; the modules below validate their own inputs as well.

variable "project" {
  type        = string
  description = "Project name, the first part of every resource name."
  default     = "gedsi"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,10}$", var.project))
    error_message = "project must be 2 to 11 lower-case letters or digits, starting with a letter."
  }
}

variable "environment" {
  type        = string
  description = "Environment name (staging, production): the second part of every resource name, <project>-<environment>."

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,12}$", var.environment))
    error_message = "environment must be 2 to 13 lower-case letters or digits, starting with a letter (the name prefixes the load balancer's)."
  }
}

variable "image" {
  type        = string
  description = "Application image, pinned (for example <account>.dkr.ecr.<region>.amazonaws.com/gedsi-capital-platform:<git-sha>)."
}

variable "network" {
  type = object({
    vpc_cidr           = string
    az_count           = number
    single_nat_gateway = bool
    alb_ingress_cidrs  = optional(list(string), ["0.0.0.0/0"])
  })
  description = "VPC CIDR block, availability zones used (2 or 3), one NAT gateway instead of one per zone, and the CIDR blocks allowed to reach the API load balancer."

  validation {
    condition     = contains([2, 3], var.network.az_count)
    error_message = "network.az_count must be 2 or 3."
  }
}

variable "app_port" {
  type        = number
  description = "Port the application listens on."
  default     = 4000
}

variable "certificate_arn" {
  type        = string
  description = "ACM certificate of the API's HTTPS listener; null serves HTTP only."
  default     = null

  validation {
    condition     = var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN or null."
  }
}

variable "log_level" {
  type        = string
  description = "LOG_LEVEL of the application."
  default     = "info"
}

variable "otel_exporter_otlp_endpoint" {
  type        = string
  description = "OTEL_EXPORTER_OTLP_ENDPOINT of the application (an OpenTelemetry collector); null leaves tracing off."
  default     = null

  validation {
    condition     = var.otel_exporter_otlp_endpoint == null || can(regex("^https?://", var.otel_exporter_otlp_endpoint))
    error_message = "otel_exporter_otlp_endpoint must be an http(s) URL or null."
  }
}

variable "roles" {
  type = map(object({
    cpu                = number
    memory             = number
    desired_count      = number
    min_count          = number
    max_count          = number
    cpu_target_percent = optional(number, 60)
    environment        = optional(map(string), {})
  }))
  description = "ECS service per process role: task size (CPU units, MiB), task counts and the CPU target of its autoscaling (see modules/service)."

  validation {
    condition     = length(setsubtract(["api", "projector", "saga", "relay"], keys(var.roles))) == 0 || (length(var.roles) == 1 && contains(keys(var.roles), "all"))
    error_message = "roles must run all four process roles (api, projector, saga, relay), or the all role alone: without a projector, saga or relay the events are never projected, reacted to or published."
  }
}

variable "api_requests_per_target" {
  type        = number
  description = "Also scale the api on load-balancer requests per task per minute; null scales on CPU only."
  default     = null

  validation {
    condition     = var.api_requests_per_target == null || try(var.api_requests_per_target > 0, false)
    error_message = "api_requests_per_target must be a positive number or null."
  }
}

variable "postgres" {
  type = object({
    instance_class       = string
    replica_count        = number
    multi_az             = bool
    allocated_storage_gb = number
  })
  description = "RDS PostgreSQL: instance class of the primary and replicas, read replicas, Multi-AZ standby of the primary, initial storage in GiB."
}

variable "kafka" {
  type = object({
    broker_instance_type     = string
    broker_count             = number
    client_broker_encryption = optional(string, "TLS_PLAINTEXT")
  })
  description = "Amazon MSK: broker instance type, brokers (a multiple of network.az_count), client encryption (TLS_PLAINTEXT until the relay's Kafka client enables TLS, then TLS)."
}

variable "opensearch" {
  type = object({
    instance_type            = string
    instance_count           = number
    dedicated_master_enabled = optional(bool, false)
  })
  description = "Amazon OpenSearch Service: data node instance type, data nodes, dedicated cluster-manager nodes. Unused with external_elasticsearch_url_secret_arn."
}

variable "opensearch_create_service_linked_role" {
  type        = bool
  description = "Create the OpenSearch service-linked role (once per account, on the first apply)."
  default     = false
}

variable "external_elasticsearch_url_secret_arn" {
  type        = string
  description = "Secrets Manager ARN of an ELASTICSEARCH_URL outside AWS (Elastic Cloud); when set, no OpenSearch domain is created."
  default     = null

  validation {
    condition     = var.external_elasticsearch_url_secret_arn == null || can(regex("^arn:aws[a-z-]*:secretsmanager:", var.external_elasticsearch_url_secret_arn))
    error_message = "external_elasticsearch_url_secret_arn must be a Secrets Manager secret ARN or null."
  }
}

variable "redis" {
  type = object({
    node_type          = string
    num_cache_clusters = number
  })
  description = "ElastiCache Redis: node type, nodes (the primary and its replicas; 2 or more fail over across zones)."
}

variable "eventstoredb_enabled" {
  type        = bool
  description = "Run the event log on an EventStoreDB cluster (EVENTSTORE_CONNECTION_STRING); false keeps it in PostgreSQL."
  default     = true
}

variable "external_eventstore_connection_string_secret_arn" {
  type        = string
  description = "Secrets Manager ARN of an EVENTSTORE_CONNECTION_STRING outside this stack (Kurrent Cloud); when set, no EventStoreDB nodes are created."
  default     = null

  validation {
    condition     = var.external_eventstore_connection_string_secret_arn == null || can(regex("^arn:aws[a-z-]*:secretsmanager:", var.external_eventstore_connection_string_secret_arn))
    error_message = "external_eventstore_connection_string_secret_arn must be a Secrets Manager secret ARN or null."
  }
}

variable "eventstoredb" {
  type = object({
    instance_type = string
    version       = optional(string, "24.2.0")
  })
  description = "Self-managed EventStoreDB nodes: EC2 instance type and eventstore-oss package version. Unused when eventstoredb_enabled is false or the cluster is external."
}

variable "deletion_protection" {
  type        = bool
  description = "Deletion protection of the database and the load balancer."
}

variable "secret_recovery_window_days" {
  type        = number
  description = "Recovery window of the generated secrets on deletion, in days (0 deletes at once)."

  validation {
    condition     = var.secret_recovery_window_days == 0 || (var.secret_recovery_window_days >= 7 && var.secret_recovery_window_days <= 30)
    error_message = "secret_recovery_window_days must be 0 or 7 to 30."
  }
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the application and broker logs in CloudWatch, in days."

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a CloudWatch Logs retention: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "tags" {
  type        = map(string)
  description = "Extra tags of every resource (cost centre, owner), on top of Project, Environment and ManagedBy."
  default     = {}
}
