output "nlb_dns_name" {
  description = "Internal DNS name of the cluster's discovery endpoint (port 2113)."
  value       = aws_lb.this.dns_name
}

output "autoscaling_group_name" {
  description = "Auto Scaling group of the nodes."
  value       = aws_autoscaling_group.nodes.name
}

output "connection_string_secret_arn" {
  description = "ARN of the Secrets Manager secret holding EVENTSTORE_CONNECTION_STRING."
  value       = aws_secretsmanager_secret_version.connection_string.arn
}

output "admin_password_secret_arn" {
  description = "ARN of the Secrets Manager secret holding the admin password."
  value       = aws_secretsmanager_secret_version.admin_password.arn
}

output "ca_certificate_pem" {
  description = "Certificate of the node CA (public): give it to clients that should verify the nodes."
  value       = tls_self_signed_cert.ca.cert_pem
}
