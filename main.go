// Command terraform-provider-coveo serves the Coveo Terraform provider.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/coveo-community/terraform-provider-coveo/internal/provider"
)

// Generate the documentation from the schema, examples/ and templates/.
//go:generate go tool -modfile=tools/go.mod tfplugindocs generate --provider-name coveo

// version is set at build time by goreleaser (-ldflags "-X main.version=...").
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "start the provider with support for debuggers like delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/coveo-community/coveo",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
