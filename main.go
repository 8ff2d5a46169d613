// Command terraform-provider-coveo serves the Coveo Terraform provider.
package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

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

	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	if err := tf6server.Serve("registry.terraform.io/coveo-community/coveo", provider.NewProtocol6Server(version), opts...); err != nil {
		log.Fatal(err.Error())
	}
}
