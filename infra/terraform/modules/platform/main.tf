# The whole platform of one environment: the network, the data services (PostgreSQL, Kafka, OpenSearch or an
# external Elasticsearch, Redis, EventStoreDB self-managed or external) and the four process roles (api,
# projector, saga, relay) as ECS services with autoscaling, fed their secrets by ARN. Every environment is one
# call of this module with its own sizes; the modules below hold the resources.

locals {
  name = "${var.project}-${var.environment}"
  # Also the default_tags of each environment's AWS provider (environments/<env>/providers.tf).
  tags = merge(var.tags, { Project = var.project, Environment = var.environment, ManagedBy = "terraform" })

  use_opensearch       = var.external_elasticsearch_url_secret_arn == null
  elasticsearch_secret = local.use_opensearch ? module.elasticsearch[0].url_secret_arn : var.external_elasticsearch_url_secret_arn
  self_managed_esdb    = var.eventstoredb_enabled && var.external_eventstore_connection_string_secret_arn == null
  eventstore_secret = !var.eventstoredb_enabled ? {} : {
    EVENTSTORE_CONNECTION_STRING = local.self_managed_esdb ? module.eventstoredb[0].connection_string_secret_arn : var.external_eventstore_connection_string_secret_arn
  }
  kafka_replication = min(3, var.kafka.broker_count)
  otel_environment  = var.otel_exporter_otlp_endpoint == null ? {} : { OTEL_EXPORTER_OTLP_ENDPOINT = var.otel_exporter_otlp_endpoint }

  # Names of the app's environment variables => ARNs of the secrets holding them. Never values.
  secrets = merge(
    {
      DATABASE_URL      = module.postgres.database_url_secret_arn
      REDIS_URL         = module.redis.url_secret_arn
      ELASTICSEARCH_URL = local.elasticsearch_secret
      AUTH_JWT_SECRET   = aws_secretsmanager_secret_version.auth_jwt_secret.arn
    },
    local.eventstore_secret,
  )
}

module "network" {
  source = "../network"

  name               = local.name
  cidr_block         = var.network.vpc_cidr
  az_count           = var.network.az_count
  single_nat_gateway = var.network.single_nat_gateway
  app_port           = var.app_port
  alb_ingress_cidrs  = var.network.alb_ingress_cidrs
  tags               = local.tags
}

module "postgres" {
  source = "../postgres"

  name                        = local.name
  subnet_ids                  = module.network.private_subnet_ids
  security_group_ids          = [module.network.postgres_security_group_id]
  instance_class              = var.postgres.instance_class
  replica_count               = var.postgres.replica_count
  multi_az                    = var.postgres.multi_az
  allocated_storage_gb        = var.postgres.allocated_storage_gb
  deletion_protection         = var.deletion_protection
  secret_recovery_window_days = var.secret_recovery_window_days
  tags                        = local.tags
}

module "kafka" {
  source = "../kafka"

  name                       = local.name
  subnet_ids                 = module.network.private_subnet_ids
  security_group_ids         = [module.network.kafka_security_group_id]
  broker_instance_type       = var.kafka.broker_instance_type
  broker_count               = var.kafka.broker_count
  client_broker_encryption   = var.kafka.client_broker_encryption
  default_replication_factor = local.kafka_replication
  min_insync_replicas        = max(1, local.kafka_replication - 1)
  open_monitoring_enabled    = !startswith(var.kafka.broker_instance_type, "kafka.t3.")
  log_retention_days         = var.log_retention_days
  tags                       = local.tags
}

module "elasticsearch" {
  source = "../elasticsearch"
  count  = local.use_opensearch ? 1 : 0

  name                        = local.name
  subnet_ids                  = module.network.private_subnet_ids
  security_group_ids          = [module.network.opensearch_security_group_id]
  instance_type               = var.opensearch.instance_type
  instance_count              = var.opensearch.instance_count
  dedicated_master_enabled    = var.opensearch.dedicated_master_enabled
  create_service_linked_role  = var.opensearch_create_service_linked_role
  log_retention_days          = var.log_retention_days
  secret_recovery_window_days = var.secret_recovery_window_days
  tags                        = local.tags
}

module "redis" {
  source = "../redis"

  name                        = local.name
  subnet_ids                  = module.network.private_subnet_ids
  security_group_ids          = [module.network.redis_security_group_id]
  node_type                   = var.redis.node_type
  num_cache_clusters          = var.redis.num_cache_clusters
  secret_recovery_window_days = var.secret_recovery_window_days
  tags                        = local.tags
}

module "eventstoredb" {
  source = "../eventstoredb"
  count  = local.self_managed_esdb ? 1 : 0

  name                        = local.name
  vpc_id                      = module.network.vpc_id
  subnet_ids                  = module.network.private_subnet_ids
  security_group_ids          = [module.network.eventstoredb_security_group_id]
  instance_type               = var.eventstoredb.instance_type
  eventstore_version          = var.eventstoredb.version
  secret_recovery_window_days = var.secret_recovery_window_days
  tags                        = local.tags
}

# The API's JWT signing secret: generated here, stored in Secrets Manager, handed to the tasks by ARN.
resource "random_password" "auth_jwt_secret" {
  length  = 64
  special = false
}

resource "aws_secretsmanager_secret" "auth_jwt_secret" {
  name                    = "${local.name}/app/auth-jwt-secret"
  description             = "AUTH_JWT_SECRET of the application (generated)"
  recovery_window_in_days = var.secret_recovery_window_days
  tags                    = local.tags
}

resource "aws_secretsmanager_secret_version" "auth_jwt_secret" {
  secret_id     = aws_secretsmanager_secret.auth_jwt_secret.id
  secret_string = random_password.auth_jwt_secret.result
}

# The four process roles, one ECS service each, with target-tracking autoscaling.
module "service" {
  source = "../service"

  name                  = local.name
  vpc_id                = module.network.vpc_id
  public_subnet_ids     = module.network.public_subnet_ids
  private_subnet_ids    = module.network.private_subnet_ids
  alb_security_group_id = module.network.alb_security_group_id
  app_security_group_id = module.network.app_security_group_id
  image                 = var.image
  container_port        = var.app_port
  roles                 = var.roles
  log_level             = var.log_level
  certificate_arn       = var.certificate_arn
  deletion_protection   = var.deletion_protection
  log_retention_days    = var.log_retention_days

  api_requests_per_target = var.api_requests_per_target

  environment = merge(
    { KAFKA_BROKERS = module.kafka.bootstrap_brokers },
    local.otel_environment,
  )
  secrets = local.secrets

  tags = local.tags
}
