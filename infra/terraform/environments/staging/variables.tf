variable "project" {
  type        = string
  description = "Project name, the first part of every resource name."
  default     = "gedsi"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,10}$", var.project))
    error_message = "project must be 2 to 11 lower-case letters or digits, starting with a letter."
  }
}

variable "aws_region" {
  type        = string
  description = "AWS region of the environment."
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must be an AWS region code such as eu-west-1."
  }
}

variable "image" {
  type        = string
  description = "Application image, pinned (for example <account>.dkr.ecr.<region>.amazonaws.com/gedsi-capital-platform:<git-sha>)."
}

variable "vpc_cidr" {
  type        = string
  description = "CIDR block of the VPC."
  default     = "10.40.0.0/16"
}

variable "az_count" {
  type        = number
  description = "Availability zones used (2 or 3)."
  default     = 2
}

variable "single_nat_gateway" {
  type        = bool
  description = "One NAT gateway instead of one per availability zone."
  default     = true
}

variable "app_port" {
  type        = number
  description = "Port the application listens on."
  default     = 4000
}

variable "alb_ingress_cidrs" {
  type        = list(string)
  description = "CIDR blocks allowed to reach the API load balancer."
  default     = ["0.0.0.0/0"]
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
  default     = "debug"
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
  description = "ECS service per process role: task size, counts and CPU target (see modules/service)."
  default = {
    api       = { cpu = 512, memory = 1024, desired_count = 1, min_count = 1, max_count = 3 }
    projector = { cpu = 256, memory = 512, desired_count = 1, min_count = 1, max_count = 2 }
    saga      = { cpu = 256, memory = 512, desired_count = 1, min_count = 1, max_count = 2 }
    relay     = { cpu = 256, memory = 512, desired_count = 1, min_count = 1, max_count = 1 }
  }
}

variable "api_requests_per_target" {
  type        = number
  description = "Also scale the api on requests per task per minute; null scales on CPU only."
  default     = null
}

variable "postgres_instance_class" {
  type        = string
  description = "RDS instance class of the primary and replica."
  default     = "db.t4g.medium"
}

variable "postgres_replica_count" {
  type        = number
  description = "Read replicas of PostgreSQL."
  default     = 1
}

variable "postgres_multi_az" {
  type        = bool
  description = "Multi-AZ standby of the PostgreSQL primary."
  default     = false
}

variable "postgres_allocated_storage_gb" {
  type        = number
  description = "Initial PostgreSQL storage, in GiB."
  default     = 50
}

variable "kafka_broker_instance_type" {
  type        = string
  description = "MSK broker instance type."
  default     = "kafka.t3.small"
}

variable "kafka_broker_count" {
  type        = number
  description = "MSK brokers (a multiple of az_count)."
  default     = 2
}

variable "kafka_client_broker_encryption" {
  type        = string
  description = "MSK client encryption: TLS_PLAINTEXT (the app gets the plaintext endpoints; TLS also open) until the relay's Kafka client enables TLS, then TLS."
  default     = "TLS_PLAINTEXT"
}

variable "opensearch_instance_type" {
  type        = string
  description = "OpenSearch data node instance type."
  default     = "t3.medium.search"
}

variable "opensearch_instance_count" {
  type        = number
  description = "OpenSearch data nodes."
  default     = 2
}

variable "opensearch_dedicated_master_enabled" {
  type        = bool
  description = "Dedicated OpenSearch cluster-manager nodes."
  default     = false
}

variable "opensearch_create_service_linked_role" {
  type        = bool
  description = "Create the OpenSearch service-linked role (once per account)."
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

variable "redis_node_type" {
  type        = string
  description = "ElastiCache node type."
  default     = "cache.t4g.small"
}

variable "redis_num_cache_clusters" {
  type        = number
  description = "Redis nodes (primary + replicas)."
  default     = 1
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

variable "eventstoredb_instance_type" {
  type        = string
  description = "EC2 instance type of the EventStoreDB nodes."
  default     = "t3.large"
}

variable "eventstoredb_version" {
  type        = string
  description = "eventstore-oss package version of the nodes."
  default     = "24.2.0"
}

variable "deletion_protection" {
  type        = bool
  description = "Deletion protection of the database and load balancer."
  default     = false
}

variable "secret_recovery_window_days" {
  type        = number
  description = "Recovery window of the generated secrets on deletion (0 deletes at once)."
  default     = 0
}

variable "log_retention_days" {
  type        = number
  description = "Retention of application and broker logs, in days."
  default     = 14
}

variable "tags" {
  type        = map(string)
  description = "Extra tags of every resource (cost centre, owner)."
  default     = {}
}
