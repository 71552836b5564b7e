package handler

import (
	"context"
	"errors"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/transcodely/transcodely/gen/go/transcodely/internalrpc/v1/internalv1"
	"github.com/transcodely/transcodely/pkg/rpcerr"
	"github.com/transcodely/transcodely/services/job/internal/engine"
	"github.com/transcodely/transcodely/services/job/internal/store"
)

// Tasks serves transcodely.internal.v1.TaskService to encoder workers.
type Tasks struct {
	Engine *engine.Engine
	// Poll is how often a waiting Lease looks for work.
	Poll time.Duration
}

// maxWait caps a long poll below common proxy idle timeouts.
const maxWait = 30 * time.Second

var kindNames = map[internalv1.TaskKind]string{
	internalv1.TaskKind_TASK_KIND_PROBE:     engine.KindProbe,
	internalv1.TaskKind_TASK_KIND_ENCODE:    engine.KindEncode,
	internalv1.TaskKind_TASK_KIND_THUMBNAIL: engine.KindThumbnail,
	internalv1.TaskKind_TASK_KIND_SEGMENT:   engine.KindSegment,
	internalv1.TaskKind_TASK_KIND_AUDIO:     engine.KindAudio,
	internalv1.TaskKind_TASK_KIND_PACKAGE:   engine.KindPackage,
}

// Lease long-polls for a task.
func (h *Tasks) Lease(ctx context.Context, req *connect.Request[internalv1.LeaseRequest]) (*connect.Response[internalv1.LeaseResponse], error) {
	if req.Msg.GetWorkerId() == "" {
		return nil, rpcerr.InvalidField("worker_id", "required")
	}
	var kinds []string
	for _, k := range req.Msg.GetKinds() {
		if n, ok := kindNames[k]; ok {
			kinds = append(kinds, n)
		}
	}
	if len(kinds) == 0 {
		for _, n := range kindNames {
			kinds = append(kinds, n)
		}
	}
	wait := min(time.Duration(req.Msg.GetWaitSeconds())*time.Second, maxWait)
	deadline := time.Now().Add(wait)
	for {
		ready := h.Engine.WorkReady()
		t, err := h.Engine.Lease(ctx, req.Msg.GetWorkerId(), kinds)
		if err != nil {
			return nil, err
		}
		if t != nil || time.Now().After(deadline) {
			return connect.NewResponse(&internalv1.LeaseResponse{Task: t}), nil
		}
		select {
		case <-ctx.Done():
			return connect.NewResponse(&internalv1.LeaseResponse{}), nil
		case <-time.After(h.Poll):
		case <-ready:
		}
	}
}

// Heartbeat extends a lease and tells the worker whether to stop.
func (h *Tasks) Heartbeat(ctx context.Context, req *connect.Request[internalv1.HeartbeatRequest]) (*connect.Response[internalv1.HeartbeatResponse], error) {
	cancel, expires, err := h.Engine.Heartbeat(ctx, req.Msg.GetTaskId(), req.Msg.GetLeaseToken(), req.Msg.GetProgress())
	if err != nil {
		return nil, err
	}
	resp := &internalv1.HeartbeatResponse{Cancel: cancel}
	if !expires.IsZero() {
		resp.LeaseExpiresAt = timestamppb.New(expires)
	}
	return connect.NewResponse(resp), nil
}

// Complete records a task's result.
func (h *Tasks) Complete(ctx context.Context, req *connect.Request[internalv1.CompleteRequest]) (*connect.Response[internalv1.CompleteResponse], error) {
	m := req.Msg
	var err error
	switch r := m.GetResult().(type) {
	case *internalv1.CompleteRequest_Probe:
		err = h.Engine.CompleteProbe(ctx, m.GetTaskId(), m.GetLeaseToken(), r.Probe, m.GetElapsedSeconds())
	case *internalv1.CompleteRequest_Encode:
		err = h.Engine.CompleteEncode(ctx, m.GetTaskId(), m.GetLeaseToken(), r.Encode, m.GetElapsedSeconds())
	case *internalv1.CompleteRequest_Thumbnail:
		err = h.Engine.CompleteThumbnail(ctx, m.GetTaskId(), m.GetLeaseToken(), r.Thumbnail, m.GetElapsedSeconds())
	case *internalv1.CompleteRequest_Segment:
		err = h.Engine.CompleteSegment(ctx, m.GetTaskId(), m.GetLeaseToken(), r.Segment, m.GetElapsedSeconds())
	case *internalv1.CompleteRequest_Audio:
		err = h.Engine.CompleteAudio(ctx, m.GetTaskId(), m.GetLeaseToken(), r.Audio, m.GetElapsedSeconds())
	case *internalv1.CompleteRequest_Package:
		err = h.Engine.CompletePackage(ctx, m.GetTaskId(), m.GetLeaseToken(), r.Package, m.GetElapsedSeconds())
	default:
		return nil, rpcerr.InvalidField("result", "a probe, encode, thumbnail, segment, audio or package result is required")
	}
	if err != nil {
		return nil, notFoundAsLost(err)
	}
	h.Engine.Queued()
	return connect.NewResponse(&internalv1.CompleteResponse{}), nil
}

// Fail records a failed attempt.
func (h *Tasks) Fail(ctx context.Context, req *connect.Request[internalv1.FailRequest]) (*connect.Response[internalv1.FailResponse], error) {
	m := req.Msg
	if err := h.Engine.Fail(ctx, m.GetTaskId(), m.GetLeaseToken(), m.GetErrorCode(), m.GetErrorMessage(), m.GetRetryable()); err != nil {
		return nil, notFoundAsLost(err)
	}
	h.Engine.Queued()
	return connect.NewResponse(&internalv1.FailResponse{}), nil
}

// PresignUploads mints upload URLs for a package task's files.
func (h *Tasks) PresignUploads(ctx context.Context, req *connect.Request[internalv1.PresignUploadsRequest]) (*connect.Response[internalv1.PresignUploadsResponse], error) {
	m := req.Msg
	urls, err := h.Engine.PresignUploads(ctx, m.GetTaskId(), m.GetLeaseToken(), m.GetNames())
	if err != nil {
		return nil, notFoundAsLost(err)
	}
	return connect.NewResponse(&internalv1.PresignUploadsResponse{Urls: urls}), nil
}

// notFoundAsLost reports an unknown task as a lost lease.
func notFoundAsLost(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return rpcerr.FailedPrecondition("unknown task or lease")
	}
	return err
}
