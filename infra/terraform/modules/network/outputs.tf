output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "CIDR block of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "availability_zones" {
  description = "Availability zones in use, in subnet order."
  value       = local.azs
}

output "public_subnet_ids" {
  description = "Public subnets (load balancer, NAT gateways), one per availability zone."
  value       = [for az in local.azs : aws_subnet.public[az].id]
}

output "private_subnet_ids" {
  description = "Private subnets (tasks, databases, brokers), one per availability zone."
  value       = [for az in local.azs : aws_subnet.private[az].id]
}

output "alb_security_group_id" {
  description = "Security group of the load balancer."
  value       = aws_security_group.this["alb"].id
}

output "app_security_group_id" {
  description = "Security group of the ECS tasks."
  value       = aws_security_group.this["app"].id
}

output "postgres_security_group_id" {
  description = "Security group of RDS PostgreSQL."
  value       = aws_security_group.this["postgres"].id
}

output "kafka_security_group_id" {
  description = "Security group of the MSK brokers."
  value       = aws_security_group.this["kafka"].id
}

output "opensearch_security_group_id" {
  description = "Security group of the OpenSearch domain."
  value       = aws_security_group.this["opensearch"].id
}

output "redis_security_group_id" {
  description = "Security group of ElastiCache Redis."
  value       = aws_security_group.this["redis"].id
}

output "eventstoredb_security_group_id" {
  description = "Security group of the EventStoreDB nodes."
  value       = aws_security_group.this["eventstoredb"].id
}
