// Command connapi manages the connections of Stack AI, PipesHub, Instill AI and
// OpenInt from the command line:
//
//	go install github.com/connapi/connapi-go/cmd/connapi@latest
//	connapi --fake connections list
//
// Run connapi --help for the commands, the configuration and the exit codes.
package main

import (
	"os"

	"github.com/connapi/connapi-go/cmd/connapi/internal/cli"
)

func main() { os.Exit(cli.Main()) }
