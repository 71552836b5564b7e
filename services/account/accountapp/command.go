package accountapp

import (
	"context"
	"flag"
	"fmt"
	"io"
)

// BootstrapCommand implements the "bootstrap" subcommand of the account and
// allinone binaries: it creates the first user, organization, app and API
// key (idempotently) and prints the key once.
func (a *App) BootstrapCommand(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("bootstrap", flag.ContinueOnError)
	fs.SetOutput(out)
	var req BootstrapRequest
	fs.StringVar(&req.Email, "email", "admin@localhost", "email of the first user (the organization's owner)")
	fs.StringVar(&req.UserName, "name", "Admin", "name of the first user")
	fs.StringVar(&req.OrgSlug, "org", "default", "organization slug")
	fs.StringVar(&req.OrgName, "org-name", "", "organization name (default: the slug)")
	fs.StringVar(&req.AppName, "app", "default", "app name")
	fs.StringVar(&req.Environment, "env", "test", "API key environment: test or live")
	fs.BoolVar(&req.ForceNewKey, "new-key", false, "mint another key even if the app has one")
	format := fs.String("format", "text", "output: text or env (shell variable assignments)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	res, err := a.Bootstrap(ctx, req)
	if err != nil {
		return err
	}
	if *format == "env" {
		fmt.Fprintf(out, "TRANSCODELY_ORGANIZATION_ID=%s\nTRANSCODELY_APP_ID=%s\n", res.OrganizationID, res.AppID)
		if res.Secret != "" {
			fmt.Fprintf(out, "TRANSCODELY_API_KEY=%s\n", res.Secret)
		}
		return nil
	}
	fmt.Fprintf(out, "user:         %s\norganization: %s\napp:          %s\n", res.UserID, res.OrganizationID, res.AppID)
	if res.Secret == "" {
		fmt.Fprintf(out, "api key:      the app already has a %s key (its secret was shown when it was created; pass -new-key for another)\n", req.Environment)
		return nil
	}
	fmt.Fprintf(out, "api key:      %s  (%s; shown once: store it now)\n", res.Secret, res.KeyID)
	return nil
}
