package accountapp

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"

	"github.com/transcodely/transcodely/services/account/internal/bootstrap"
	"github.com/transcodely/transcodely/services/internal/rpcwire"
)

// Commands are the subcommands of the account and allinone binaries that
// work on the account tables directly, for self-hosters without a hosted
// dashboard: whoever can run them with the database URL and key pepper
// administers the installation.
var Commands = []string{"bootstrap", "invite", "user-token", "revoke-sessions", "org-status"}

// IsCommand reports whether name is one of Commands.
func IsCommand(name string) bool { return slices.Contains(Commands, name) }

// RunCommand runs one of Commands; args[0] is its name.
func (a *App) RunCommand(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("want one of %v", Commands)
	}
	switch args[0] {
	case "bootstrap":
		return a.BootstrapCommand(ctx, args[1:], out)
	case "invite":
		return a.inviteCommand(ctx, args[1:], out)
	case "user-token":
		return a.userTokenCommand(ctx, args[1:], out)
	case "revoke-sessions":
		return a.revokeSessionsCommand(ctx, args[1:], out)
	case "org-status":
		return a.orgStatusCommand(ctx, args[1:], out)
	}
	return fmt.Errorf("unknown command %q (want one of %v)", args[0], Commands)
}

// BootstrapCommand implements the "bootstrap" subcommand of the account and
// allinone binaries: it creates the first user, organization, app and API
// key (idempotently) and prints the key once, with a new session token for
// the user.
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
	fs.DurationVar(&req.SessionTTL, "session-ttl", bootstrap.DefaultSessionTTL, "lifetime of the owner's session token")
	format := fs.String("format", "text", "output: text or env (shell variable assignments)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	res, err := a.Bootstrap(ctx, req)
	if err != nil {
		return err
	}
	if *format == "env" {
		fmt.Fprintf(out, "TRANSCODELY_ORGANIZATION_ID=%s\nTRANSCODELY_APP_ID=%s\nTRANSCODELY_SESSION_TOKEN=%s\n", res.OrganizationID, res.AppID, res.SessionToken)
		if res.Secret != "" {
			fmt.Fprintf(out, "TRANSCODELY_API_KEY=%s\n", res.Secret)
		}
		return nil
	}
	fmt.Fprintf(out, "user:          %s\norganization:  %s\napp:           %s\n", res.UserID, res.OrganizationID, res.AppID)
	fmt.Fprintf(out, "session token: %s  (acts as the owner; shown once: store it now)\n", res.SessionToken)
	if res.Secret == "" {
		fmt.Fprintf(out, "api key:       the app already has a %s key (its secret was shown when it was created; pass -new-key for another)\n", req.Environment)
		return nil
	}
	fmt.Fprintf(out, "api key:       %s  (%s; shown once: store it now)\n", res.Secret, res.KeyID)
	return nil
}

// inviteCommand: account invite -email bob@example.com -org acme -role member
func (a *App) inviteCommand(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("invite", flag.ContinueOnError)
	fs.SetOutput(out)
	var req InviteRequest
	fs.StringVar(&req.Email, "email", "", "email of the user to add (created if new)")
	fs.StringVar(&req.Name, "name", "", "name of the user, if new")
	fs.StringVar(&req.Organization, "org", "", "organization id or slug")
	fs.StringVar(&req.Role, "role", "member", "role: owner, admin, member or viewer")
	fs.DurationVar(&req.SessionTTL, "session-ttl", bootstrap.DefaultSessionTTL, "lifetime of the session token")
	if err := fs.Parse(args); err != nil {
		return err
	}
	res, err := a.Invite(ctx, req)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "user:          %s%s\norganization:  %s\nmembership:    %s (%s)%s\n", res.UserID, created(res.UserCreated),
		res.OrganizationID, res.MembershipID, res.Role, existing(!res.MembershipCreated))
	fmt.Fprintf(out, "session token: %s  (shown once: hand it to the user)\n", res.SessionToken)
	return nil
}

// userTokenCommand: account user-token -email bob@example.com
func (a *App) userTokenCommand(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("user-token", flag.ContinueOnError)
	fs.SetOutput(out)
	email := fs.String("email", "", "email of an existing user")
	ttl := fs.Duration("ttl", bootstrap.DefaultSessionTTL, "lifetime of the token")
	if err := fs.Parse(args); err != nil {
		return err
	}
	userID, token, err := a.IssueSessionToken(ctx, *email, *ttl)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "user:          %s\nsession token: %s  (valid %s; shown once)\n", userID, token, *ttl)
	return nil
}

// revokeSessionsCommand: account revoke-sessions -email bob@example.com
func (a *App) revokeSessionsCommand(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("revoke-sessions", flag.ContinueOnError)
	fs.SetOutput(out)
	email := fs.String("email", "", "email of the user")
	if err := fs.Parse(args); err != nil {
		return err
	}
	n, err := a.RevokeSessions(ctx, *email)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "revoked %d session token(s); they stop working everywhere within %s\n", n, rpcwire.VerifyCacheTTL)
	return nil
}

// orgStatusCommand: account org-status -org acme -status suspended
func (a *App) orgStatusCommand(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("org-status", flag.ContinueOnError)
	fs.SetOutput(out)
	org := fs.String("org", "", "organization id or slug")
	status := fs.String("status", "", "active or suspended")
	if err := fs.Parse(args); err != nil {
		return err
	}
	id, err := a.SetOrganizationStatus(ctx, *org, *status)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "organization %s is now %s\n", id, *status)
	return nil
}

func created(b bool) string {
	if b {
		return " (new)"
	}
	return ""
}

func existing(b bool) string {
	if b {
		return " (already a member: role unchanged)"
	}
	return ""
}
