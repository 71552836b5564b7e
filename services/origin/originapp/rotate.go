package originapp

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/transcodely/transcodely/pkg/keyring"
	"github.com/transcodely/transcodely/services/origin/internal/store"
	"github.com/transcodely/transcodely/services/origin/internal/store/dbgen"
)

// DefaultRotateBatch is how many origins one rotation transaction re-seals:
// small enough that the row locks it holds do not stall Update calls for
// long, large enough that a big table takes few round trips.
const DefaultRotateBatch = 200

// RotateOptions tune RotateKeys.
type RotateOptions struct {
	// BatchSize is the number of origins per transaction; 0 means
	// DefaultRotateBatch.
	BatchSize int
}

// RotateReport is what a rotation did.
type RotateReport struct {
	// KeyID is the current key every origin is now sealed with.
	KeyID string
	// ReEncrypted counts origins whose credentials were re-sealed.
	ReEncrypted int
	// AlreadyCurrent counts origins that were sealed with KeyID already.
	AlreadyCurrent int
}

// RotateKeys re-seals every origin's credentials under the current (first)
// key of cfg.MasterKeys; the older keys must still be listed after it so the
// credentials can be opened. Rotating is idempotent: origins already sealed
// with the current key are counted and left alone, so an interrupted run is
// finished by running it again.
//
// Before it rewrites anything it opens one origin per key id in use, so a
// key missing from the ring (or listed under its id with the wrong bytes)
// fails the run up front, naming the key and an origin sealed with it. The
// work then goes in batches, each its own transaction holding row locks, so
// a concurrent Update either waits for the batch or is seen by it.
//
// Operators roll the new ring out to every service that seals (origin and
// allinone) before rotating, so no service keeps sealing with the old key.
func RotateKeys(ctx context.Context, pool *pgxpool.Pool, cfg Config, opts RotateOptions) (RotateReport, error) {
	ring, err := keyring.Parse(cfg.MasterKeys.Reveal())
	if err != nil {
		return RotateReport{}, fmt.Errorf("TRANSCODELY_MASTER_KEYS: %w", err)
	}
	batch := opts.BatchSize
	if batch <= 0 {
		batch = DefaultRotateBatch
	}
	rep := RotateReport{KeyID: ring.CurrentKeyID()}
	st := store.New(pool)

	samples, err := st.CredentialKeySamples(ctx)
	if err != nil {
		return rep, store.Translate(err)
	}
	for _, s := range samples {
		if _, err := open(ring, s.ID, s.CredentialsKeyID, s.CredentialsCipher); err != nil {
			return rep, err
		}
	}

	after := ""
	for {
		var n int
		var done RotateReport
		err := st.InTx(ctx, func(q *dbgen.Queries) error {
			rows, err := q.LockCredentialsBatch(ctx, dbgen.LockCredentialsBatchParams{AfterID: after, BatchSize: int32(batch)}) //nolint:gosec // batch is a small positive count
			if err != nil {
				return store.Translate(err)
			}
			n = len(rows)
			for _, r := range rows {
				after = r.ID
				if r.CredentialsKeyID == rep.KeyID {
					done.AlreadyCurrent++
					continue
				}
				plain, err := open(ring, r.ID, r.CredentialsKeyID, r.CredentialsCipher)
				if err != nil {
					return err
				}
				kid, sealed := ring.Seal(plain, []byte(r.ID))
				if err := q.SetCredentials(ctx, dbgen.SetCredentialsParams{ID: r.ID, CredentialsCipher: sealed, CredentialsKeyID: kid}); err != nil {
					return store.Translate(err)
				}
				done.ReEncrypted++
			}
			return nil
		})
		if err != nil {
			return rep, err
		}
		// Counted only once the batch committed, so the report never
		// claims work a rolled-back transaction undid.
		rep.ReEncrypted += done.ReEncrypted
		rep.AlreadyCurrent += done.AlreadyCurrent
		if n < batch {
			return rep, nil
		}
	}
}

// open decrypts one origin's credentials with an error that tells the
// operator what to do.
func open(ring *keyring.Ring, originID, keyID string, sealed []byte) ([]byte, error) {
	plain, err := ring.Open(keyID, sealed, []byte(originID))
	switch {
	case errors.Is(err, keyring.ErrUnknownKey):
		return nil, fmt.Errorf("origin %s is sealed with key id %q, which TRANSCODELY_MASTER_KEYS does not list; add that key after the current one and run rotate-keys again", originID, keyID)
	case err != nil:
		return nil, fmt.Errorf("origin %s: the key listed as %q in TRANSCODELY_MASTER_KEYS does not open its credentials (wrong key bytes under that id?): %w", originID, keyID, err)
	}
	return plain, nil
}

// RotateKeysCommand implements the "rotate-keys" subcommand of the origin
// and allinone binaries.
func RotateKeysCommand(ctx context.Context, pool *pgxpool.Pool, cfg Config, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("rotate-keys", flag.ContinueOnError)
	fs.SetOutput(out)
	batch := fs.Int("batch", DefaultRotateBatch, "origins re-sealed per transaction")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("rotate-keys takes no arguments, got %q", fs.Args())
	}
	rep, err := RotateKeys(ctx, pool, cfg, RotateOptions{BatchSize: *batch})
	if err != nil {
		return fmt.Errorf("rotate-keys: %w (re-encrypted %d before stopping; running again is safe)", err, rep.ReEncrypted)
	}
	fmt.Fprintf(out, "key %s: re-encrypted %d origins, %d already current\n", rep.KeyID, rep.ReEncrypted, rep.AlreadyCurrent)
	return nil
}
