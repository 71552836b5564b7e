package handler

import (
	"context"
	"errors"

	"connectrpc.com/connect"

	organizationv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/organizationv1"
	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/pkg/id"
	"github.com/transcodely/transcodely/pkg/pagination"
	"github.com/transcodely/transcodely/pkg/rpcerr"
	"github.com/transcodely/transcodely/services/account/internal/slug"
	"github.com/transcodely/transcodely/services/account/internal/store"
	"github.com/transcodely/transcodely/services/account/internal/store/dbgen"
)

// Organizations serves transcodely.v1.OrganizationService. Who may call
// what is settled by the permission table before a method runs; the
// methods scope every read to the caller's organization.
type Organizations struct {
	Store *store.Store
}

// CheckSlug tells whether a slug is free, and if not, why.
func (h *Organizations) CheckSlug(ctx context.Context, req *connect.Request[organizationv1.CheckSlugRequest]) (*connect.Response[organizationv1.CheckSlugResponse], error) {
	s := req.Msg.GetSlug()
	resp := &organizationv1.CheckSlugResponse{Slug: s}
	if problem := slug.Problem(s); problem != "" {
		resp.Reason = problem
		return connect.NewResponse(resp), nil
	}
	taken, err := h.Store.Queries().SlugTaken(ctx, s)
	if err != nil {
		return nil, store.Translate(err)
	}
	if taken {
		resp.Reason = "the slug is taken"
	} else {
		resp.Available = true
	}
	return connect.NewResponse(resp), nil
}

// Create makes an organization with the calling user as its owner.
func (h *Organizations) Create(ctx context.Context, req *connect.Request[organizationv1.CreateOrganizationRequest]) (*connect.Response[organizationv1.CreateOrganizationResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	if problem := slug.Problem(req.Msg.GetSlug()); problem != "" {
		return nil, rpcerr.InvalidField("slug", problem)
	}
	var org dbgen.AccountOrganization
	err = h.Store.InTx(ctx, func(q *dbgen.Queries) error {
		var err error
		org, err = q.InsertOrganization(ctx, dbgen.InsertOrganizationParams{
			ID: id.New(id.Organization), Slug: req.Msg.GetSlug(), Name: req.Msg.GetName(), BillingEmail: req.Msg.GetBillingEmail(),
		})
		if err != nil {
			return store.Translate(err)
		}
		_, err = q.InsertMembership(ctx, dbgen.InsertMembershipParams{ID: id.New(id.Membership), UserID: p.UserID, OrganizationID: org.ID, Role: auth.RoleOwner})
		return store.Translate(err)
	})
	if errors.Is(err, store.ErrConflict) {
		return nil, rpcerr.AlreadyExists("the slug " + req.Msg.GetSlug() + " is taken")
	}
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&organizationv1.CreateOrganizationResponse{Organization: orgToProto(org)}), nil
}

// own checks that id is the organization the call is scoped to: another
// organization is reported as not found, whatever the caller belongs to,
// so ids of other tenants reveal nothing.
func own(ctx context.Context, orgID string) (auth.Principal, error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return p, err
	}
	if orgID != p.OrganizationID {
		return p, rpcerr.NotFound("organization", orgID)
	}
	return p, nil
}

// Get returns the organization named by X-Organization-ID.
func (h *Organizations) Get(ctx context.Context, req *connect.Request[organizationv1.GetOrganizationRequest]) (*connect.Response[organizationv1.GetOrganizationResponse], error) {
	if _, err := own(ctx, req.Msg.GetId()); err != nil {
		return nil, err
	}
	org, err := h.Store.Queries().GetOrganization(ctx, req.Msg.GetId())
	if err != nil {
		return nil, storeErr(err, "organization", req.Msg.GetId())
	}
	return connect.NewResponse(&organizationv1.GetOrganizationResponse{Organization: orgToProto(org)}), nil
}

// Update changes the name or billing email (owners only, by the table).
func (h *Organizations) Update(ctx context.Context, req *connect.Request[organizationv1.UpdateOrganizationRequest]) (*connect.Response[organizationv1.UpdateOrganizationResponse], error) {
	if _, err := own(ctx, req.Msg.GetId()); err != nil {
		return nil, err
	}
	org, err := h.Store.Queries().UpdateOrganization(ctx, dbgen.UpdateOrganizationParams{ID: req.Msg.GetId(), Name: req.Msg.Name, BillingEmail: req.Msg.BillingEmail})
	if err != nil {
		return nil, storeErr(err, "organization", req.Msg.GetId())
	}
	return connect.NewResponse(&organizationv1.UpdateOrganizationResponse{Organization: orgToProto(org)}), nil
}

// List returns the organizations the calling user belongs to (for an API
// key: its own), newest first.
func (h *Organizations) List(ctx context.Context, req *connect.Request[organizationv1.ListOrganizationsRequest]) (*connect.Response[organizationv1.ListOrganizationsResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	pg, at, after, err := page(req.Msg.GetPagination())
	if err != nil {
		return nil, err
	}
	var rows []dbgen.AccountOrganization
	var total int64
	q := h.Store.Queries()
	if p.IsAPIKey() {
		rows, err = q.ListOrganizationsByID(ctx, dbgen.ListOrganizationsByIDParams{ID: p.OrganizationID, CursorCreatedAt: at, CursorID: after, RowLimit: pg.Fetch(), RowOffset: pg.Offset})
		total = 1
	} else {
		rows, err = q.ListUserOrganizations(ctx, dbgen.ListUserOrganizationsParams{UserID: p.UserID, CursorCreatedAt: at, CursorID: after, RowLimit: pg.Fetch(), RowOffset: pg.Offset})
		if err == nil {
			total, err = q.CountUserOrganizations(ctx, p.UserID)
		}
	}
	if err != nil {
		return nil, store.Translate(err)
	}
	rows, next := pagination.Next(pg, rows, orgKey)
	resp := &organizationv1.ListOrganizationsResponse{Organizations: []*organizationv1.Organization{}, Pagination: pageResponse(next, total)}
	for _, o := range rows {
		resp.Organizations = append(resp.Organizations, orgToProto(o))
	}
	return connect.NewResponse(resp), nil
}
