package handler

import (
	"context"
	"fmt"
	"net/url"
	"slices"

	"connectrpc.com/connect"

	appv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/appv1"
	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/pkg/id"
	"github.com/transcodely/transcodely/pkg/pagination"
	"github.com/transcodely/transcodely/pkg/rpcerr"
	"github.com/transcodely/transcodely/services/account/internal/store"
	"github.com/transcodely/transcodely/services/account/internal/store/dbgen"
)

// Apps serves transcodely.v1.AppService. An API key sees and changes only
// its own app; creating and archiving apps needs a user (admin or owner).
type Apps struct {
	Store *store.Store
}

// EventCatalog lists the webhook event types an app's default webhook may
// subscribe to ("*" subscribes to all).
var EventCatalog = []string{
	"job.created", "job.probed", "job.awaiting_confirmation", "job.processing", "job.progress",
	"job.completed", "job.partial", "job.failed", "job.canceled", "output.completed", "output.failed", "webhook.test",
}

// defaultEvents are what a webhook without events receives.
var defaultEvents = []string{"job.completed", "job.failed"}

// webhook is an app's default webhook as stored.
type webhook struct {
	url    string
	events []string
	secret string
}

// parseWebhook checks an AppWebhookInput. An empty url clears the webhook
// (and its secret); an empty secret on an update keeps the stored one.
func parseWebhook(in *appv1.AppWebhookInput, current webhook) (webhook, error) {
	if in.GetUrl() == "" {
		if len(in.GetEvents()) > 0 || in.GetSecret() != "" {
			return webhook{}, rpcerr.InvalidField("webhook.url", "is required when events or a secret are set")
		}
		return webhook{events: []string{}}, nil
	}
	u, err := url.Parse(in.GetUrl())
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return webhook{}, rpcerr.InvalidField("webhook.url", "must be an absolute https URL")
	}
	events := in.GetEvents()
	for i, e := range events {
		if e != "*" && !slices.Contains(EventCatalog, e) {
			return webhook{}, rpcerr.InvalidField(fmt.Sprintf("webhook.events[%d]", i), "unknown event type "+e)
		}
	}
	if len(events) == 0 {
		events = defaultEvents
	}
	secret := in.GetSecret()
	if secret == "" {
		secret = current.secret
	}
	return webhook{url: in.GetUrl(), events: events, secret: secret}, nil
}

// Create makes an app in the caller's organization.
func (h *Apps) Create(ctx context.Context, req *connect.Request[appv1.CreateAppRequest]) (*connect.Response[appv1.CreateAppResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	wh, err := parseWebhook(req.Msg.GetWebhook(), webhook{})
	if err != nil {
		return nil, err
	}
	a, err := h.Store.Queries().CreateApp(ctx, dbgen.CreateAppParams{
		ID: id.New(id.App), OrganizationID: p.OrganizationID, Name: req.Msg.GetName(), Description: req.Msg.GetDescription(),
		WebhookUrl: wh.url, WebhookEvents: wh.events, WebhookSecret: wh.secret,
	})
	if err != nil {
		return nil, storeErr(err, "app", "")
	}
	return connect.NewResponse(&appv1.CreateAppResponse{App: appToProto(a)}), nil
}

// Get returns one app of the organization.
func (h *Apps) Get(ctx context.Context, req *connect.Request[appv1.GetAppRequest]) (*connect.Response[appv1.GetAppResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	only, _ := keyScope(p)
	a, err := h.Store.Queries().GetApp(ctx, dbgen.GetAppParams{ID: req.Msg.GetId(), OrganizationID: p.OrganizationID, OnlyID: only})
	if err != nil {
		return nil, storeErr(err, "app", req.Msg.GetId())
	}
	return connect.NewResponse(&appv1.GetAppResponse{App: appToProto(a)}), nil
}

// Update changes an active app's name, description or default webhook.
func (h *Apps) Update(ctx context.Context, req *connect.Request[appv1.UpdateAppRequest]) (*connect.Response[appv1.UpdateAppResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	only, _ := keyScope(p)
	var a dbgen.AccountApp
	err = h.Store.InTx(ctx, func(q *dbgen.Queries) error {
		cur, err := q.GetAppForUpdate(ctx, dbgen.GetAppForUpdateParams{ID: req.Msg.GetId(), OrganizationID: p.OrganizationID, OnlyID: only})
		if err != nil {
			return storeErr(err, "app", req.Msg.GetId())
		}
		if cur.Status != "active" {
			return rpcerr.FailedPrecondition("app " + cur.ID + " is archived and cannot be changed")
		}
		params := dbgen.UpdateAppParams{
			ID: cur.ID, Name: cur.Name, Description: cur.Description,
			WebhookUrl: cur.WebhookUrl, WebhookEvents: cur.WebhookEvents, WebhookSecret: cur.WebhookSecret,
		}
		if req.Msg.Name != nil {
			params.Name = req.Msg.GetName()
		}
		if req.Msg.Description != nil {
			params.Description = req.Msg.GetDescription()
		}
		if req.Msg.GetWebhook() != nil {
			wh, err := parseWebhook(req.Msg.GetWebhook(), webhook{url: cur.WebhookUrl, events: cur.WebhookEvents, secret: cur.WebhookSecret})
			if err != nil {
				return err
			}
			params.WebhookUrl, params.WebhookEvents, params.WebhookSecret = wh.url, wh.events, wh.secret
		}
		a, err = q.UpdateApp(ctx, params)
		return storeErr(err, "app", cur.ID)
	})
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&appv1.UpdateAppResponse{App: appToProto(a)}), nil
}

// List returns the organization's apps (an API key: its own), newest first.
func (h *Apps) List(ctx context.Context, req *connect.Request[appv1.ListAppsRequest]) (*connect.Response[appv1.ListAppsResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	pg, at, after, err := page(req.Msg.GetPagination())
	if err != nil {
		return nil, err
	}
	only, _ := keyScope(p)
	q := h.Store.Queries()
	rows, err := q.ListApps(ctx, dbgen.ListAppsParams{
		OrganizationID: p.OrganizationID, OnlyID: only, IncludeArchived: req.Msg.GetIncludeArchived(),
		CursorCreatedAt: at, CursorID: after, RowLimit: pg.Fetch(), RowOffset: pg.Offset,
	})
	if err != nil {
		return nil, store.Translate(err)
	}
	total, err := q.CountApps(ctx, dbgen.CountAppsParams{OrganizationID: p.OrganizationID, OnlyID: only, IncludeArchived: req.Msg.GetIncludeArchived()})
	if err != nil {
		return nil, store.Translate(err)
	}
	rows, next := pagination.Next(pg, rows, appKey)
	resp := &appv1.ListAppsResponse{Apps: []*appv1.App{}, Pagination: pageResponse(next, total)}
	for _, a := range rows {
		resp.Apps = append(resp.Apps, appToProto(a))
	}
	return connect.NewResponse(resp), nil
}

// Archive archives an app and revokes its keys in one transaction. It is
// idempotent: archiving an archived app returns it unchanged.
func (h *Apps) Archive(ctx context.Context, req *connect.Request[appv1.ArchiveAppRequest]) (*connect.Response[appv1.ArchiveAppResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	var a dbgen.AccountApp
	err = h.Store.InTx(ctx, func(q *dbgen.Queries) error {
		var err error
		a, err = q.GetAppForUpdate(ctx, dbgen.GetAppForUpdateParams{ID: req.Msg.GetId(), OrganizationID: p.OrganizationID})
		if err != nil {
			return storeErr(err, "app", req.Msg.GetId())
		}
		if a.Status != "active" {
			return nil
		}
		if a, err = q.ArchiveApp(ctx, a.ID); err != nil {
			return storeErr(err, "app", req.Msg.GetId())
		}
		_, err = q.RevokeAppKeys(ctx, a.ID)
		return store.Translate(err)
	})
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&appv1.ArchiveAppResponse{App: appToProto(a)}), nil
}
