# Production: the platform (../../modules/platform) at full size: three availability zones with a NAT gateway
# each, Multi-AZ PostgreSQL with two read replicas, three MSK brokers, a zone-aware OpenSearch domain with
# dedicated cluster managers, Redis with failover, a three-node EventStoreDB cluster, the api scaled on
# requests as well as CPU, HTTPS only, deletion protection and a 30-day recovery window on the generated
# secrets. The further options of the platform are listed in ../staging/main.tf.

module "platform" {
  source = "../../modules/platform"

  environment = "production"

  # The application: its image, the four process roles with their task sizes and autoscaling range, and the
  # api scaled on requests per task as well as on CPU.
  image           = var.image
  certificate_arn = var.certificate_arn
  roles = {
    api       = { cpu = 1024, memory = 2048, desired_count = 3, min_count = 3, max_count = 12 }
    projector = { cpu = 1024, memory = 2048, desired_count = 2, min_count = 2, max_count = 8 }
    saga      = { cpu = 512, memory = 1024, desired_count = 2, min_count = 2, max_count = 6 }
    relay     = { cpu = 512, memory = 1024, desired_count = 2, min_count = 2, max_count = 2 }
  }
  api_requests_per_target = 1000

  network = {
    vpc_cidr           = "10.50.0.0/16"
    az_count           = 3
    single_nat_gateway = false
  }

  postgres = {
    instance_class       = "db.r6g.large"
    replica_count        = 2
    multi_az             = true
    allocated_storage_gb = 200
  }

  kafka = {
    broker_instance_type = "kafka.m5.large"
    broker_count         = 3
  }

  opensearch = {
    instance_type            = "r6g.large.search"
    instance_count           = 3
    dedicated_master_enabled = true
  }
  opensearch_create_service_linked_role = var.opensearch_create_service_linked_role

  redis = {
    node_type          = "cache.r7g.large"
    num_cache_clusters = 3
  }

  eventstoredb = {
    instance_type = "m6i.large"
  }

  deletion_protection         = true
  secret_recovery_window_days = 30
  log_retention_days          = 90
}
