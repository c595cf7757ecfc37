# Amazon OpenSearch Service in the VPC for the search read model (ELASTICSEARCH_URL). Fine-grained access
# control with a generated master user: the URL carries the credentials, so it is a secret.
#
# The app's search client must speak the OpenSearch API (OpenSearch rejects nothing the Elasticsearch 7.10 REST
# API uses, but Elastic's 8.x clients refuse servers that are not Elasticsearch). To use Elastic Cloud instead,
# leave this module out and pass ELASTICSEARCH_URL's secret ARN to the service (see the environments).

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  zone_awareness = var.instance_count > 1
  az_count       = min(length(var.subnet_ids), 3)
  subnet_ids     = local.zone_awareness ? slice(var.subnet_ids, 0, local.az_count) : slice(var.subnet_ids, 0, 1)
  domain_arn     = "arn:${data.aws_partition.current.partition}:es:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:domain/${var.name}"
}

resource "aws_iam_service_linked_role" "opensearch" {
  count = var.create_service_linked_role ? 1 : 0

  aws_service_name = "opensearchservice.amazonaws.com"
}

resource "random_password" "master" {
  length           = 32
  special          = true
  override_special = "-_"
  min_upper        = 1
  min_lower        = 1
  min_numeric      = 1
  min_special      = 1
}

resource "aws_cloudwatch_log_group" "application" {
  name              = "/opensearch/${var.name}/application"
  retention_in_days = var.log_retention_days

  tags = var.tags
}

data "aws_iam_policy_document" "logs" {
  statement {
    actions   = ["logs:PutLogEvents", "logs:CreateLogStream"]
    resources = ["${aws_cloudwatch_log_group.application.arn}:*"]

    principals {
      type        = "Service"
      identifiers = ["es.amazonaws.com"]
    }
  }
}

resource "aws_cloudwatch_log_resource_policy" "application" {
  policy_name     = "${var.name}-opensearch-logs"
  policy_document = data.aws_iam_policy_document.logs.json
}

# Reachable only inside the VPC through the security group; every request is then authenticated by
# fine-grained access control.
data "aws_iam_policy_document" "access" {
  statement {
    actions   = ["es:ESHttp*"]
    resources = ["${local.domain_arn}/*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_opensearch_domain" "this" {
  domain_name    = var.name
  engine_version = var.engine_version

  cluster_config {
    instance_type            = var.instance_type
    instance_count           = var.instance_count
    zone_awareness_enabled   = local.zone_awareness
    dedicated_master_enabled = var.dedicated_master_enabled
    dedicated_master_type    = var.dedicated_master_enabled ? var.dedicated_master_type : null
    dedicated_master_count   = var.dedicated_master_enabled ? 3 : null

    dynamic "zone_awareness_config" {
      for_each = local.zone_awareness ? [local.az_count] : []
      content {
        availability_zone_count = zone_awareness_config.value
      }
    }
  }

  ebs_options {
    ebs_enabled = true
    volume_type = "gp3"
    volume_size = var.volume_size_gb
  }

  vpc_options {
    subnet_ids         = local.subnet_ids
    security_group_ids = var.security_group_ids
  }

  encrypt_at_rest {
    enabled = true
  }

  node_to_node_encryption {
    enabled = true
  }

  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = "Policy-Min-TLS-1-2-2019-07"
  }

  advanced_security_options {
    enabled                        = true
    internal_user_database_enabled = true

    master_user_options {
      master_user_name     = var.master_user_name
      master_user_password = random_password.master.result
    }
  }

  log_publishing_options {
    log_type                 = "ES_APPLICATION_LOGS"
    cloudwatch_log_group_arn = aws_cloudwatch_log_group.application.arn
  }

  access_policies = data.aws_iam_policy_document.access.json

  tags = var.tags

  depends_on = [aws_iam_service_linked_role.opensearch, aws_cloudwatch_log_resource_policy.application]

  lifecycle {
    precondition {
      condition     = !local.zone_awareness || var.instance_count % local.az_count == 0
      error_message = "instance_count must be a multiple of the availability zones used (min(subnets, 3))."
    }
  }
}

resource "aws_secretsmanager_secret" "url" {
  name                    = "${var.name}/opensearch/url"
  description             = "ELASTICSEARCH_URL of the application (with the master user's credentials)"
  recovery_window_in_days = var.secret_recovery_window_days

  tags = var.tags
}

resource "aws_secretsmanager_secret_version" "url" {
  secret_id     = aws_secretsmanager_secret.url.id
  secret_string = "https://${urlencode(var.master_user_name)}:${urlencode(random_password.master.result)}@${aws_opensearch_domain.this.endpoint}:443"
}
