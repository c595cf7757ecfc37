# Self-managed EventStoreDB cluster: node_count EC2 instances in one Auto Scaling group (min = max = desired),
# installed from the eventstore-oss package by user data, secure mode (TLS between nodes and to clients, node
# certificates signed at boot by a CA generated here), admin/ops passwords generated into Secrets Manager.
#
# Nodes find each other through the EC2 API (instances tagged with the cluster name) and gossip on 2113; an
# internal NLB on 2113 gives clients one stable address for discovery (esdb+discover://), after which the
# client talks to the leader directly. A replaced node starts empty and catches up from the others.

data "aws_region" "current" {}

data "aws_ami" "ubuntu" {
  most_recent = true
  owners      = ["099720109477"] # Canonical

  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"]
  }

  filter {
    name   = "virtualization-type"
    values = ["hvm"]
  }
}

locals {
  cluster_tag = "${var.name}-eventstoredb"
  ami_id      = coalesce(var.ami_id, data.aws_ami.ubuntu.id)
}

# --- certificates: a private CA; every node signs its own certificate (CN eventstoredb-node) at boot ---

resource "tls_private_key" "ca" {
  algorithm = "RSA"
  rsa_bits  = 4096
}

resource "tls_self_signed_cert" "ca" {
  private_key_pem       = tls_private_key.ca.private_key_pem
  is_ca_certificate     = true
  validity_period_hours = 87600
  allowed_uses          = ["cert_signing", "crl_signing", "digital_signature"]

  subject {
    common_name  = "${var.name} EventStoreDB CA"
    organization = var.name
  }
}

resource "aws_secretsmanager_secret" "ca_key" {
  name                    = "${var.name}/eventstoredb/ca-key"
  description             = "Private key of the EventStoreDB node CA (read by the nodes at boot)"
  recovery_window_in_days = var.secret_recovery_window_days

  tags = var.tags
}

resource "aws_secretsmanager_secret_version" "ca_key" {
  secret_id     = aws_secretsmanager_secret.ca_key.id
  secret_string = tls_private_key.ca.private_key_pem
}

# --- users: the default admin and ops passwords, applied when the database is created ---

resource "random_password" "admin" {
  length  = 40
  special = false
}

resource "random_password" "ops" {
  length  = 40
  special = false
}

resource "aws_secretsmanager_secret" "admin_password" {
  name                    = "${var.name}/eventstoredb/admin-password"
  description             = "Password of the EventStoreDB admin user"
  recovery_window_in_days = var.secret_recovery_window_days

  tags = var.tags
}

resource "aws_secretsmanager_secret_version" "admin_password" {
  secret_id     = aws_secretsmanager_secret.admin_password.id
  secret_string = random_password.admin.result
}

resource "aws_secretsmanager_secret" "ops_password" {
  name                    = "${var.name}/eventstoredb/ops-password"
  description             = "Password of the EventStoreDB ops user"
  recovery_window_in_days = var.secret_recovery_window_days

  tags = var.tags
}

resource "aws_secretsmanager_secret_version" "ops_password" {
  secret_id     = aws_secretsmanager_secret.ops_password.id
  secret_string = random_password.ops.result
}

# The app's EVENTSTORE_CONNECTION_STRING. The node certificates come from the private CA above, which the app
# image does not carry: the connection is encrypted, the certificate is not verified (traffic stays in the VPC).
resource "aws_secretsmanager_secret" "connection_string" {
  name                    = "${var.name}/eventstoredb/connection-string"
  description             = "EVENTSTORE_CONNECTION_STRING of the application"
  recovery_window_in_days = var.secret_recovery_window_days

  tags = var.tags
}

resource "aws_secretsmanager_secret_version" "connection_string" {
  secret_id     = aws_secretsmanager_secret.connection_string.id
  secret_string = "esdb+discover://admin:${random_password.admin.result}@${aws_lb.this.dns_name}:2113?tls=true&tlsVerifyCert=false"
}

# --- instance role: read its secrets, list its peers, Session Manager instead of SSH ---

data "aws_iam_policy_document" "assume_ec2" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "node" {
  name_prefix        = "${var.name}-esdb-"
  assume_role_policy = data.aws_iam_policy_document.assume_ec2.json

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "ssm" {
  role       = aws_iam_role.node.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

data "aws_iam_policy_document" "node" {
  statement {
    sid     = "ReadNodeSecrets"
    actions = ["secretsmanager:GetSecretValue"]
    resources = [
      aws_secretsmanager_secret.ca_key.arn,
      aws_secretsmanager_secret.admin_password.arn,
      aws_secretsmanager_secret.ops_password.arn,
    ]
  }

  statement {
    sid       = "DiscoverPeers"
    actions   = ["ec2:DescribeInstances"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "node" {
  name   = "eventstoredb-node"
  role   = aws_iam_role.node.id
  policy = data.aws_iam_policy_document.node.json
}

resource "aws_iam_instance_profile" "node" {
  name_prefix = "${var.name}-esdb-"
  role        = aws_iam_role.node.name

  tags = var.tags
}

# --- internal NLB: one stable discovery address for clients ---

resource "aws_lb" "this" {
  name               = "${var.name}-esdb"
  internal           = true
  load_balancer_type = "network"
  subnets            = var.subnet_ids

  enable_cross_zone_load_balancing = true

  tags = var.tags
}

resource "aws_lb_target_group" "this" {
  name                 = "${var.name}-esdb"
  port                 = 2113
  protocol             = "TCP"
  target_type          = "instance"
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  health_check {
    protocol            = "HTTPS"
    port                = "traffic-port"
    path                = "/health/live"
    matcher             = "200-399"
    interval            = 10
    healthy_threshold   = 3
    unhealthy_threshold = 3
  }

  tags = var.tags
}

resource "aws_lb_listener" "this" {
  load_balancer_arn = aws_lb.this.arn
  port              = 2113
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }

  tags = var.tags
}

# --- nodes ---

resource "aws_launch_template" "node" {
  name_prefix            = "${var.name}-esdb-"
  image_id               = local.ami_id
  instance_type          = var.instance_type
  vpc_security_group_ids = var.security_group_ids
  update_default_version = true

  iam_instance_profile {
    arn = aws_iam_instance_profile.node.arn
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  block_device_mappings {
    device_name = "/dev/sda1"

    ebs {
      volume_size           = var.volume_size_gb
      volume_type           = "gp3"
      encrypted             = true
      delete_on_termination = true
    }
  }

  user_data = base64encode(templatefile("${path.module}/user-data.sh.tftpl", {
    eventstore_version        = var.eventstore_version
    node_count                = var.node_count
    cluster_tag               = local.cluster_tag
    region                    = data.aws_region.current.name
    nlb_dns_name              = aws_lb.this.dns_name
    ca_cert_pem               = tls_self_signed_cert.ca.cert_pem
    ca_key_secret_arn         = aws_secretsmanager_secret.ca_key.arn
    admin_password_secret_arn = aws_secretsmanager_secret.admin_password.arn
    ops_password_secret_arn   = aws_secretsmanager_secret.ops_password.arn
  }))

  tag_specifications {
    resource_type = "instance"
    tags          = merge(var.tags, { Name = local.cluster_tag, EventStoreDBCluster = local.cluster_tag })
  }

  tag_specifications {
    resource_type = "volume"
    tags          = merge(var.tags, { Name = local.cluster_tag })
  }

  tags = var.tags
}

resource "aws_autoscaling_group" "nodes" {
  name                      = local.cluster_tag
  min_size                  = var.node_count
  max_size                  = var.node_count
  desired_capacity          = var.node_count
  vpc_zone_identifier       = var.subnet_ids
  target_group_arns         = [aws_lb_target_group.this.arn]
  health_check_type         = "ELB"
  health_check_grace_period = 600

  launch_template {
    id      = aws_launch_template.node.id
    version = aws_launch_template.node.latest_version
  }

  # A changed launch template replaces one node at a time; each new node catches up before the next goes.
  instance_refresh {
    strategy = "Rolling"

    preferences {
      min_healthy_percentage = 66
      instance_warmup        = 600
    }
  }

  tag {
    key                 = "Name"
    value               = local.cluster_tag
    propagate_at_launch = true
  }

  depends_on = [
    aws_secretsmanager_secret_version.ca_key,
    aws_secretsmanager_secret_version.admin_password,
    aws_secretsmanager_secret_version.ops_password,
    aws_iam_role_policy.node,
  ]
}
