// Package healthcheck implements transcodely.v1.HealthService and the gRPC
// health protocol from one list of dependency checks: a service is serving
// only when every dependency (the database, the queue) answers.
package healthcheck

import (
	"context"
	"time"

	"connectrpc.com/connect"
	"connectrpc.com/grpchealth"
	"google.golang.org/protobuf/types/known/timestamppb"

	healthv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/healthv1"
)

// Check is one dependency check.
type Check struct {
	Name string
	Func func(ctx context.Context) error
}

// Service answers health checks by running every check.
type Service struct {
	Version string
	Checks  []Check
	// Services are the fully-qualified service names this process serves.
	Services []string
}

// timeout bounds one round of checks so a hung database makes the probe
// fail rather than hang.
const timeout = 3 * time.Second

// Check implements transcodely.v1.HealthService/Check.
func (s *Service) Check(ctx context.Context, req *connect.Request[healthv1.HealthCheckRequest]) (*connect.Response[healthv1.HealthCheckResponse], error) {
	resp := &healthv1.HealthCheckResponse{Version: s.Version, CheckedAt: timestamppb.Now(), Status: healthv1.ServingStatus_SERVING_STATUS_SERVING}
	if name := req.Msg.GetService(); name != "" && !s.serves(name) {
		return nil, connect.NewError(connect.CodeNotFound, errUnknownService(name))
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for _, c := range s.Checks {
		start := time.Now()
		err := c.Func(ctx)
		comp := &healthv1.HealthComponent{
			Name:      c.Name,
			Status:    healthv1.ServingStatus_SERVING_STATUS_SERVING,
			LatencyMs: float64(time.Since(start).Microseconds()) / 1000,
		}
		if err != nil {
			comp.Status = healthv1.ServingStatus_SERVING_STATUS_NOT_SERVING
			// The message names the dependency, not its address or credentials.
			comp.Message = c.Name + " is not reachable"
			resp.Status = healthv1.ServingStatus_SERVING_STATUS_NOT_SERVING
		}
		resp.Components = append(resp.Components, comp)
	}
	return connect.NewResponse(resp), nil
}

func (s *Service) serves(name string) bool {
	for _, n := range s.Services {
		if n == name {
			return true
		}
	}
	return false
}

type errUnknownService string

func (e errUnknownService) Error() string { return "unknown service " + string(e) }

// GRPCChecker adapts the checks to grpc.health.v1.
func (s *Service) GRPCChecker() grpchealth.Checker { return grpcChecker{s} }

type grpcChecker struct{ s *Service }

func (g grpcChecker) Check(ctx context.Context, req *grpchealth.CheckRequest) (*grpchealth.CheckResponse, error) {
	if req.Service != "" && !g.s.serves(req.Service) {
		return nil, connect.NewError(connect.CodeNotFound, errUnknownService(req.Service))
	}
	resp, err := g.s.Check(ctx, connect.NewRequest(&healthv1.HealthCheckRequest{}))
	if err != nil {
		return nil, err
	}
	if resp.Msg.Status != healthv1.ServingStatus_SERVING_STATUS_SERVING {
		return &grpchealth.CheckResponse{Status: grpchealth.StatusNotServing}, nil
	}
	return &grpchealth.CheckResponse{Status: grpchealth.StatusServing}, nil
}
