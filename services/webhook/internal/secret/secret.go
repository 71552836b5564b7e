// Package secret makes, seals and opens webhook signing secrets, and
// decides which secret signs a job's own webhook_url deliveries.
//
// Secrets are "whsec_" + 32 base62 characters (about 190 bits); the HMAC
// key is the whole string. At rest they are sealed with pkg/keyring under
// the current master key, bound to their owner (the endpoint id, or
// "<app_id>/<environment>" for an app secret) as associated data, so a
// ciphertext copied to another row does not open.
package secret

import (
	"context"
	"errors"
	"fmt"

	"github.com/transcodely/transcodely/pkg/id"
	"github.com/transcodely/transcodely/pkg/keyring"
	"github.com/transcodely/transcodely/pkg/webhooksig"
	"github.com/transcodely/transcodely/services/webhook/internal/store"
	"github.com/transcodely/transcodely/services/webhook/internal/store/dbgen"
)

// Keeper seals and opens secrets.
type Keeper struct {
	Store *store.Store
	Ring  *keyring.Ring
}

// New returns a fresh signing secret.
func New() string { return webhooksig.SecretPrefix + id.Random(32) }

// Seal encrypts an endpoint's secret.
func (k *Keeper) Seal(endpointID, secret string) (keyID string, cipher []byte) {
	return k.Ring.Seal([]byte(secret), []byte(endpointID))
}

// Open decrypts an endpoint's secret.
func (k *Keeper) Open(endpointID, keyID string, cipher []byte) (string, error) {
	plain, err := k.Ring.Open(keyID, cipher, []byte(endpointID))
	if err != nil {
		return "", fmt.Errorf("endpoint %s secret: %w", endpointID, err)
	}
	return string(plain), nil
}

func appAAD(appID, env string) []byte { return []byte(appID + "/" + env) }

// ForJobURL is the secret that signs deliveries to a job's own
// webhook_url: the secret of the app's oldest endpoint in that
// environment (enabled or not), so a receiver verifies them with a secret
// it was shown; while the app has no endpoint, a per-app secret made on
// first use and kept in webhook.app_secrets, which no API returns. It is
// resolved at every attempt, so creating an endpoint (or rotating the
// oldest one's secret) applies to retries too.
func (k *Keeper) ForJobURL(ctx context.Context, appID, env string) (string, error) {
	ep, err := k.Store.FirstEndpointSecret(ctx, dbgen.FirstEndpointSecretParams{AppID: appID, Environment: env})
	if err == nil {
		return k.Open(ep.ID, ep.SecretKeyID, ep.SecretCipher)
	}
	if !errors.Is(store.Translate(err), store.ErrNotFound) {
		return "", store.Translate(err)
	}
	row, err := k.Store.GetAppSecret(ctx, dbgen.GetAppSecretParams{AppID: appID, Environment: env})
	if errors.Is(store.Translate(err), store.ErrNotFound) {
		kid, sealed := k.Ring.Seal([]byte(New()), appAAD(appID, env))
		// Concurrent first uses race on the primary key; the loser's
		// secret is dropped and both read the winner's.
		if err := k.Store.InsertAppSecret(ctx, dbgen.InsertAppSecretParams{AppID: appID, Environment: env, SecretCipher: sealed, SecretKeyID: kid}); err != nil {
			return "", store.Translate(err)
		}
		row, err = k.Store.GetAppSecret(ctx, dbgen.GetAppSecretParams{AppID: appID, Environment: env})
	}
	if err != nil {
		return "", store.Translate(err)
	}
	plain, err := k.Ring.Open(row.SecretKeyID, row.SecretCipher, appAAD(appID, env))
	if err != nil {
		return "", fmt.Errorf("app %s secret: %w", appID, err)
	}
	return string(plain), nil
}
