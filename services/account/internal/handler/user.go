package handler

import (
	"context"
	"time"

	"connectrpc.com/connect"

	userv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/userv1"
	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/pkg/pagination"
	"github.com/transcodely/transcodely/services/account/internal/membership"
	"github.com/transcodely/transcodely/services/account/internal/store"
	"github.com/transcodely/transcodely/services/account/internal/store/dbgen"
)

// Users serves transcodely.v1.UserService. Only user sessions reach it
// (the permission table refuses API keys, which act as an app, not a
// person); users of other organizations are invisible.
type Users struct {
	Store *store.Store
}

// GetMe returns the calling user and every membership they have.
func (h *Users) GetMe(ctx context.Context, _ *connect.Request[userv1.GetMeRequest]) (*connect.Response[userv1.GetMeResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	q := h.Store.Queries()
	u, err := q.GetUser(ctx, p.UserID)
	if err != nil {
		return nil, storeErr(err, "user", p.UserID)
	}
	ms, err := q.ListUserMemberships(ctx, u.ID)
	if err != nil {
		return nil, store.Translate(err)
	}
	me := userToProto(u)
	resp := &userv1.GetMeResponse{User: me, Memberships: []*userv1.Membership{}}
	for _, m := range ms {
		resp.Memberships = append(resp.Memberships, membershipToProto(m, me))
	}
	return connect.NewResponse(resp), nil
}

// Get returns a user of the caller's organization.
func (h *Users) Get(ctx context.Context, req *connect.Request[userv1.GetUserRequest]) (*connect.Response[userv1.GetUserResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	u, err := h.Store.Queries().GetOrganizationUser(ctx, dbgen.GetOrganizationUserParams{ID: req.Msg.GetId(), OrganizationID: p.OrganizationID})
	if err != nil {
		return nil, storeErr(err, "user", req.Msg.GetId())
	}
	return connect.NewResponse(&userv1.GetUserResponse{User: userToProto(u)}), nil
}

// UpdateMe changes the calling user's name.
func (h *Users) UpdateMe(ctx context.Context, req *connect.Request[userv1.UpdateMeRequest]) (*connect.Response[userv1.UpdateMeResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	u, err := h.Store.Queries().UpdateUserName(ctx, dbgen.UpdateUserNameParams{ID: p.UserID, Name: req.Msg.Name})
	if err != nil {
		return nil, storeErr(err, "user", p.UserID)
	}
	return connect.NewResponse(&userv1.UpdateMeResponse{User: userToProto(u)}), nil
}

// List returns the organization's users, newest first.
func (h *Users) List(ctx context.Context, req *connect.Request[userv1.ListUsersRequest]) (*connect.Response[userv1.ListUsersResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	pg, at, after, err := page(req.Msg.GetPagination())
	if err != nil {
		return nil, err
	}
	q := h.Store.Queries()
	rows, err := q.ListOrganizationUsers(ctx, dbgen.ListOrganizationUsersParams{OrganizationID: p.OrganizationID, CursorCreatedAt: at, CursorID: after, RowLimit: pg.Fetch(), RowOffset: pg.Offset})
	if err != nil {
		return nil, store.Translate(err)
	}
	total, err := q.CountMembers(ctx, p.OrganizationID)
	if err != nil {
		return nil, store.Translate(err)
	}
	rows, next := pagination.Next(pg, rows, userKey)
	resp := &userv1.ListUsersResponse{Users: []*userv1.User{}, Pagination: pageResponse(next, total)}
	for _, u := range rows {
		resp.Users = append(resp.Users, userToProto(u))
	}
	return connect.NewResponse(resp), nil
}

// ListMembers returns the organization's memberships with their users,
// newest first.
func (h *Users) ListMembers(ctx context.Context, req *connect.Request[userv1.ListMembersRequest]) (*connect.Response[userv1.ListMembersResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	pg, at, after, err := page(req.Msg.GetPagination())
	if err != nil {
		return nil, err
	}
	q := h.Store.Queries()
	rows, err := q.ListMembers(ctx, dbgen.ListMembersParams{OrganizationID: p.OrganizationID, CursorCreatedAt: at, CursorID: after, RowLimit: pg.Fetch(), RowOffset: pg.Offset})
	if err != nil {
		return nil, store.Translate(err)
	}
	total, err := q.CountMembers(ctx, p.OrganizationID)
	if err != nil {
		return nil, store.Translate(err)
	}
	rows, next := pagination.Next(pg, rows, func(r dbgen.ListMembersRow) (time.Time, string) { return r.CreatedAt.Time, r.ID })
	resp := &userv1.ListMembersResponse{Members: []*userv1.Membership{}, Pagination: pageResponse(next, total)}
	for _, r := range rows {
		m := dbgen.AccountMembership{ID: r.ID, UserID: r.UserID, OrganizationID: r.OrganizationID, Role: r.Role, CreatedAt: r.CreatedAt}
		u := userToProto(dbgen.AccountUser{ID: r.UserID, Email: r.UserEmail, Name: r.UserName, CreatedAt: r.UserCreatedAt})
		resp.Members = append(resp.Members, membershipToProto(m, u))
	}
	return connect.NewResponse(resp), nil
}

// UpdateRole changes a member's role. Admins manage admins, members and
// viewers; only an owner makes or unmakes an owner; the last owner stays.
func (h *Users) UpdateRole(ctx context.Context, req *connect.Request[userv1.UpdateRoleRequest]) (*connect.Response[userv1.UpdateRoleResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	next := roleString(req.Msg.GetRole())
	var m dbgen.AccountMembership
	var u dbgen.AccountUser
	err = h.Store.InTx(ctx, func(q *dbgen.Queries) error {
		cur, owners, err := lockMembership(ctx, q, p.OrganizationID, req.Msg.GetMembershipId())
		if err != nil {
			return err
		}
		if err := membership.CheckRoleChange(p.Role, cur.Role, next, owners); err != nil {
			return storeErr(err, "membership", cur.ID)
		}
		if m, err = q.SetMembershipRole(ctx, dbgen.SetMembershipRoleParams{ID: cur.ID, Role: next}); err != nil {
			return storeErr(err, "membership", cur.ID)
		}
		u, err = q.GetUser(ctx, m.UserID)
		return storeErr(err, "user", m.UserID)
	})
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&userv1.UpdateRoleResponse{Membership: membershipToProto(m, userToProto(u))}), nil
}

// RemoveMember removes a membership (not the user, who may belong to other
// organizations). The removed user's sessions stop working for this
// organization within rpcwire.VerifyCacheTTL.
func (h *Users) RemoveMember(ctx context.Context, req *connect.Request[userv1.RemoveMemberRequest]) (*connect.Response[userv1.RemoveMemberResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	err = h.Store.InTx(ctx, func(q *dbgen.Queries) error {
		cur, owners, err := lockMembership(ctx, q, p.OrganizationID, req.Msg.GetMembershipId())
		if err != nil {
			return err
		}
		if err := membership.CheckRemoval(p.Role, cur.Role, owners); err != nil {
			return storeErr(err, "membership", cur.ID)
		}
		return storeErr(q.DeleteMembership(ctx, cur.ID), "membership", cur.ID)
	})
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&userv1.RemoveMemberResponse{}), nil
}

// lockMembership locks the organization (so concurrent role changes are
// serialized and the owner count stays true until commit) and returns the
// membership and how many owners the organization has.
func lockMembership(ctx context.Context, q *dbgen.Queries, orgID, membershipID string) (dbgen.AccountMembership, int, error) {
	if _, err := q.LockOrganization(ctx, orgID); err != nil {
		return dbgen.AccountMembership{}, 0, storeErr(err, "organization", orgID)
	}
	m, err := q.GetMembershipForUpdate(ctx, dbgen.GetMembershipForUpdateParams{ID: membershipID, OrganizationID: orgID})
	if err != nil {
		return m, 0, storeErr(err, "membership", membershipID)
	}
	owners, err := q.CountOwners(ctx, orgID)
	if err != nil {
		return m, 0, store.Translate(err)
	}
	return m, int(owners), nil
}
