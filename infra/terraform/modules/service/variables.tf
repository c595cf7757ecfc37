variable "name" {
  type        = string
  description = "Name prefix of every resource (for example gedsi-staging)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,24}$", var.name))
    error_message = "name must be 3 to 25 lower-case letters, digits or dashes, starting with a letter (it prefixes the ALB and target group names)."
  }
}

variable "vpc_id" {
  type        = string
  description = "VPC of the services and the load balancer."
}

variable "public_subnet_ids" {
  type        = list(string)
  description = "Subnets of the load balancer (public, or private with internal_load_balancer)."
}

variable "private_subnet_ids" {
  type        = list(string)
  description = "Subnets of the tasks (private: they reach AWS APIs and the registry through NAT)."
}

variable "alb_security_group_id" {
  type        = string
  description = "Security group of the load balancer."
}

variable "app_security_group_id" {
  type        = string
  description = "Security group of the tasks (the data stores accept it)."
}

variable "image" {
  type        = string
  description = "Container image of the application, pinned by tag or digest (for example <account>.dkr.ecr.<region>.amazonaws.com/gedsi-capital-platform:1.4.2)."

  validation {
    condition     = length(trimspace(var.image)) > 0 && !endswith(var.image, ":latest")
    error_message = "image must be set and pinned to a version tag or digest (not :latest)."
  }
}

variable "container_port" {
  type        = number
  description = "Port the app listens on (its PORT); every role serves /health on it."
  default     = 4000

  validation {
    condition     = var.container_port >= 1 && var.container_port <= 65535
    error_message = "container_port must be a TCP port (1-65535)."
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
  description = "One ECS service per process role (api, projector, saga, relay; or all alone): task size in CPU units and MiB, task counts and the CPU target of target-tracking autoscaling. The api (or all) role sits behind the load balancer."

  validation {
    condition     = alltrue([for role in keys(var.roles) : contains(["api", "projector", "saga", "relay", "all"], role)])
    error_message = "roles keys must be api, projector, saga, relay or all."
  }

  validation {
    condition     = (contains(keys(var.roles), "api") || contains(keys(var.roles), "all")) && (!contains(keys(var.roles), "all") || length(var.roles) == 1)
    error_message = "roles needs an api role (or the all role, alone)."
  }

  validation {
    condition     = alltrue([for role in values(var.roles) : contains([256, 512, 1024, 2048, 4096, 8192, 16384], role.cpu)])
    error_message = "Each role's cpu must be a Fargate size: 256, 512, 1024, 2048, 4096, 8192 or 16384."
  }

  validation {
    condition     = alltrue([for role in values(var.roles) : role.memory >= role.cpu * 2 && role.memory <= role.cpu * 8])
    error_message = "Each role's memory (MiB) must be 2 to 8 times its cpu units (roughly the Fargate pairs: 256 CPU takes 512-2048 MiB)."
  }

  validation {
    condition     = alltrue([for role in values(var.roles) : role.min_count >= 0 && role.min_count <= role.desired_count && role.desired_count <= role.max_count])
    error_message = "Each role needs 0 <= min_count <= desired_count <= max_count."
  }

  validation {
    condition     = alltrue([for role in values(var.roles) : role.cpu_target_percent >= 10 && role.cpu_target_percent <= 90])
    error_message = "Each role's cpu_target_percent must be 10 to 90."
  }
}

variable "environment" {
  type        = map(string)
  description = "Plain environment variables of every role (no secrets here: use secrets)."
  default     = {}
}

variable "secrets" {
  type        = map(string)
  description = "Environment variables filled from Secrets Manager or SSM Parameter Store, as NAME => ARN. Values are never passed."
  default     = {}

  validation {
    condition     = alltrue([for arn in values(var.secrets) : can(regex("^arn:aws[a-z-]*:(secretsmanager|ssm):[a-z0-9-]+:[0-9]{12}:(secret:|parameter/)", arn))])
    error_message = "Every secrets value must be the ARN of a Secrets Manager secret or an SSM parameter."
  }
}

variable "log_level" {
  type        = string
  description = "LOG_LEVEL of every role."
  default     = "info"

  validation {
    condition     = contains(["fatal", "error", "warn", "info", "debug", "trace", "silent"], var.log_level)
    error_message = "log_level must be fatal, error, warn, info, debug, trace or silent."
  }
}

variable "liveness_path" {
  type        = string
  description = "Liveness endpoint (the container health check of every role)."
  default     = "/health"
}

variable "readiness_path" {
  type        = string
  description = "Readiness endpoint (the load balancer's health check of the api role)."
  default     = "/ready"
}

variable "certificate_arn" {
  type        = string
  description = "ACM certificate of the HTTPS listener; null serves plain HTTP on 80 only (staging without a domain)."
  default     = null
}

variable "internal_load_balancer" {
  type        = bool
  description = "Make the load balancer internal (reachable from the VPC only)."
  default     = false
}

variable "api_requests_per_target" {
  type        = number
  description = "Also scale the api role on load-balancer requests per task (target value); null scales on CPU only."
  default     = null
}

variable "cpu_architecture" {
  type        = string
  description = "CPU architecture of the tasks; must match the image (X86_64 or ARM64)."
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be X86_64 or ARM64."
  }
}

variable "enable_execute_command" {
  type        = bool
  description = "Allow ECS Exec into running tasks."
  default     = false
}

variable "deletion_protection" {
  type        = bool
  description = "Protect the load balancer from deletion."
  default     = false
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the container logs in CloudWatch, in days."
  default     = 30
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}
