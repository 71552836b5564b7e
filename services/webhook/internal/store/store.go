// Package store holds the webhook schema's migrations.
package store

import (
	"embed"
	"io/fs"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Schema is the Postgres schema this service owns.
const Schema = "webhook"

// Migrations are the webhook schema's goose migrations.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err)
	}
	return sub
}
