output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the ECS cluster."
  value       = aws_ecs_cluster.this.arn
}

output "service_names" {
  description = "ECS service name per role."
  value       = { for role, service in aws_ecs_service.role : role => service.name }
}

output "task_definition_arns" {
  description = "Task definition (with revision) per role."
  value       = { for role, task in aws_ecs_task_definition.role : role => task.arn }
}

output "log_group_names" {
  description = "CloudWatch log group per role."
  value       = { for role, group in aws_cloudwatch_log_group.role : role => group.name }
}

output "load_balancer_dns_name" {
  description = "DNS name of the api load balancer (point the API's domain at it)."
  value       = aws_lb.api.dns_name
}

output "load_balancer_zone_id" {
  description = "Hosted zone of the load balancer, for a Route 53 alias record."
  value       = aws_lb.api.zone_id
}

output "target_group_arn" {
  description = "Target group of the api role."
  value       = aws_lb_target_group.api.arn
}

output "task_execution_role_arn" {
  description = "Execution role of the tasks (image pull, logs, secrets)."
  value       = aws_iam_role.execution.arn
}

output "task_role_arn" {
  description = "Role the application runs with (grant it what the app itself calls)."
  value       = aws_iam_role.task.arn
}
