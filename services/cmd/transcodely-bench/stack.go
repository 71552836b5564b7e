package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/transcodely/transcodely/gen/go/transcodely/v1/jobv1/jobv1connect"
	originv1 "github.com/transcodely/transcodely/gen/go/transcodely/v1/originv1"
	"github.com/transcodely/transcodely/gen/go/transcodely/v1/originv1/originv1connect"
	"github.com/transcodely/transcodely/services/internal/devstack"
)

const (
	dbName    = "transcodely_bench"
	inBucket  = "bench-input"
	outBucket = "bench-output"
	outBase   = "jobs" // the output origin's base path
)

// dbServices are the database-backed binaries, in start order; the encoder
// comes last.
var dbServices = []string{"account", "origin", "preset", "job", "webhook"}

// bench is the state of one invocation.
type bench struct {
	*devstack.Stack
	opts    options
	minio   devstack.MinIO
	minioP  *devstack.Process
	dbURL   string
	secrets map[string]string
	acct    devstack.Account
	// running are the service processes of the current cluster (see
	// startCluster), by binary name.
	running map[string]*devstack.Process
	addrs   map[string]string
	jobs    jobv1connect.JobServiceClient
	in, out string // origin ids
}

func newBench(o options) (*bench, error) {
	s, err := devstack.New(".bench")
	if err != nil {
		return nil, err
	}
	return &bench{Stack: s, opts: o}, nil
}

// infra starts what the services need and what outlives a cluster: the
// database (fresh), MinIO (its own, on free ports, data in .bench/minio),
// the secrets, the schema and the API key.
func (b *bench) infra(ctx context.Context) error {
	var err error
	if b.dbURL, err = b.Postgres(ctx, dbName, true); err != nil {
		return err
	}
	api, err := devstack.FreeAddr()
	if err != nil {
		return err
	}
	console, err := devstack.FreeAddr()
	if err != nil {
		return err
	}
	b.minio = devstack.MinIO{Addr: api, Console: console, User: "transcodely", Password: "transcodely-bench-secret"}
	if b.minioP, err = b.Start(ctx, b.MinIOServer(b.minio, "minio")); err != nil {
		return err
	}
	if err := b.minio.CreateBuckets(ctx, inBucket, outBucket); err != nil {
		return err
	}
	if b.secrets, err = b.Secrets(); err != nil {
		return err
	}
	for _, name := range dbServices {
		cmd := exec.CommandContext(ctx, b.Binary(name), "migrate")
		cmd.Env = devstack.Environ(map[string]string{"TRANSCODELY_DATABASE_URL": b.dbURL}, "TRANSCODELY_")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%s migrate: %w\n%s", name, err, out)
		}
	}
	b.Step("postgres", "migrated %s", dbName)
	b.acct, err = b.Bootstrap(ctx, b.Binary("account"), b.env("account"), "bench")
	return err
}

// env is the environment of one binary: the shared settings, the peers'
// addresses, and only the secrets its configuration asks for (as in
// docker-compose.yml). Everything else is the binaries' defaults, so the
// timings are those of a default installation; the encoder leases one task
// at a time.
func (b *bench) env(name string) []string {
	e := map[string]string{
		"TRANSCODELY_SERVICE_TOKEN": b.secrets["TRANSCODELY_SERVICE_TOKEN"],
		"TRANSCODELY_LOG_FORMAT":    "json",
		"TRANSCODELY_LISTEN_ADDR":   b.addrs[name],
	}
	for _, peer := range dbServices {
		if b.addrs[peer] != "" {
			e["TRANSCODELY_"+strings.ToUpper(peer)+"_URL"] = "http://" + b.addrs[peer]
		}
	}
	if name != "encoder" {
		e["TRANSCODELY_DATABASE_URL"] = b.dbURL
	}
	switch name {
	case "account":
		e["TRANSCODELY_KEY_PEPPER"] = b.secrets["TRANSCODELY_KEY_PEPPER"]
	case "origin", "webhook":
		e["TRANSCODELY_MASTER_KEYS"] = b.secrets["TRANSCODELY_MASTER_KEYS"]
	case "encoder":
		e["TRANSCODELY_ENCODER_CONCURRENCY"] = "1"
		e["TRANSCODELY_SCRATCH_DIR"] = b.Path("scratch")
		e["TRANSCODELY_WORKER_ID"] = "bench-encoder"
	}
	if name != "account" && name != "preset" {
		e["TRANSCODELY_ALLOW_NETWORKS"] = "127.0.0.0/8" // MinIO is on loopback, which is refused by default
	}
	return devstack.Environ(e, "TRANSCODELY_")
}

// startCluster starts the six binaries on free ports, so that their peak
// RSS covers only what follows, and the origins (reused after the first
// cluster).
func (b *bench) startCluster(ctx context.Context) error {
	b.running, b.addrs = map[string]*devstack.Process{}, map[string]string{}
	names := append(append([]string{}, dbServices...), "encoder")
	for _, name := range names {
		addr, err := devstack.FreeAddr()
		if err != nil {
			return err
		}
		b.addrs[name] = addr
	}
	// The encoder does not create its scratch folder: an operator's volume.
	if err := os.MkdirAll(b.Path("scratch"), 0o700); err != nil {
		return err
	}
	for _, name := range names {
		p, err := b.Start(ctx, devstack.Server{Name: name, Bin: b.Binary(name), Env: b.env(name),
			Addr: b.addrs[name], Healthy: devstack.APIHealthy("http://" + b.addrs[name])})
		if err != nil {
			return err
		}
		b.running[name] = p
	}
	httpc := b.acct.HTTPClient()
	b.jobs = jobv1connect.NewJobServiceClient(httpc, "http://"+b.addrs["job"])
	origins := originv1connect.NewOriginServiceClient(httpc, "http://"+b.addrs["origin"])
	var err error
	if b.in, err = b.EnsureOrigin(ctx, origins, b.minio, inBucket, "", originv1.OriginPermission_ORIGIN_PERMISSION_READ); err != nil {
		return err
	}
	b.out, err = b.EnsureOrigin(ctx, origins, b.minio, outBucket, outBase, originv1.OriginPermission_ORIGIN_PERMISSION_WRITE)
	return err
}

// finishCluster reads the peak RSS of the job service and of the encoder
// process (ffmpeg, its child, is not counted) after jobs jobs on src, and
// stops the cluster.
func (b *bench) finishCluster(src source, jobs int, fastest time.Duration) (rssRow, error) {
	row := rssRow{src: src, jobs: jobs, jobSeconds: fastest}
	var err error
	for _, p := range []*devstack.Process{b.running["job"], b.running["encoder"]} {
		if p.Exited() {
			return row, fmt.Errorf("%s exited during the run (log: %s)", p.Name, p.Log)
		}
	}
	if row.job, err = b.running["job"].PeakRSS(); err != nil {
		return row, err
	}
	if row.encoder, err = b.running["encoder"].PeakRSS(); err != nil {
		return row, err
	}
	return row, b.stopCluster()
}

// clusterCPU is the CPU time the service processes (and the encoder's
// finished ffmpeg runs) have used so far.
func (b *bench) clusterCPU() (time.Duration, error) {
	var total time.Duration
	for _, p := range b.running {
		d, err := p.CPUTime()
		if err != nil {
			return 0, fmt.Errorf("%s: %w", p.Name, err)
		}
		total += d
	}
	return total, nil
}

// stopCluster stops the binaries, the encoder first (it holds leases).
func (b *bench) stopCluster() error {
	var errs []error
	for _, name := range []string{"encoder", "webhook", "job", "preset", "origin", "account"} {
		if p := b.running[name]; p != nil {
			errs = append(errs, p.Stop())
			delete(b.running, name)
		}
	}
	return errors.Join(errs...)
}

// cleanup stops everything still running and, without -keep, removes the
// outputs. It runs however the bench ends.
func (b *bench) cleanup() {
	if err := b.stopCluster(); err != nil {
		fmt.Fprintln(os.Stderr, "stopping the services:", err)
	}
	if b.minioP != nil {
		if !b.opts.keep {
			if store, err := b.minio.Store(outBucket); err == nil {
				_ = store.DeletePrefix(context.Background(), outBase+"/")
			}
		}
		if err := b.minioP.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "stopping MinIO:", err)
		}
	}
	if !b.opts.keep {
		_ = os.RemoveAll(filepath.Join(b.Dir, "work"))
		_ = os.RemoveAll(b.Path("scratch"))
	}
}
