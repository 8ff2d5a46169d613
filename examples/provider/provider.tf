terraform {
  required_providers {
    coveo = {
      source = "coveo-community/coveo"
    }
  }
}

# The token and organization usually come from the environment:
#   export COVEO_ACCESS_TOKEN=xx...   (or COVEO_API_KEY)
#   export COVEO_ORGANIZATION_ID=myorganization
provider "coveo" {
  region      = "eu" # us (default), eu, au or ca
  environment = "prod"
}
