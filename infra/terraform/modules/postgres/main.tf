# RDS PostgreSQL 15: a primary (Multi-AZ by default) and read replicas, a parameter group with
# synchronous_commit on and TLS forced, and the generated master password and DATABASE_URL in Secrets Manager.

locals {
  major_version = split(".", var.engine_version)[0]

  parameters = merge(
    {
      # An acknowledged commit is flushed to disk (and, with Multi-AZ, to the standby's storage).
      synchronous_commit                  = "on"
      "rds.force_ssl"                     = "1"
      log_min_duration_statement          = "1000"
      idle_in_transaction_session_timeout = "60000"
    },
    var.extra_parameters,
  )
}

resource "random_password" "master" {
  length  = 40
  special = false
}

resource "aws_db_subnet_group" "this" {
  name       = "${var.name}-postgres"
  subnet_ids = var.subnet_ids

  tags = var.tags
}

resource "aws_db_parameter_group" "this" {
  name_prefix = "${var.name}-postgres${local.major_version}-"
  family      = "postgres${local.major_version}"
  description = "PostgreSQL ${local.major_version} for ${var.name}: synchronous_commit on, TLS only"

  dynamic "parameter" {
    for_each = local.parameters
    content {
      name         = parameter.key
      value        = parameter.value
      apply_method = "immediate"
    }
  }

  tags = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_instance" "primary" {
  identifier     = "${var.name}-postgres"
  engine         = "postgres"
  engine_version = var.engine_version
  instance_class = var.instance_class

  db_name  = var.database_name
  username = var.master_username
  password = random_password.master.result
  port     = 5432

  allocated_storage     = var.allocated_storage_gb
  max_allocated_storage = var.max_allocated_storage_gb
  storage_type          = "gp3"
  storage_encrypted     = true

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = var.security_group_ids
  parameter_group_name   = aws_db_parameter_group.this.name
  publicly_accessible    = false
  multi_az               = var.multi_az

  backup_retention_period    = var.backup_retention_days
  backup_window              = "02:00-03:00"
  maintenance_window         = "sun:03:30-sun:04:30"
  auto_minor_version_upgrade = true
  copy_tags_to_snapshot      = true
  deletion_protection        = var.deletion_protection
  skip_final_snapshot        = !var.deletion_protection
  final_snapshot_identifier  = "${var.name}-postgres-final"

  performance_insights_enabled    = true
  enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"]

  tags = merge(var.tags, { Name = "${var.name}-postgres", Role = "primary" })
}

resource "aws_db_instance" "replica" {
  count = var.replica_count

  identifier          = "${var.name}-postgres-replica-${count.index + 1}"
  replicate_source_db = aws_db_instance.primary.identifier
  instance_class      = coalesce(var.replica_instance_class, var.instance_class)

  storage_type           = "gp3"
  storage_encrypted      = true
  vpc_security_group_ids = var.security_group_ids
  parameter_group_name   = aws_db_parameter_group.this.name
  publicly_accessible    = false

  auto_minor_version_upgrade   = true
  performance_insights_enabled = true
  skip_final_snapshot          = true
  deletion_protection          = var.deletion_protection

  tags = merge(var.tags, { Name = "${var.name}-postgres-replica-${count.index + 1}", Role = "replica" })
}

resource "aws_secretsmanager_secret" "master_password" {
  name                    = "${var.name}/postgres/master-password"
  description             = "Master password of ${aws_db_instance.primary.identifier} (generated)"
  recovery_window_in_days = var.secret_recovery_window_days

  tags = var.tags
}

resource "aws_secretsmanager_secret_version" "master_password" {
  secret_id     = aws_secretsmanager_secret.master_password.id
  secret_string = random_password.master.result
}

# The app reads one DATABASE_URL; it carries the password, so it is a secret too.
resource "aws_secretsmanager_secret" "database_url" {
  name                    = "${var.name}/postgres/database-url"
  description             = "DATABASE_URL of the application (primary endpoint)"
  recovery_window_in_days = var.secret_recovery_window_days

  tags = var.tags
}

resource "aws_secretsmanager_secret_version" "database_url" {
  secret_id = aws_secretsmanager_secret.database_url.id
  secret_string = format(
    "postgresql://%s:%s@%s:%d/%s?%s",
    var.master_username,
    urlencode(random_password.master.result),
    aws_db_instance.primary.address,
    aws_db_instance.primary.port,
    var.database_name,
    var.database_url_query,
  )
}
