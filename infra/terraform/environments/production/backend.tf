# Remote state in S3 with a DynamoDB lock table (both created once by ../../bootstrap). The bucket and region
# are given at init time:
#   terraform init -backend-config=backend.hcl      (copy backend.hcl.example)
terraform {
  backend "s3" {
    key            = "gedsi/production/terraform.tfstate"
    encrypt        = true
    dynamodb_table = "gedsi-terraform-locks"
  }
}
