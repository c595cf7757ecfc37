# VPC over az_count availability zones: public subnets (load balancer, NAT gateways) and private subnets (ECS
# tasks, databases, brokers), plus one security group per tier. Data stores only accept the app tier.

data "aws_availability_zones" "available" {
  state = "available"

  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

data "aws_region" "current" {}

locals {
  azs = slice(data.aws_availability_zones.available.names, 0, var.az_count)

  # /16 → /20 subnets: public 0..2, private 8..10 (room left for more tiers).
  public_subnets  = { for index, az in local.azs : az => cidrsubnet(var.cidr_block, 4, index) }
  private_subnets = { for index, az in local.azs : az => cidrsubnet(var.cidr_block, 4, index + 8) }
  nat_azs         = var.single_nat_gateway ? [local.azs[0]] : local.azs

  security_groups = {
    alb          = "Load balancer in front of the api service"
    app          = "ECS tasks of every process role (api, projector, saga, relay)"
    postgres     = "RDS PostgreSQL: from the app tier"
    kafka        = "MSK brokers: from the app tier"
    opensearch   = "OpenSearch domain: from the app tier"
    redis        = "ElastiCache Redis: from the app tier"
    eventstoredb = "EventStoreDB cluster nodes: from the app tier and each other"
  }

  # Ingress from another security group of this module.
  group_ingress = {
    app-from-alb                       = { group = "app", source = "alb", from = var.app_port, to = var.app_port, description = "HTTP from the load balancer" }
    postgres-from-app                  = { group = "postgres", source = "app", from = 5432, to = 5432, description = "PostgreSQL" }
    kafka-from-app                     = { group = "kafka", source = "app", from = 9092, to = 9098, description = "Kafka (plaintext 9092, TLS 9094)" }
    opensearch-from-app                = { group = "opensearch", source = "app", from = 443, to = 443, description = "OpenSearch HTTPS" }
    redis-from-app                     = { group = "redis", source = "app", from = 6379, to = 6379, description = "Redis TLS" }
    eventstoredb-from-app              = { group = "eventstoredb", source = "app", from = 2113, to = 2113, description = "EventStoreDB gRPC/HTTP" }
    eventstoredb-gossip-from-self      = { group = "eventstoredb", source = "eventstoredb", from = 2113, to = 2113, description = "EventStoreDB gossip between nodes" }
    eventstoredb-replication-from-self = { group = "eventstoredb", source = "eventstoredb", from = 1112, to = 1112, description = "EventStoreDB replication between nodes" }
  }

  # Ingress from CIDR blocks: clients of the load balancer, and the internal NLB of EventStoreDB (its health
  # checks and forwarded connections come from addresses of the private subnets).
  cidr_ingress = merge(
    { for pair in setproduct([80, 443], var.alb_ingress_cidrs) : "alb-${pair[0]}-${pair[1]}" => { group = "alb", cidr = pair[1], port = pair[0], description = "Clients of the load balancer" } },
    { for az, cidr in local.private_subnets : "eventstoredb-nlb-${az}" => { group = "eventstoredb", cidr = cidr, port = 2113, description = "EventStoreDB NLB and health checks" } },
  )
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr_block
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = merge(var.tags, { Name = var.name })
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id

  tags = merge(var.tags, { Name = var.name })
}

resource "aws_subnet" "public" {
  for_each = local.public_subnets

  vpc_id                  = aws_vpc.this.id
  cidr_block              = each.value
  availability_zone       = each.key
  map_public_ip_on_launch = false

  tags = merge(var.tags, { Name = "${var.name}-public-${each.key}", Tier = "public" })
}

resource "aws_subnet" "private" {
  for_each = local.private_subnets

  vpc_id            = aws_vpc.this.id
  cidr_block        = each.value
  availability_zone = each.key

  tags = merge(var.tags, { Name = "${var.name}-private-${each.key}", Tier = "private" })
}

resource "aws_eip" "nat" {
  for_each = toset(local.nat_azs)

  domain = "vpc"

  tags = merge(var.tags, { Name = "${var.name}-nat-${each.key}" })
}

resource "aws_nat_gateway" "this" {
  for_each = toset(local.nat_azs)

  allocation_id = aws_eip.nat[each.key].id
  subnet_id     = aws_subnet.public[each.key].id

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })

  depends_on = [aws_internet_gateway.this]
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.this.id
  }

  tags = merge(var.tags, { Name = "${var.name}-public" })
}

resource "aws_route_table_association" "public" {
  for_each = aws_subnet.public

  subnet_id      = each.value.id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table" "private" {
  for_each = toset(local.azs)

  vpc_id = aws_vpc.this.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.this[var.single_nat_gateway ? local.azs[0] : each.key].id
  }

  tags = merge(var.tags, { Name = "${var.name}-private-${each.key}" })
}

resource "aws_route_table_association" "private" {
  for_each = aws_subnet.private

  subnet_id      = each.value.id
  route_table_id = aws_route_table.private[each.key].id
}

# S3 through a gateway endpoint (free): image layers from ECR and backups skip the NAT gateways.
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${data.aws_region.current.name}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [for table in aws_route_table.private : table.id]

  tags = merge(var.tags, { Name = "${var.name}-s3" })
}

resource "aws_security_group" "this" {
  for_each = local.security_groups

  name_prefix = "${var.name}-${each.key}-"
  description = each.value
  vpc_id      = aws_vpc.this.id

  tags = merge(var.tags, { Name = "${var.name}-${each.key}" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_egress_rule" "all" {
  for_each = local.security_groups

  security_group_id = aws_security_group.this[each.key].id
  description       = "All outbound"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "from_group" {
  for_each = local.group_ingress

  security_group_id            = aws_security_group.this[each.value.group].id
  referenced_security_group_id = aws_security_group.this[each.value.source].id
  description                  = each.value.description
  ip_protocol                  = "tcp"
  from_port                    = each.value.from
  to_port                      = each.value.to
}

resource "aws_vpc_security_group_ingress_rule" "from_cidr" {
  for_each = local.cidr_ingress

  security_group_id = aws_security_group.this[each.value.group].id
  cidr_ipv4         = each.value.cidr
  description       = each.value.description
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
}
