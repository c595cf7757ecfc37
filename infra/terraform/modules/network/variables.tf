variable "name" {
  type        = string
  description = "Name prefix of every resource (for example gedsi-staging)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.name))
    error_message = "name must be 3 to 31 lower-case letters, digits or dashes, starting with a letter."
  }
}

variable "cidr_block" {
  type        = string
  description = "IPv4 CIDR block of the VPC; split into /20s (for a /16) for the public and private subnets."

  validation {
    condition     = can(cidrnetmask(var.cidr_block)) && tonumber(split("/", var.cidr_block)[1]) <= 20
    error_message = "cidr_block must be an IPv4 CIDR block of /20 or larger (for example 10.20.0.0/16)."
  }
}

variable "az_count" {
  type        = number
  description = "Availability zones to spread subnets over (2 or 3). MSK broker counts must be a multiple of it."
  default     = 3

  validation {
    condition     = contains([2, 3], var.az_count)
    error_message = "az_count must be 2 or 3."
  }
}

variable "single_nat_gateway" {
  type        = bool
  description = "One NAT gateway for every private subnet (cheaper, one AZ of failure) instead of one per AZ."
  default     = false
}

variable "app_port" {
  type        = number
  description = "Port the application containers listen on (the app's PORT)."
  default     = 4000

  validation {
    condition     = var.app_port >= 1 && var.app_port <= 65535
    error_message = "app_port must be a TCP port (1-65535)."
  }
}

variable "alb_ingress_cidrs" {
  type        = list(string)
  description = "IPv4 CIDR blocks allowed to reach the load balancer on 80 and 443."
  default     = ["0.0.0.0/0"]

  validation {
    condition     = alltrue([for cidr in var.alb_ingress_cidrs : can(cidrnetmask(cidr))])
    error_message = "alb_ingress_cidrs must hold IPv4 CIDR blocks."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}
