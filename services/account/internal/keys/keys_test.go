package keys

import (
	"context"
	"testing"
	"time"

	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/pkg/rpcerr"
	"github.com/transcodely/transcodely/services/account/internal/store"
)

var pepper = []byte("pepper")

// fakeStore holds one key and one session by the hash of their secret.
type fakeStore struct {
	keys     map[string]store.KeyRecord
	sessions map[string]store.SessionRecord
	roles    map[[2]string][2]string // (user, org) -> (role, org status)
	apps     map[[2]string]string    // (app, org) -> status
}

func (f *fakeStore) KeyByHash(_ context.Context, h string) (store.KeyRecord, error) {
	if k, ok := f.keys[h]; ok {
		return k, nil
	}
	return store.KeyRecord{}, store.ErrNotFound
}
func (f *fakeStore) TouchKey(context.Context, string) error { return nil }
func (f *fakeStore) SessionByHash(_ context.Context, h string) (store.SessionRecord, error) {
	if s, ok := f.sessions[h]; ok {
		return s, nil
	}
	return store.SessionRecord{}, store.ErrNotFound
}
func (f *fakeStore) TouchSession(context.Context, string) error { return nil }
func (f *fakeStore) MemberRole(_ context.Context, user, org string) (string, string, error) {
	if r, ok := f.roles[[2]string{user, org}]; ok {
		return r[0], r[1], nil
	}
	return "", "", store.ErrNotFound
}
func (f *fakeStore) AppStatus(_ context.Context, app, org string) (string, error) {
	if s, ok := f.apps[[2]string{app, org}]; ok {
		return s, nil
	}
	return "", store.ErrNotFound
}

func TestVerifier(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_000_000, 0)
	past, future := now.Add(-time.Hour), now.Add(time.Hour)
	key := func(secret string, k store.KeyRecord) (string, store.KeyRecord) {
		return auth.HashKey(pepper, secret), k
	}
	f := &fakeStore{keys: map[string]store.KeyRecord{}, sessions: map[string]store.SessionRecord{}}
	add := func(secret string, k store.KeyRecord) {
		h, r := key(secret, k)
		f.keys[h] = r
	}
	good := store.KeyRecord{ID: "ak_1", AppID: "app_1", OrganizationID: "org_1", Environment: "test", AppStatus: "active", OrganizationStatus: "active"}
	add("ak_test_good", good)
	revoked := good
	revoked.RevokedAt = &past
	add("ak_test_revoked", revoked)
	expired := good
	expired.ExpiresAt = &past
	add("ak_test_expired", expired)
	archived := good
	archived.AppStatus = "archived"
	add("ak_test_archived", archived)
	suspended := good
	suspended.OrganizationStatus = "suspended"
	add("ak_test_suspended", suspended)
	f.sessions[auth.HashKey(pepper, "ses_good")] = store.SessionRecord{ID: "ses_1", UserID: "usr_1", ExpiresAt: &future}
	f.sessions[auth.HashKey(pepper, "ses_expired")] = store.SessionRecord{ID: "ses_2", UserID: "usr_1", ExpiresAt: &past}
	f.sessions[auth.HashKey(pepper, "ses_revoked")] = store.SessionRecord{ID: "ses_3", UserID: "usr_1", ExpiresAt: &future, RevokedAt: &past}
	f.roles = map[[2]string][2]string{{"usr_1", "org_1"}: {"member", "active"}, {"usr_1", "org_s"}: {"owner", "suspended"}}
	f.apps = map[[2]string]string{{"app_1", "org_1"}: "active", {"app_old", "org_1"}: "archived"}
	v := &Verifier{Store: f, Pepper: pepper, Now: func() time.Time { return now }}

	tests := []struct {
		name, token, org, app, env string
		kind                       rpcerr.Kind
		want                       auth.Principal
	}{
		{name: "key", token: "ak_test_good", org: "org_1", want: auth.Principal{KeyID: "ak_1", AppID: "app_1", OrganizationID: "org_1", Environment: "test"}},
		{name: "key, own app header", token: "ak_test_good", org: "org_1", app: "app_1", want: auth.Principal{KeyID: "ak_1", AppID: "app_1", OrganizationID: "org_1", Environment: "test"}},
		{name: "key, other app header", token: "ak_test_good", org: "org_1", app: "app_2", kind: rpcerr.KindPermissionDenied},
		{name: "key, other organization", token: "ak_test_good", org: "org_2", kind: rpcerr.KindPermissionDenied},
		{name: "unknown key", token: "ak_test_nope", kind: rpcerr.KindUnauthenticated},
		{name: "malformed", token: "nope", kind: rpcerr.KindUnauthenticated},
		{name: "revoked key", token: "ak_test_revoked", kind: rpcerr.KindUnauthenticated},
		{name: "expired key", token: "ak_test_expired", kind: rpcerr.KindUnauthenticated},
		{name: "archived app's key", token: "ak_test_archived", kind: rpcerr.KindUnauthenticated},
		{name: "suspended organization's key", token: "ak_test_suspended", org: "org_1", kind: rpcerr.KindPermissionDenied},
		{name: "session without organization", token: "ses_good", want: auth.Principal{UserID: "usr_1"}},
		{name: "session in organization", token: "ses_good", org: "org_1", want: auth.Principal{UserID: "usr_1", OrganizationID: "org_1", Role: "member"}},
		{name: "session in app, default live", token: "ses_good", org: "org_1", app: "app_1",
			want: auth.Principal{UserID: "usr_1", OrganizationID: "org_1", Role: "member", AppID: "app_1", Environment: "live"}},
		{name: "session in app, test", token: "ses_good", org: "org_1", app: "app_1", env: "test",
			want: auth.Principal{UserID: "usr_1", OrganizationID: "org_1", Role: "member", AppID: "app_1", Environment: "test"}},
		{name: "session, bad environment", token: "ses_good", org: "org_1", app: "app_1", env: "prod", kind: rpcerr.KindInvalid},
		{name: "session, environment without app", token: "ses_good", org: "org_1", env: "test", kind: rpcerr.KindInvalid},
		{name: "session, another organization's app", token: "ses_good", org: "org_1", app: "app_9", kind: rpcerr.KindPermissionDenied},
		{name: "session, archived app", token: "ses_good", org: "org_1", app: "app_old", kind: rpcerr.KindPermissionDenied},
		{name: "session, not a member", token: "ses_good", org: "org_2", kind: rpcerr.KindPermissionDenied},
		{name: "session, suspended organization", token: "ses_good", org: "org_s", kind: rpcerr.KindPermissionDenied},
		{name: "expired session", token: "ses_expired", kind: rpcerr.KindUnauthenticated},
		{name: "revoked session", token: "ses_revoked", org: "org_1", kind: rpcerr.KindUnauthenticated},
		{name: "unknown session", token: "ses_nope", kind: rpcerr.KindUnauthenticated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := v.VerifyInApp(context.Background(), tt.token, tt.org, tt.app, tt.env)
			if rpcerr.KindOf(err) != tt.kind || (tt.kind == rpcerr.KindUnknown && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.kind)
			}
			if tt.kind == rpcerr.KindUnauthenticated && err.Error() != auth.MsgInvalidCredentials {
				t.Fatalf("message %q is not the generic one", err)
			}
			if err == nil && (p.KeyID != tt.want.KeyID || p.UserID != tt.want.UserID || p.OrganizationID != tt.want.OrganizationID ||
				p.AppID != tt.want.AppID || p.Environment != tt.want.Environment || p.Role != tt.want.Role) {
				t.Fatalf("principal = %+v, want %+v", p, tt.want)
			}
		})
	}
}
