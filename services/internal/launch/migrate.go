package launch

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/transcodely/transcodely/pkg/config"
	"github.com/transcodely/transcodely/pkg/pgdb"
)

// MigrateCommand handles the "migrate" subcommand before the full
// configuration is loaded: migrating needs the database URL and nothing else
// (no service token, no master keys). handled is false for other commands.
func MigrateCommand(ctx context.Context, args []string, migrate func(context.Context, *pgxpool.Pool) error) (handled bool, err error) {
	if len(args) == 0 || args[0] != "migrate" {
		return false, nil
	}
	var c struct{ Database config.Database }
	if err := config.LoadEnv(&c); err != nil {
		return true, fmt.Errorf("configuration: %w", err)
	}
	pool, err := pgdb.Open(ctx, c.Database.URL.Reveal())
	if err != nil {
		return true, err
	}
	defer pool.Close()
	return true, migrate(ctx, pool)
}
