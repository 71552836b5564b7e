package handler

import (
	"context"
	"fmt"
	"time"

	"connectrpc.com/connect"
	"github.com/jackc/pgx/v5/pgtype"
	"google.golang.org/protobuf/proto"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1"
	commonv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/commonv1"
	webhookv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/webhookv1"
	"github.com/transcodely/transcodely/pkg/auth"
	"github.com/transcodely/transcodely/pkg/id"
	"github.com/transcodely/transcodely/pkg/pagination"
	"github.com/transcodely/transcodely/pkg/rpcerr"
	"github.com/transcodely/transcodely/pkg/wirejson"
	"github.com/transcodely/transcodely/services/internal/rpcwire"
	"github.com/transcodely/transcodely/services/webhook/internal/catalog"
	"github.com/transcodely/transcodely/services/webhook/internal/store"
	"github.com/transcodely/transcodely/services/webhook/internal/store/dbgen"
)

// Publish stores a batch of events and their deliveries in one
// transaction and answers only after it committed. Events seen before are
// skipped, which makes a re-sent batch harmless.
func (h *Webhooks) Publish(ctx context.Context, req *connect.Request[internalv1.PublishRequest]) (*connect.Response[internalv1.PublishResponse], error) {
	for i, ev := range req.Msg.GetEvents() {
		if !id.HasPrefix(ev.GetId(), id.Event) || ev.GetType() == "" || ev.GetAppId() == "" || ev.GetEnvironment() == "" {
			return nil, rpcerr.InvalidField(fmt.Sprintf("events[%d]", i), "id (evt_…), type, app_id and environment are required")
		}
	}
	var stored int32
	err := h.Store.InTx(ctx, func(q *dbgen.Queries) error {
		// Endpoints are read once per app and environment per batch.
		type scope struct{ app, env string }
		endpoints := map[scope][]dbgen.EnabledEndpointsRow{}
		deliveries := 0
		for _, ev := range req.Msg.GetEvents() {
			envelope := &webhookv1.WebhookEvent{Id: ev.GetId(), Type: ev.GetType(), CreatedAt: ev.GetCreatedAt(), AppId: ev.GetAppId(), Data: ev.GetData()}
			if envelope.Data == nil {
				envelope.Data = &webhookv1.WebhookEventData{}
			}
			bin, err := proto.Marshal(envelope)
			if err != nil {
				return err
			}
			body, err := wirejson.Marshal(envelope)
			if err != nil {
				return err
			}
			n, err := q.InsertEvent(ctx, dbgen.InsertEventParams{
				ID: ev.GetId(), OrganizationID: ev.GetOrganizationId(), AppID: ev.GetAppId(), Environment: ev.GetEnvironment(),
				Type: ev.GetType(), JobID: ev.GetJobId(), OutputID: ev.GetOutputId(), Envelope: bin, Body: body,
				CreatedAt: pgtype.Timestamptz{Time: ev.GetCreatedAt().AsTime(), Valid: ev.GetCreatedAt() != nil},
			})
			if err != nil {
				return err
			}
			if n == 0 {
				continue // published before; its deliveries exist already
			}
			stored++
			s := scope{ev.GetAppId(), ev.GetEnvironment()}
			eps, ok := endpoints[s]
			if !ok {
				if eps, err = q.EnabledEndpoints(ctx, dbgen.EnabledEndpointsParams{AppID: s.app, Environment: s.env}); err != nil {
					return err
				}
				endpoints[s] = eps
			}
			for _, ep := range eps {
				if !catalog.Matches(ep.Events, ev.GetType()) {
					continue
				}
				if err := q.InsertDelivery(ctx, dbgen.InsertDeliveryParams{EventID: ev.GetId(), EndpointID: ep.ID, Url: ep.Url}); err != nil {
					return err
				}
				deliveries++
			}
			// The job's own webhook_url gets every event of its job.
			if ev.GetWebhookUrl() != "" {
				if err := q.InsertDelivery(ctx, dbgen.InsertDeliveryParams{EventID: ev.GetId(), EndpointID: "", Url: ev.GetWebhookUrl()}); err != nil {
					return err
				}
				deliveries++
			}
		}
		if deliveries == 0 {
			return nil
		}
		return q.NotifyDeliveries(ctx)
	})
	if err != nil {
		return nil, err
	}
	return connect.NewResponse(&internalv1.PublishResponse{Stored: stored}), nil
}

// ListEvents returns the app's events, newest first, each with every
// delivery attempt made for it.
func (h *Webhooks) ListEvents(ctx context.Context, req *connect.Request[webhookv1.ListWebhookEventsRequest]) (*connect.Response[webhookv1.ListWebhookEventsResponse], error) {
	p, err := auth.MustFromContext(ctx)
	if err != nil {
		return nil, err
	}
	m := req.Msg
	if m.GetType() != "" && !catalog.Known(m.GetType()) || m.GetType() == catalog.All {
		return nil, rpcerr.InvalidField("type", fmt.Sprintf("%q is not an event type", m.GetType()))
	}
	pg := m.GetPagination()
	page, err := pagination.Parse(pg.GetLimit(), pg.GetCursor(), pg.GetOffset())
	if err != nil {
		return nil, rpcerr.InvalidField("pagination.cursor", err.Error())
	}
	params := dbgen.ListEventsParams{AppID: p.AppID, Environment: p.Environment, Type: m.GetType(), JobID: m.GetJobId(), RowLimit: page.Fetch(), RowOffset: page.Offset}
	if page.After {
		params.CursorCreatedAt = pgtype.Timestamptz{Time: page.CreatedAt, Valid: true}
		params.CursorID = page.ID
	}
	rows, err := h.Store.ListEvents(ctx, params)
	if err != nil {
		return nil, store.Translate(err)
	}
	rows, next := pagination.Next(page, rows, func(r dbgen.ListEventsRow) (time.Time, string) { return r.CreatedAt.Time, r.ID })
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	dels, err := h.Store.ListDeliveries(ctx, ids)
	if err != nil {
		return nil, store.Translate(err)
	}
	atts, err := h.Store.ListAttempts(ctx, ids)
	if err != nil {
		return nil, store.Translate(err)
	}
	byDelivery := map[int64][]dbgen.WebhookAttempt{}
	for _, a := range atts {
		byDelivery[a.DeliveryID] = append(byDelivery[a.DeliveryID], a)
	}
	byEvent := map[string][]dbgen.ListDeliveriesRow{}
	for _, d := range dels {
		byEvent[d.EventID] = append(byEvent[d.EventID], d)
	}
	resp := &webhookv1.ListWebhookEventsResponse{Events: []*webhookv1.WebhookEventRecord{}, Pagination: &commonv1.PaginationResponse{NextCursor: next}}
	for _, r := range rows {
		ev := &webhookv1.WebhookEvent{}
		if err := proto.Unmarshal(r.Envelope, ev); err != nil {
			return nil, fmt.Errorf("event %s: %w", r.ID, err)
		}
		rec := &webhookv1.WebhookEventRecord{Event: ev, Deliveries: []*webhookv1.WebhookDelivery{}}
		rec.DeliveryStatus = deliveryStatus(byEvent[r.ID])
		for _, d := range byEvent[r.ID] {
			for _, a := range byDelivery[d.ID] {
				rec.Deliveries = append(rec.Deliveries, &webhookv1.WebhookDelivery{
					WebhookId: d.EndpointID, Url: a.Url, Attempt: a.Attempt, StatusCode: a.StatusCode, LatencyMs: a.LatencyMs,
					Error: a.Error, ResponseBody: a.ResponseBody, Success: a.Success,
					AttemptedAt: rpcwire.Timestamp(a.AttemptedAt), NextRetryAt: rpcwire.Timestamp(a.NextRetryAt),
				})
			}
		}
		resp.Events = append(resp.Events, rec)
	}
	return connect.NewResponse(resp), nil
}

// deliveryStatus summarizes an event's deliveries: "pending" while any
// may still be attempted, else "failed" if any gave up, else "delivered"
// (which includes an event no endpoint subscribed to, or whose endpoints
// were disabled or deleted before it went out: nothing is left to do).
func deliveryStatus(ds []dbgen.ListDeliveriesRow) string {
	status := "delivered"
	for _, d := range ds {
		switch d.Status {
		case "pending":
			return "pending"
		case "failed":
			status = "failed"
		}
	}
	return status
}
