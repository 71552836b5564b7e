// Package bootstrap is how people get into a self-hosted installation, which
// has no hosted dashboard: Run creates the first user, organization, app and
// API key (idempotently: running it again finds what exists and mints a key
// only when the app has none of that environment, or when asked to) and a
// session token for that user; Invite adds a user to an organization with a
// role; IssueSessionToken mints a session token for an existing user; and
// SetOrganizationStatus suspends or reinstates an organization. The
// account binary's subcommands call these (see accountapp).
package bootstrap

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/pkg/id"
	"github.com/transcodely/transcodely/pkg/pgdb"
	"github.com/transcodely/transcodely/services/account/internal/store"
	"github.com/transcodely/transcodely/services/account/internal/store/dbgen"
)

// Request says what to create.
type Request struct {
	Email        string
	UserName     string
	OrgSlug      string
	OrgName      string
	AppName      string
	Environment  string // "test" (default) or "live"
	ForceNewKey  bool
	BillingEmail string
	// SessionTTL is how long the owner's session token lasts (default
	// DefaultSessionTTL).
	SessionTTL time.Duration
}

// Result says what exists now. Secret is set only when a key was minted in
// this run: it is shown once and never stored.
type Result struct {
	UserID, OrganizationID, AppID string
	KeyID, Secret                 string
	Created                       bool
	// SessionToken lets the owner act as a user (a new one every run; it
	// is shown once and stored only as a hash).
	SessionToken string
}

// Run creates whatever is missing, in one transaction.
func Run(ctx context.Context, s *store.Store, pepper []byte, req Request) (Result, error) {
	if req.Environment == "" {
		req.Environment = "test"
	}
	if req.Environment != "test" && req.Environment != "live" {
		return Result{}, errors.New("environment must be test or live")
	}
	if req.Email == "" || req.OrgSlug == "" || req.AppName == "" {
		return Result{}, errors.New("email, organization slug and app name are required")
	}
	var res Result
	err := s.InTx(ctx, func(q *dbgen.Queries) error {
		res = Result{}
		u, err := q.GetUserByEmail(ctx, strings.ToLower(req.Email))
		if missing, err := absent(err); err != nil {
			return err
		} else if missing {
			if u, err = q.InsertUser(ctx, dbgen.InsertUserParams{ID: id.New(id.User), Email: strings.ToLower(req.Email), Name: req.UserName}); err != nil {
				return err
			}
			res.Created = true
		}
		res.UserID = u.ID
		org, err := q.GetOrganizationBySlug(ctx, req.OrgSlug)
		if missing, err := absent(err); err != nil {
			return err
		} else if missing {
			name := req.OrgName
			if name == "" {
				name = req.OrgSlug
			}
			billing := req.BillingEmail
			if billing == "" {
				billing = strings.ToLower(req.Email)
			}
			if org, err = q.InsertOrganization(ctx, dbgen.InsertOrganizationParams{ID: id.New(id.Organization), Slug: req.OrgSlug, Name: name, BillingEmail: billing}); err != nil {
				return err
			}
			res.Created = true
		}
		res.OrganizationID = org.ID
		if _, err := q.UpsertMembership(ctx, dbgen.UpsertMembershipParams{ID: id.New(id.Membership), UserID: u.ID, OrganizationID: org.ID, Role: "owner"}); err != nil {
			return err
		}
		app, err := q.GetAppByName(ctx, dbgen.GetAppByNameParams{OrganizationID: org.ID, Name: req.AppName})
		if missing, err := absent(err); err != nil {
			return err
		} else if missing {
			if app, err = q.InsertApp(ctx, dbgen.InsertAppParams{ID: id.New(id.App), OrganizationID: org.ID, Name: req.AppName, Description: "Created by bootstrap"}); err != nil {
				return err
			}
			res.Created = true
		}
		res.AppID = app.ID
		if res.SessionToken, err = issue(ctx, q, pepper, u.ID, req.SessionTTL, "bootstrap"); err != nil {
			return err
		}
		n, err := q.CountActiveKeys(ctx, dbgen.CountActiveKeysParams{AppID: app.ID, Environment: req.Environment})
		if err != nil {
			return err
		}
		if n > 0 && !req.ForceNewKey {
			return nil
		}
		secret := auth.NewKeySecret(req.Environment)
		k, err := q.InsertAPIKey(ctx, dbgen.InsertAPIKeyParams{
			ID: id.New(id.APIKey), AppID: app.ID, OrganizationID: org.ID, Name: "bootstrap " + req.Environment + " key",
			Description: "Created by bootstrap", Environment: req.Environment,
			KeyHash: auth.HashKey(pepper, secret), KeyHint: secret[len(secret)-4:], Scopes: []string{},
		})
		if err != nil {
			return err
		}
		res.KeyID, res.Secret, res.Created = k.ID, secret, true
		return nil
	})
	return res, err
}

// absent tells "no such row" apart from real errors.
func absent(err error) (bool, error) {
	if err == nil {
		return false, nil
	}
	if pgdb.IsNotFound(err) {
		return true, nil
	}
	return false, err
}
