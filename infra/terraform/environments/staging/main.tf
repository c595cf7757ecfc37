# Staging: the platform (../../modules/platform) at its small and cheap sizes: two availability zones, one NAT
# gateway, no Multi-AZ database standby, single-node Redis, burstable instances, debug logs, no deletion
# protection and generated secrets deleted at once. Only these values set it apart from production.
#
# Further options of the platform (see modules/platform/variables.tf and docs/deployment.md):
#   external_elasticsearch_url_secret_arn            Elastic Cloud instead of the OpenSearch domain
#   external_eventstore_connection_string_secret_arn Kurrent Cloud instead of the EventStoreDB nodes
#   eventstoredb_enabled = false                     the event log in PostgreSQL
#   otel_exporter_otlp_endpoint                      tracing to an OpenTelemetry collector
#   network.alb_ingress_cidrs                        who may reach the load balancer (default: anyone)

module "platform" {
  source = "../../modules/platform"

  environment = "staging"

  # The application: its image, the four process roles with their task sizes and autoscaling range.
  image           = var.image
  certificate_arn = var.certificate_arn
  log_level       = "debug"
  roles = {
    api       = { cpu = 512, memory = 1024, desired_count = 1, min_count = 1, max_count = 3 }
    projector = { cpu = 256, memory = 512, desired_count = 1, min_count = 1, max_count = 2 }
    saga      = { cpu = 256, memory = 512, desired_count = 1, min_count = 1, max_count = 2 }
    relay     = { cpu = 256, memory = 512, desired_count = 1, min_count = 1, max_count = 1 }
  }

  network = {
    vpc_cidr           = "10.40.0.0/16"
    az_count           = 2
    single_nat_gateway = true
  }

  postgres = {
    instance_class       = "db.t4g.medium"
    replica_count        = 1
    multi_az             = false
    allocated_storage_gb = 50
  }

  kafka = {
    broker_instance_type = "kafka.t3.small"
    broker_count         = 2
  }

  opensearch = {
    instance_type  = "t3.medium.search"
    instance_count = 2
  }
  opensearch_create_service_linked_role = var.opensearch_create_service_linked_role

  redis = {
    node_type          = "cache.t4g.small"
    num_cache_clusters = 1
  }

  eventstoredb = {
    instance_type = "t3.large"
  }

  deletion_protection         = false
  secret_recovery_window_days = 0
  log_retention_days          = 14
}
