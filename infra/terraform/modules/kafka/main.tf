# Amazon MSK: brokers spread over the private subnets, encrypted in transit between brokers (and to clients
# on 9094), topics created explicitly by the relay (no auto-creation), broker logs to CloudWatch. Clients are
# not authenticated by Kafka: only the app security group reaches the brokers.

locals {
  # The relay's kafkajs client connects in plaintext until it enables TLS: it gets the 9092 endpoints unless the
  # cluster is TLS-only.
  bootstrap_brokers = var.client_broker_encryption == "TLS" ? aws_msk_cluster.this.bootstrap_brokers_tls : aws_msk_cluster.this.bootstrap_brokers
}

resource "aws_cloudwatch_log_group" "brokers" {
  name              = "/msk/${var.name}"
  retention_in_days = var.log_retention_days

  tags = var.tags
}

resource "aws_msk_configuration" "this" {
  name           = "${var.name}-${replace(var.kafka_version, ".", "-")}"
  kafka_versions = [var.kafka_version]
  description    = "Broker configuration of ${var.name}"

  server_properties = <<-EOT
    auto.create.topics.enable=false
    default.replication.factor=${var.default_replication_factor}
    min.insync.replicas=${var.min_insync_replicas}
    num.partitions=6
    unclean.leader.election.enable=false
    log.retention.hours=168
  EOT

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_msk_cluster" "this" {
  cluster_name           = var.name
  kafka_version          = var.kafka_version
  number_of_broker_nodes = var.broker_count
  enhanced_monitoring    = "PER_BROKER"

  broker_node_group_info {
    instance_type   = var.broker_instance_type
    client_subnets  = var.subnet_ids
    security_groups = var.security_group_ids

    storage_info {
      ebs_storage_info {
        volume_size = var.volume_size_gb
      }
    }
  }

  configuration_info {
    arn      = aws_msk_configuration.this.arn
    revision = aws_msk_configuration.this.latest_revision
  }

  encryption_info {
    encryption_in_transit {
      client_broker = var.client_broker_encryption
      in_cluster    = true
    }
  }

  client_authentication {
    unauthenticated = true
  }

  dynamic "open_monitoring" {
    for_each = var.open_monitoring_enabled ? [true] : []
    content {
      prometheus {
        jmx_exporter {
          enabled_in_broker = open_monitoring.value
        }
        node_exporter {
          enabled_in_broker = open_monitoring.value
        }
      }
    }
  }

  logging_info {
    broker_logs {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.brokers.name
      }
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.broker_count % length(var.subnet_ids) == 0
      error_message = "broker_count must be a multiple of the number of subnets."
    }
    precondition {
      condition     = var.default_replication_factor <= var.broker_count && var.min_insync_replicas < var.default_replication_factor
      error_message = "Need min_insync_replicas < default_replication_factor <= broker_count."
    }
  }
}
