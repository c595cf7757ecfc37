output "name" {
  description = "Name prefix of every resource (<project>-<environment>)."
  value       = local.name
}

output "api_url" {
  description = "Base URL of the API (GraphQL at /graphql); point a DNS name at the load balancer for HTTPS."
  value       = "${var.certificate_arn == null ? "http" : "https"}://${module.service.load_balancer_dns_name}"
}

output "load_balancer_dns_name" {
  description = "DNS name of the API load balancer."
  value       = module.service.load_balancer_dns_name
}

output "load_balancer_zone_id" {
  description = "Hosted zone of the load balancer, for a Route 53 alias."
  value       = module.service.load_balancer_zone_id
}

output "vpc_id" {
  description = "VPC of the environment."
  value       = module.network.vpc_id
}

output "ecs_cluster_name" {
  description = "ECS cluster of the services."
  value       = module.service.cluster_name
}

output "ecs_service_names" {
  description = "ECS service per process role."
  value       = module.service.service_names
}

output "log_group_names" {
  description = "CloudWatch log group per process role."
  value       = module.service.log_group_names
}

output "postgres_primary_address" {
  description = "Host name of the PostgreSQL primary."
  value       = module.postgres.primary_address
}

output "postgres_replica_addresses" {
  description = "Host names of the PostgreSQL read replicas."
  value       = module.postgres.replica_addresses
}

output "kafka_bootstrap_brokers" {
  description = "KAFKA_BROKERS of the application."
  value       = module.kafka.bootstrap_brokers
}

output "opensearch_endpoint" {
  description = "OpenSearch endpoint (null with an external Elasticsearch)."
  value       = local.use_opensearch ? module.elasticsearch[0].endpoint : null
}

output "redis_primary_endpoint" {
  description = "Host name of the Redis primary."
  value       = module.redis.primary_endpoint
}

output "eventstoredb_endpoint" {
  description = "Internal discovery endpoint of the self-managed EventStoreDB cluster (null when external or off)."
  value       = local.self_managed_esdb ? module.eventstoredb[0].nlb_dns_name : null
}

output "secret_arns" {
  description = "ARNs (not values) of the secrets the tasks read, by environment variable."
  value       = local.secrets
}
