# Every output of the platform module (modules/platform/outputs.tf), as one object:
#   terraform output -json platform | jq -r .api_url
# and, from another stack, data.terraform_remote_state.<env>.outputs.platform.api_url.
output "platform" {
  description = "Outputs of the platform: api_url, load balancer, ECS cluster and services, log groups, data store endpoints and the ARNs (never the values) of the secrets."
  value       = module.platform
}
