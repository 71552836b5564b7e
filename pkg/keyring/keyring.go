// Package keyring encrypts secrets at rest (origin credentials, webhook
// signing secrets) with AES-256-GCM under master keys that come from the
// environment. Every ciphertext is stored with the id of the key that sealed
// it, so keys can be rotated: add a new key, make it current, re-encrypt.
package keyring

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// ErrUnknownKey is returned when a ciphertext names a key the ring lacks.
var ErrUnknownKey = errors.New("keyring: unknown key id")

// Ring holds the master keys.
type Ring struct {
	current string
	aeads   map[string]cipher.AEAD
}

// Parse reads a key list of the form "id1:base64key1,id2:base64key2"; the
// first key is current (used to seal). Each key must be 32 bytes.
func Parse(spec string) (*Ring, error) {
	r := &Ring{aeads: map[string]cipher.AEAD{}}
	for i, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		kid, b64, ok := strings.Cut(part, ":")
		if !ok || kid == "" {
			return nil, fmt.Errorf("keyring: entry %d: want id:base64key", i+1)
		}
		key, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return nil, fmt.Errorf("keyring: key %q: %w", kid, err)
		}
		if len(key) != 32 {
			return nil, fmt.Errorf("keyring: key %q: want 32 bytes, got %d", kid, len(key))
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		if _, dup := r.aeads[kid]; dup {
			return nil, fmt.Errorf("keyring: key id %q listed twice", kid)
		}
		r.aeads[kid] = aead
		if r.current == "" {
			r.current = kid
		}
	}
	if r.current == "" {
		return nil, errors.New("keyring: no keys configured")
	}
	return r, nil
}

// NewKeySpec returns a fresh "id:base64key" entry, for operators and tests.
func NewKeySpec(kid string) string {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	return kid + ":" + base64.StdEncoding.EncodeToString(key)
}

// CurrentKeyID is the id new ciphertexts are sealed with.
func (r *Ring) CurrentKeyID() string { return r.current }

// Seal encrypts plaintext under the current key. aad binds the ciphertext to
// its owner (e.g. the origin id) so it cannot be copied to another row.
func (r *Ring) Seal(plaintext, aad []byte) (keyID string, ciphertext []byte) {
	aead := r.aeads[r.current]
	nonce := make([]byte, aead.NonceSize())
	_, _ = rand.Read(nonce)
	return r.current, aead.Seal(nonce, nonce, plaintext, aad)
}

// Open decrypts a ciphertext sealed under keyID.
func (r *Ring) Open(keyID string, ciphertext, aad []byte) ([]byte, error) {
	aead, ok := r.aeads[keyID]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownKey, keyID)
	}
	if len(ciphertext) < aead.NonceSize() {
		return nil, errors.New("keyring: ciphertext too short")
	}
	nonce, body := ciphertext[:aead.NonceSize()], ciphertext[aead.NonceSize():]
	out, err := aead.Open(nil, nonce, body, aad)
	if err != nil {
		return nil, fmt.Errorf("keyring: cannot decrypt with key %q: %w", keyID, err)
	}
	return out, nil
}
