package accountapp

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/pkg/config"
	"github.com/transcodely/transcodely/pkg/pgdb"
	"github.com/transcodely/transcodely/pkg/pgdbtest"
	"github.com/transcodely/transcodely/pkg/rpcerr"
)

func newApp(t *testing.T) *App {
	t.Helper()
	tmpl := pgdbtest.NewTemplate(t, "account", func(ctx context.Context, url string) error {
		pool, err := pgdb.Open(ctx, url)
		if err != nil {
			return err
		}
		defer pool.Close()
		return Migrate(ctx, pool)
	})
	pool, err := pgdb.Open(context.Background(), tmpl.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return New(pool, Config{KeyPepper: config.Secret("pepper")})
}

var tokenRE = regexp.MustCompile(`ses_[0-9A-Za-z]{48}`)

// TestCommands: the way a self-hoster gets in, from bootstrap to invite,
// user-token, revoke-sessions and org-status, with the printed tokens
// accepted by the verifier.
func TestCommands(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	run := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		if err := a.RunCommand(ctx, args, &out); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out.String())
		}
		return out.String()
	}
	out := run("bootstrap", "-email", "root@example.com", "-org", "acme", "-format", "env")
	orgID := regexp.MustCompile(`TRANSCODELY_ORGANIZATION_ID=(\S+)`).FindStringSubmatch(out)[1]
	owner := tokenRE.FindString(out)
	if owner == "" || !strings.Contains(out, "TRANSCODELY_API_KEY=ak_test_") {
		t.Fatalf("bootstrap printed:\n%s", out)
	}
	p, err := a.Verifier().Verify(ctx, owner, orgID)
	if err != nil || p.Role != auth.RoleOwner {
		t.Fatalf("owner session = %+v, %v", p, err)
	}

	out = run("invite", "-email", "Bob@Example.com", "-org", "acme", "-role", "viewer")
	bob := tokenRE.FindString(out)
	if bob == "" || !strings.Contains(out, "(new)") {
		t.Fatalf("invite printed:\n%s", out)
	}
	if p, err := a.Verifier().Verify(ctx, bob, orgID); err != nil || p.Role != auth.RoleViewer {
		t.Fatalf("invited session = %+v, %v", p, err)
	}
	out = run("invite", "-email", "bob@example.com", "-org", orgID, "-role", "admin")
	if !strings.Contains(out, "viewer") || !strings.Contains(out, "role unchanged") {
		t.Fatalf("second invite printed:\n%s", out)
	}
	var bad bytes.Buffer
	if err := a.RunCommand(ctx, []string{"invite", "-email", "x@example.com", "-org", "acme", "-role", "god"}, &bad); err == nil {
		t.Fatal("invite with an unknown role succeeded")
	}
	if err := a.RunCommand(ctx, []string{"user-token", "-email", "nobody@example.com"}, &bad); err == nil {
		t.Fatal("user-token for an unknown user succeeded")
	}

	bob2 := tokenRE.FindString(run("user-token", "-email", "bob@example.com", "-ttl", "1h"))
	if _, err := a.Verifier().Verify(ctx, bob2, ""); err != nil {
		t.Fatalf("user-token: %v", err)
	}
	// Two invites and a user-token each issued one.
	if out := run("revoke-sessions", "-email", "bob@example.com"); !strings.Contains(out, "revoked 3") {
		t.Fatalf("revoke-sessions printed %q", out)
	}
	for _, tok := range []string{bob, bob2} {
		if _, err := a.Verifier().Verify(ctx, tok, ""); rpcerr.KindOf(err) != rpcerr.KindUnauthenticated {
			t.Fatalf("revoked session: %v", err)
		}
	}

	run("org-status", "-org", "acme", "-status", "suspended")
	if _, err := a.Verifier().Verify(ctx, owner, orgID); rpcerr.KindOf(err) != rpcerr.KindPermissionDenied {
		t.Fatalf("suspended: %v", err)
	}
	run("org-status", "-org", orgID, "-status", "active")
	if _, err := a.Verifier().Verify(ctx, owner, orgID); err != nil {
		t.Fatalf("reinstated: %v", err)
	}
}
