provider "aws" {
  region = "eu-west-1"

  # The same three tags the platform module puts on its resources (modules/platform, local.tags).
  default_tags {
    tags = { Project = "gedsi", Environment = "production", ManagedBy = "terraform" }
  }
}
