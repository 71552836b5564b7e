// Package handler translates WebhookService and the internal EventService
// between protobuf and the webhook store: endpoints with sealed secrets,
// published events fanned out into deliveries, and the delivery log.
package handler

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"time"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5/pgtype"

	commonv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/commonv1"
	webhookv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/webhookv1"
	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/pkg/id"
	"github.com/transcodely/transcodely/pkg/netguard"
	"github.com/transcodely/transcodely/pkg/pagination"
	"github.com/transcodely/transcodely/pkg/rpcerr"
	"github.com/transcodely/transcodely/services/internal/rpcwire"
	"github.com/transcodely/transcodely/services/webhook/internal/catalog"
	"github.com/transcodely/transcodely/services/webhook/internal/secret"
	"github.com/transcodely/transcodely/services/webhook/internal/store"
	"github.com/transcodely/transcodely/services/webhook/internal/store/dbgen"
)

// Webhooks serves transcodely.v1.WebhookService and
// transcodely.internal.v1.EventService.
type Webhooks struct {
	Store   *store.Store
	Secrets *secret.Keeper
	Policy  netguard.Policy
}

// checkURL accepts https:// URLs whose every address passes the outbound
// policy. Plain http:// is accepted only when every address of the host
// lies in a network the operator allowed (TRANSCODELY_ALLOW_NETWORKS, e.g.
// a receiver on 127.0.0.1 in development and tests): on the public
// internet the signed body, metadata included, would travel in the clear.
func checkURL(ctx context.Context, policy netguard.Policy, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return rpcerr.InvalidField("url", "must be an https:// URL")
	}
	if u.User != nil {
		return rpcerr.InvalidField("url", "must not carry credentials; authenticate deliveries with the signature")
	}
	if err := policy.CheckURL(ctx, raw, u.Scheme); err != nil {
		return rpcerr.InvalidField("url", err.Error())
	}
	if u.Scheme == "http" && !allowedHost(ctx, policy, u.Hostname()) {
		return rpcerr.InvalidField("url", "must be an https:// URL (http:// is accepted only for hosts in TRANSCODELY_ALLOW_NETWORKS)")
	}
	return nil
}

// allowedHost reports whether every address of host is inside one of the
// policy's allowed networks.
func allowedHost(ctx context.Context, policy netguard.Policy, host string) bool {
	addrs := []netip.Addr{}
	if ip, err := netip.ParseAddr(host); err == nil {
		addrs = append(addrs, ip)
	} else {
		var r netguard.Resolver = net.DefaultResolver
		if policy.Resolver != nil {
			r = policy.Resolver
		}
		if addrs, err = r.LookupNetIP(ctx, "ip", host); err != nil || len(addrs) == 0 {
			return false
		}
	}
	for _, a := range addrs {
		a = a.WithZone("").Unmap()
		inside := false
		for _, p := range policy.Allow {
			inside = inside || p.Contains(a)
		}
		if !inside {
			return false
		}
	}
	return true
}

// checkEvents refuses types outside the catalog (Update's list is not
// constrained by protovalidate, so this is the one check for it).
func checkEvents(events []string) error {
	for i, e := range events {
		if !catalog.Known(e) {
			return rpcerr.InvalidField(fmt.Sprintf("events[%d]", i), fmt.Sprintf("%q is not an event type; see the catalog in the API reference, or use \"*\"", e))
		}
	}
	return nil
}

// Create registers an endpoint and returns its secret, this once.
func (h *Webhooks) Create(ctx context.Context, req *connect.Request[webhookv1.CreateWebhookRequest]) (*connect.Response[webhookv1.CreateWebhookResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	m := req.Msg
	if err := checkURL(ctx, h.Policy, m.GetUrl()); err != nil {
		return nil, err
	}
	if err := checkEvents(m.GetEvents()); err != nil {
		return nil, err
	}
	wid := id.New(id.Webhook)
	sec := secret.New()
	kid, sealed := h.Secrets.Seal(wid, sec)
	row, err := h.Store.InsertEndpoint(ctx, dbgen.InsertEndpointParams{
		ID: wid, AppID: p.AppID, Environment: p.Environment, Url: m.GetUrl(), Events: catalog.Normalize(m.GetEvents()),
		Description: m.GetDescription(), Status: "enabled", SecretCipher: sealed, SecretKeyID: kid,
	})
	if err != nil {
		return nil, store.Translate(err)
	}
	return connect.NewResponse(&webhookv1.CreateWebhookResponse{Webhook: toProto(row), Secret: sec}), nil
}

func (h *Webhooks) notFound(err error, webhookID string) error {
	if errors.Is(store.Translate(err), store.ErrNotFound) {
		return rpcerr.NotFound("webhook", webhookID)
	}
	return store.Translate(err)
}

// Get returns one endpoint of the caller's app.
func (h *Webhooks) Get(ctx context.Context, req *connect.Request[webhookv1.GetWebhookRequest]) (*connect.Response[webhookv1.GetWebhookResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	row, err := h.Store.GetEndpoint(ctx, dbgen.GetEndpointParams{ID: req.Msg.GetId(), AppID: p.AppID, Environment: p.Environment})
	if err != nil {
		return nil, h.notFound(err, req.Msg.GetId())
	}
	return connect.NewResponse(&webhookv1.GetWebhookResponse{Webhook: toProto(row)}), nil
}

// List returns the app's endpoints, newest first.
func (h *Webhooks) List(ctx context.Context, req *connect.Request[webhookv1.ListWebhooksRequest]) (*connect.Response[webhookv1.ListWebhooksResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	pg := req.Msg.GetPagination()
	page, err := pagination.Parse(pg.GetLimit(), pg.GetCursor(), pg.GetOffset())
	if err != nil {
		return nil, rpcerr.InvalidField("pagination.cursor", err.Error())
	}
	params := dbgen.ListEndpointsParams{AppID: p.AppID, Environment: p.Environment, RowLimit: page.Fetch(), RowOffset: page.Offset}
	if page.After {
		params.CursorCreatedAt = pgtype.Timestamptz{Time: page.CreatedAt, Valid: true}
		params.CursorID = page.ID
	}
	rows, err := h.Store.ListEndpoints(ctx, params)
	if err != nil {
		return nil, store.Translate(err)
	}
	rows, next := pagination.Next(page, rows, func(r dbgen.WebhookEndpoint) (time.Time, string) { return r.CreatedAt.Time, r.ID })
	resp := &webhookv1.ListWebhooksResponse{Webhooks: []*webhookv1.Webhook{}, Pagination: &commonv1.PaginationResponse{NextCursor: next}}
	for _, r := range rows {
		resp.Webhooks = append(resp.Webhooks, toProto(r))
	}
	return connect.NewResponse(resp), nil
}

// Update changes what is set: url, events (a non-empty list replaces the
// subscription), description, status; rotate_secret makes a new secret,
// returned this once, and the old one stops signing at once.
func (h *Webhooks) Update(ctx context.Context, req *connect.Request[webhookv1.UpdateWebhookRequest]) (*connect.Response[webhookv1.UpdateWebhookResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	m := req.Msg
	if m.Url != nil {
		if err := checkURL(ctx, h.Policy, m.GetUrl()); err != nil {
			return nil, err
		}
	}
	if err := checkEvents(m.GetEvents()); err != nil {
		return nil, err
	}
	var row dbgen.WebhookEndpoint
	var sec string
	err = h.Store.InTx(ctx, func(q *dbgen.Queries) error {
		cur, err := q.LockEndpoint(ctx, dbgen.LockEndpointParams{ID: m.GetId(), AppID: p.AppID, Environment: p.Environment})
		if err != nil {
			return h.notFound(err, m.GetId())
		}
		params := dbgen.UpdateEndpointParams{ID: cur.ID, Url: cur.Url, Events: cur.Events, Description: cur.Description,
			Status: cur.Status, SecretCipher: cur.SecretCipher, SecretKeyID: cur.SecretKeyID}
		if m.Url != nil {
			params.Url = m.GetUrl()
		}
		if len(m.GetEvents()) > 0 {
			params.Events = catalog.Normalize(m.GetEvents())
		}
		if m.Description != nil {
			params.Description = m.GetDescription()
		}
		if m.GetStatus() != webhookv1.WebhookStatus_WEBHOOK_STATUS_UNSPECIFIED {
			params.Status = rpcwire.EnumString(m.GetStatus())
		}
		if m.GetRotateSecret() {
			sec = secret.New()
			params.SecretKeyID, params.SecretCipher = h.Secrets.Seal(cur.ID, sec)
		}
		if row, err = q.UpdateEndpoint(ctx, params); err != nil {
			return err
		}
		if row.Status == "disabled" && cur.Status != "disabled" {
			return q.CancelEndpointDeliveries(ctx, row.ID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&webhookv1.UpdateWebhookResponse{Webhook: toProto(row), Secret: sec}), nil
}

// Delete removes an endpoint; its pending deliveries are canceled, its
// delivery log stays visible in ListEvents.
func (h *Webhooks) Delete(ctx context.Context, req *connect.Request[webhookv1.DeleteWebhookRequest]) (*connect.Response[webhookv1.DeleteWebhookResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	err = h.Store.InTx(ctx, func(q *dbgen.Queries) error {
		n, err := q.DeleteEndpoint(ctx, dbgen.DeleteEndpointParams{ID: req.Msg.GetId(), AppID: p.AppID, Environment: p.Environment})
		if err != nil {
			return err
		}
		if n == 0 {
			return rpcerr.NotFound("webhook", req.Msg.GetId())
		}
		return q.CancelEndpointDeliveries(ctx, req.Msg.GetId())
	})
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&webhookv1.DeleteWebhookResponse{}), nil
}

func toProto(r dbgen.WebhookEndpoint) *webhookv1.Webhook {
	w := &webhookv1.Webhook{
		Id: r.ID, AppId: r.AppID, Url: r.Url, Events: append([]string{}, r.Events...), Description: r.Description,
		CreatedAt: rpcwire.Timestamp(r.CreatedAt), UpdatedAt: rpcwire.Timestamp(r.UpdatedAt),
	}
	if n, ok := rpcwire.EnumNumber(webhookv1.WebhookStatus(0).Descriptor(), r.Status); ok {
		w.Status = webhookv1.WebhookStatus(n)
	}
	return w
}
