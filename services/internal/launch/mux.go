package launch

import (
	"net/http"

	"connectrpc.com/connect"

	"github.com/transcodely/transcodely/gen/go/transcodely/v1/healthv1/healthv1connect"
	"github.com/transcodely/transcodely/pkg/rpcserve"
	"github.com/transcodely/transcodely/services/internal/healthcheck"
	"github.com/transcodely/transcodely/services/internal/rpcwire"
)

// Version is the build version reported by health checks; set with
// -ldflags "-X .../launch.Version=v1.2.3".
var Version = "dev"

// Mounter is implemented by every service app.
type Mounter interface {
	Mount(mux *http.ServeMux, opts ...connect.HandlerOption)
}

// NewHandler builds the full HTTP handler of a process: the apps' handlers
// with the shared options, transcodely.v1.HealthService, gRPC health and
// reflection, wrapped in the middleware that shapes plain-HTTP error bodies.
func NewHandler(deps rpcwire.Deps, services []string, checks []healthcheck.Check, apps ...Mounter) http.Handler {
	mux := rpcserve.NewMux()
	opts := rpcwire.HandlerOptions(deps)
	for _, a := range apps {
		a.Mount(mux, opts...)
	}
	services = append([]string{healthv1connect.HealthServiceName}, services...)
	health := &healthcheck.Service{Version: Version, Checks: checks, Services: services}
	mux.Handle(healthv1connect.NewHealthServiceHandler(health, opts...))
	rpcserve.MountStandard(mux, services, health.GRPCChecker())
	return rpcwire.Handler(mux)
}
