package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/pkg/id"
	"github.com/transcodely/transcodely/services/account/internal/store"
	"github.com/transcodely/transcodely/services/account/internal/store/dbgen"
)

// DefaultSessionTTL is how long a session token lasts unless told
// otherwise: long enough for a self-hoster's scripts, short enough that a
// forgotten token does not live forever.
const DefaultSessionTTL = 30 * 24 * time.Hour

// issue mints a session token for a user and stores its hash.
func issue(ctx context.Context, q *dbgen.Queries, pepper []byte, userID string, ttl time.Duration, description string) (string, error) {
	if ttl <= 0 {
		ttl = DefaultSessionTTL
	}
	token := auth.NewSessionToken()
	_, err := q.InsertSession(ctx, dbgen.InsertSessionParams{
		ID: id.New(id.Session), UserID: userID, TokenHash: auth.HashKey(pepper, token), Description: description,
		ExpiresAt: pgtype.Timestamptz{Time: time.Now().Add(ttl), Valid: true},
	})
	return token, err
}

// InviteRequest says whom to add to which organization.
type InviteRequest struct {
	Email string
	Name  string
	// Organization is the organization's id or slug.
	Organization string
	// Role is owner, admin, member or viewer.
	Role       string
	SessionTTL time.Duration
}

// InviteResult says what exists now. Role is the membership's role, which
// is the existing one when the user was already a member (invite never
// changes a role: UserService/UpdateRole does, with its owner rules).
type InviteResult struct {
	UserID, MembershipID, OrganizationID, Role string
	UserCreated, MembershipCreated             bool
	SessionToken                               string
}

// Invite creates the user if needed, adds them to the organization with the
// role if they are not a member yet, and issues them a session token.
func Invite(ctx context.Context, s *store.Store, pepper []byte, req InviteRequest) (InviteResult, error) {
	email := strings.ToLower(strings.TrimSpace(req.Email))
	if email == "" || !strings.Contains(email, "@") {
		return InviteResult{}, errors.New("a valid -email is required")
	}
	if !auth.ValidRole(req.Role) {
		return InviteResult{}, fmt.Errorf("role must be one of %s", strings.Join(auth.Roles(), ", "))
	}
	var res InviteResult
	err := s.InTx(ctx, func(q *dbgen.Queries) error {
		res = InviteResult{}
		org, err := findOrganization(ctx, q, req.Organization)
		if err != nil {
			return err
		}
		res.OrganizationID = org.ID
		u, err := q.GetUserByEmail(ctx, email)
		if missing, err := absent(err); err != nil {
			return err
		} else if missing {
			if u, err = q.InsertUser(ctx, dbgen.InsertUserParams{ID: id.New(id.User), Email: email, Name: req.Name}); err != nil {
				return err
			}
			res.UserCreated = true
		}
		res.UserID = u.ID
		m, err := q.InsertMembership(ctx, dbgen.InsertMembershipParams{ID: id.New(id.Membership), UserID: u.ID, OrganizationID: org.ID, Role: req.Role})
		if missing, err := absent(err); err != nil {
			return err
		} else if missing {
			if m, err = q.GetMembership(ctx, dbgen.GetMembershipParams{UserID: u.ID, OrganizationID: org.ID}); err != nil {
				return err
			}
		} else {
			res.MembershipCreated = true
		}
		res.MembershipID, res.Role = m.ID, m.Role
		res.SessionToken, err = issue(ctx, q, pepper, u.ID, req.SessionTTL, "invite")
		return err
	})
	return res, err
}

// IssueSessionToken mints a session token for the user with email, for
// self-hosters who have no login page: whoever can run the account binary
// against the database can act as any user.
func IssueSessionToken(ctx context.Context, s *store.Store, pepper []byte, email string, ttl time.Duration, description string) (userID, token string, err error) {
	err = s.InTx(ctx, func(q *dbgen.Queries) error {
		u, err := q.GetUserByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
		if missing, err := absent(err); err != nil {
			return err
		} else if missing {
			return fmt.Errorf("no user with email %q (invite them first)", email)
		}
		userID = u.ID
		token, err = issue(ctx, q, pepper, u.ID, ttl, description)
		return err
	})
	return userID, token, err
}

// RevokeSessions revokes every session token of the user with email.
func RevokeSessions(ctx context.Context, s *store.Store, email string) (int64, error) {
	u, err := s.Queries().GetUserByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
	if missing, err := absent(err); err != nil {
		return 0, err
	} else if missing {
		return 0, fmt.Errorf("no user with email %q", email)
	}
	return s.Queries().RevokeUserSessions(ctx, u.ID)
}

// SetOrganizationStatus suspends ("suspended") or reinstates ("active") an
// organization by id or slug. A suspended organization's keys and sessions
// get permission_denied.
func SetOrganizationStatus(ctx context.Context, s *store.Store, organization, status string) (string, error) {
	if status != "active" && status != "suspended" {
		return "", errors.New("status must be active or suspended")
	}
	org, err := s.Queries().SetOrganizationStatus(ctx, dbgen.SetOrganizationStatusParams{Ref: organization, Status: status})
	if missing, err := absent(err); err != nil {
		return "", err
	} else if missing {
		return "", fmt.Errorf("no organization %q", organization)
	}
	return org.ID, nil
}

func findOrganization(ctx context.Context, q *dbgen.Queries, ref string) (dbgen.AccountOrganization, error) {
	org, err := q.GetOrganization(ctx, ref)
	if missing, err := absent(err); err != nil {
		return org, err
	} else if !missing {
		return org, nil
	}
	org, err = q.GetOrganizationBySlug(ctx, ref)
	if missing, err := absent(err); err != nil {
		return org, err
	} else if missing {
		return org, fmt.Errorf("no organization %q (give its id or slug)", ref)
	}
	return org, nil
}
