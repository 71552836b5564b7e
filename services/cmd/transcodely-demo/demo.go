package main

import (
	"context"
	"fmt"

	"github.com/transcodely/transcodely/services/internal/devstack"
)

const (
	dbName    = "transcodely_demo"
	apiAddr   = "127.0.0.1:8080"
	apiURL    = "http://" + apiAddr
	inBucket  = "demo-input"
	outBucket = "demo-output"
	sampleKey = "samples/sample.mp4"
)

// minioSrv is the demo's object storage; the password is not a secret, the
// server listens on loopback only.
var minioSrv = devstack.MinIO{Addr: "127.0.0.1:9000", Console: "127.0.0.1:9001", User: "transcodely", Password: "transcodely-demo-secret"}

// demo is the state of one invocation: where things live and what earlier
// steps learned.
type demo struct {
	*devstack.Stack
	dbURL string            // the database allinone uses
	env   map[string]string // server secrets
	acct  devstack.Account
}

func newDemo() (*demo, error) {
	s, err := devstack.New(".demo")
	if err != nil {
		return nil, err
	}
	return &demo{Stack: s}, nil
}

// postgres makes sure the machine's PostgreSQL runs and has the demo
// database. With $TRANSCODELY_DATABASE_URL set, that database is used as is.
func (d *demo) postgres(ctx context.Context) (err error) {
	d.dbURL, err = d.Postgres(ctx, dbName, false)
	return err
}

// minio makes sure MinIO serves the demo buckets.
func (d *demo) minio(ctx context.Context) error {
	if err := d.Ensure(ctx, d.MinIOServer(minioSrv, "minio")); err != nil {
		return err
	}
	if err := minioSrv.CreateBuckets(ctx, inBucket, outBucket); err != nil {
		return err
	}
	d.Step("minio", "buckets %s and %s ready", inBucket, outBucket)
	return nil
}

func (d *demo) secrets(context.Context) (err error) {
	d.env, err = d.Secrets()
	return err
}

// serverEnv is the environment of allinone and its bootstrap command. The
// shell's own TRANSCODELY_* variables are dropped so they cannot point the
// demo server elsewhere.
func (d *demo) serverEnv() []string {
	env := map[string]string{
		"TRANSCODELY_DATABASE_URL":   d.dbURL,
		"TRANSCODELY_LISTEN_ADDR":    apiAddr,
		"TRANSCODELY_ALLOW_NETWORKS": "127.0.0.0/8", // MinIO is on loopback, which is refused by default
		"TRANSCODELY_ENCODERS":       "2",
		"TRANSCODELY_LOG_FORMAT":     "json",
	}
	for k, v := range d.env {
		env[k] = v
	}
	return devstack.Environ(env, "TRANSCODELY_")
}

func (d *demo) allinone(ctx context.Context) error {
	return d.Ensure(ctx, devstack.Server{Name: "allinone", Bin: d.Binary("allinone"), Env: d.serverEnv(),
		Addr: apiAddr, Healthy: devstack.APIHealthy(apiURL)})
}

// bootstrap gets the organization id and API key.
func (d *demo) bootstrap(ctx context.Context) (err error) {
	d.acct, err = d.Bootstrap(ctx, d.Binary("allinone"), d.serverEnv(), "demo")
	return err
}

// sample generates .demo/sample.mp4 once (10 s, 720p25 test pattern with a
// 440 Hz stereo tone) and uploads it to demo-input on every run.
func (d *demo) sample(ctx context.Context) error {
	local, err := d.GenerateClip(ctx, "sample.mp4", devstack.Clip{Width: 1280, Height: 720, FPS: 25, Seconds: 10, Preset: "veryfast"})
	if err != nil {
		return err
	}
	size, err := minioSrv.Upload(ctx, local, inBucket, sampleKey, "video/mp4")
	if err != nil {
		return fmt.Errorf("upload sample: %w", err)
	}
	d.Step("sample", "uploaded to s3://%s/%s (%s)", inBucket, sampleKey, devstack.HumanSize(size))
	return nil
}

// status prints what runs; it changes nothing.
func (d *demo) status(ctx context.Context) error {
	for _, s := range []struct {
		name, addr string
		up         bool
	}{
		{"postgres", devstack.PostgresAddr, devstack.Listening(devstack.PostgresAddr)},
		{"minio", minioSrv.Addr, minioSrv.Healthy(ctx)},
		{"allinone", apiAddr, devstack.APIHealthy(apiURL)(ctx)},
	} {
		state := "not running"
		if s.up {
			state = "running on " + s.addr
		}
		if pid, ok := d.RunningPID(s.name); ok {
			state += fmt.Sprintf(" (pid %d)", pid)
		}
		d.Step(s.name, "%s", state)
	}
	return nil
}
