package originapp_test

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1"
	originv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/originv1"
	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/pkg/config"
	"github.com/transcodely/transcodely/pkg/keyring"
	"github.com/transcodely/transcodely/pkg/netguard"
	"github.com/transcodely/transcodely/pkg/pgdb"
	"github.com/transcodely/transcodely/pkg/pgdbtest"
	"github.com/transcodely/transcodely/services/origin/internal/access"
	"github.com/transcodely/transcodely/services/origin/internal/handler"
	"github.com/transcodely/transcodely/services/origin/internal/store"
	"github.com/transcodely/transcodely/services/origin/originapp"
)

var principal = auth.Principal{OrganizationID: "org_x", AppID: "app_x", Environment: "test"}

// acceptAll passes every check without connecting anywhere: these tests are
// about what is stored, not about reaching a bucket.
type acceptAll struct{}

func (acceptAll) Check(_ context.Context, _ access.Target, read, write bool) access.Result {
	return access.Result{Read: read, Write: write}
}

func newPool(t *testing.T) *pgxpool.Pool {
	t.Helper()
	tmpl := pgdbtest.NewTemplate(t, "origin", func(ctx context.Context, url string) error {
		pool, err := pgdb.Open(ctx, url)
		if err != nil {
			return err
		}
		defer pool.Close()
		return originapp.Migrate(ctx, pool)
	})
	return tmpl.NewPool(t)
}

// origins is the service with the key ring spec, as a running binary with
// TRANSCODELY_MASTER_KEYS=spec would be.
func origins(t *testing.T, pool *pgxpool.Pool, spec string) *handler.Origins {
	t.Helper()
	ring, err := keyring.Parse(spec)
	if err != nil {
		t.Fatal(err)
	}
	policy := netguard.Policy{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}
	return &handler.Origins{Store: store.New(pool), Ring: ring, Checker: acceptAll{}, Policy: policy}
}

// createS3 stores an origin whose secret is secret and returns its id.
func createS3(t *testing.T, h *handler.Origins, name, secret string) string {
	t.Helper()
	resp, err := h.Create(auth.WithPrincipal(context.Background(), principal), connect.NewRequest(&originv1.CreateOriginRequest{
		Name: name, Permissions: []originv1.OriginPermission{originv1.OriginPermission_ORIGIN_PERMISSION_READ},
		Provider: &originv1.CreateOriginRequest_S3{S3: &originv1.S3OriginInput{
			Bucket: "media", Endpoint: "http://127.0.0.1:9",
			Credentials: &originv1.S3Credentials{AccessKeyId: "AK" + name, SecretAccessKey: secret},
		}},
	}))
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	return resp.Msg.GetOrigin().GetId()
}

// secretOf resolves an origin as the job service does and returns its
// decrypted secret.
func secretOf(h *handler.Origins, originID string) (string, error) {
	resp, err := h.Resolve(context.Background(), connect.NewRequest(&internalv1.ResolveOriginRequest{
		OriginId: originID, AppId: principal.AppID, Environment: principal.Environment,
		Permission: originv1.OriginPermission_ORIGIN_PERMISSION_READ,
	}))
	if err != nil {
		return "", err
	}
	return resp.Msg.GetOrigin().GetSecretAccessKey(), nil
}

// keyIDs returns each origin's credentials_key_id.
func keyIDs(t *testing.T, pool *pgxpool.Pool) map[string]string {
	t.Helper()
	rows, err := pool.Query(context.Background(), "SELECT id, credentials_key_id FROM origin.origins")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, kid string
		if err := rows.Scan(&id, &kid); err != nil {
			t.Fatal(err)
		}
		out[id] = kid
	}
	return out
}

func rotate(t *testing.T, pool *pgxpool.Pool, spec string, batch int) (originapp.RotateReport, error) {
	t.Helper()
	return originapp.RotateKeys(context.Background(), pool, originapp.Config{MasterKeys: config.Secret(spec)}, originapp.RotateOptions{BatchSize: batch})
}

func TestRotateKeys(t *testing.T) {
	t.Parallel()
	pool := newPool(t)
	k1, k2 := keyring.NewKeySpec("k1"), keyring.NewKeySpec("k2")

	// Five origins sealed under k1, one already under k2 (a service that got
	// the new ring first).
	secrets := map[string]string{}
	before := origins(t, pool, k1)
	for i := range 5 {
		secret := fmt.Sprintf("secret-%d-of-k1", i)
		secrets[createS3(t, before, fmt.Sprintf("o%d", i), secret)] = secret
	}
	secrets[createS3(t, origins(t, pool, k2+","+k1), "new", "secret-of-k2")] = "secret-of-k2"

	t.Run("unknown key fails before anything changes", func(t *testing.T) {
		// Not parallel: it must run before the rotation below.
		_, err := rotate(t, pool, k2, 2)
		if err == nil || !strings.Contains(err.Error(), `key id "k1"`) || !strings.Contains(err.Error(), "ori_") {
			t.Fatalf("rotate without k1 = %v; want an error naming k1 and an origin", err)
		}
		wrongK1 := keyring.NewKeySpec("k1") // same id, other bytes
		if _, err := rotate(t, pool, k2+","+wrongK1, 2); err == nil || !strings.Contains(err.Error(), `"k1"`) {
			t.Fatalf("rotate with the wrong k1 = %v", err)
		}
		for id, kid := range keyIDs(t, pool) {
			if kid != "k1" && secrets[id] != "secret-of-k2" {
				t.Fatalf("origin %s was re-sealed (%s) by a failed rotation", id, kid)
			}
		}
	})

	rep, err := rotate(t, pool, k2+","+k1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if rep != (originapp.RotateReport{KeyID: "k2", ReEncrypted: 5, AlreadyCurrent: 1}) {
		t.Fatalf("first rotation = %+v", rep)
	}
	for id, kid := range keyIDs(t, pool) {
		if kid != "k2" {
			t.Fatalf("origin %s still sealed with %s", id, kid)
		}
	}

	// Idempotent: nothing left to do.
	if rep, err := rotate(t, pool, k2+","+k1, 4); err != nil || rep.ReEncrypted != 0 || rep.AlreadyCurrent != 6 {
		t.Fatalf("second rotation = %+v, %v", rep, err)
	}

	// k1 can now be dropped: a service holding only k2 opens everything.
	after := origins(t, pool, k2)
	for id, want := range secrets {
		got, err := secretOf(after, id)
		if err != nil || got != want {
			t.Fatalf("origin %s under k2 only: secret %q, %v; want %q", id, got, err, want)
		}
	}

	t.Run("an update without credentials keeps the rotated ciphertext", func(t *testing.T) {
		var id string
		for id = range secrets {
			break
		}
		name := "renamed"
		// A replica still on the old ring renames the origin.
		_, err := origins(t, pool, k1).Update(auth.WithPrincipal(context.Background(), principal),
			connect.NewRequest(&originv1.UpdateOriginRequest{Id: id, Name: &name}))
		if err != nil {
			t.Fatal(err)
		}
		if kid := keyIDs(t, pool)[id]; kid != "k2" {
			t.Fatalf("rename re-sealed the credentials with %s", kid)
		}
		if got, err := secretOf(after, id); err != nil || got != secrets[id] {
			t.Fatalf("after rename: %q, %v", got, err)
		}
	})

	t.Run("command", func(t *testing.T) {
		var out bytes.Buffer
		cfg := originapp.Config{MasterKeys: config.Secret(k2 + "," + k1)}
		if err := originapp.RotateKeysCommand(context.Background(), pool, cfg, []string{"-batch", "3"}, &out); err != nil {
			t.Fatal(err)
		}
		if got, want := out.String(), "key k2: re-encrypted 0 origins, 6 already current\n"; got != want {
			t.Fatalf("output %q, want %q", got, want)
		}
		if strings.Contains(out.String(), strings.SplitN(k2, ":", 2)[1]) {
			t.Fatal("the command printed a key")
		}
		err := originapp.RotateKeysCommand(context.Background(), pool, originapp.Config{MasterKeys: config.Secret(keyring.NewKeySpec("k3"))}, nil, &out)
		if err == nil || !strings.Contains(err.Error(), `key id "k2"`) {
			t.Fatalf("command with an unknown key = %v", err)
		}
	})
}
