package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/jackc/pgx/v5"

	"github.com/transcodely/transcodely/pkg/id"
	"github.com/transcodely/transcodely/pkg/keyring"
)

const (
	pgAddr        = "127.0.0.1:5432"
	pgAdminURL    = "postgres://postgres@" + pgAddr + "/postgres?sslmode=disable"
	pgDemoURL     = "postgres://postgres@" + pgAddr + "/transcodely_demo?sslmode=disable"
	minioAddr     = "127.0.0.1:9000"
	minioURL      = "http://" + minioAddr
	minioUser     = "transcodely"
	minioPassword = "transcodely-demo-secret"
	apiAddr       = "127.0.0.1:8080"
	apiURL        = "http://" + apiAddr
	inBucket      = "demo-input"
	outBucket     = "demo-output"
)

// postgres makes sure the machine's PostgreSQL runs and has the demo
// database. With $TRANSCODELY_DATABASE_URL set, that database is used as is.
func (d *demo) postgres(ctx context.Context) error {
	if u := os.Getenv("TRANSCODELY_DATABASE_URL"); u != "" {
		d.dbURL = u
		conn, err := connectRetry(ctx, u, 5*time.Second)
		if err != nil {
			return fmt.Errorf("postgres: $TRANSCODELY_DATABASE_URL does not answer: %w", err)
		}
		fmt.Println("postgres   using $TRANSCODELY_DATABASE_URL")
		return conn.Close(ctx)
	}
	d.dbURL = pgDemoURL
	if !listening(pgAddr) {
		version, err := newestPostgres()
		if err != nil {
			return err
		}
		fmt.Printf("postgres   starting cluster %s/main\n", version)
		// pg_ctlcluster knows the Debian cluster layout (data dir, config,
		// socket) so nothing of it is repeated here.
		if out, err := exec.CommandContext(ctx, "pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start").CombinedOutput(); err != nil {
			return fmt.Errorf("pg_ctlcluster %s main start: %w\n%s", version, err, out)
		}
	}
	conn, err := connectRetry(ctx, pgAdminURL, 30*time.Second)
	if err != nil {
		return fmt.Errorf("postgres on %s: %w", pgAddr, err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'transcodely_demo')").Scan(&exists); err != nil {
		return err
	}
	if !exists {
		if _, err := conn.Exec(ctx, "CREATE DATABASE transcodely_demo"); err != nil {
			return fmt.Errorf("create database transcodely_demo: %w", err)
		}
	}
	fmt.Printf("postgres   ready on %s, database transcodely_demo (created: %v)\n", pgAddr, !exists)
	return nil
}

// connectRetry keeps trying while a just-started server is coming up.
func connectRetry(ctx context.Context, url string, timeout time.Duration) (*pgx.Conn, error) {
	deadline := time.Now().Add(timeout)
	for {
		conn, err := pgx.Connect(ctx, url)
		if err == nil || time.Now().After(deadline) || ctx.Err() != nil {
			return conn, err
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// newestPostgres returns the highest version with a Debian cluster config,
// compared as numbers ("9.6" < "16").
func newestPostgres() (string, error) {
	best, bestV := "", -1.0
	entries, _ := os.ReadDir("/etc/postgresql")
	for _, e := range entries {
		if v, err := strconv.ParseFloat(e.Name(), 64); err == nil && v > bestV {
			best, bestV = e.Name(), v
		}
	}
	if best == "" {
		return "", errors.New("nothing answers on " + pgAddr + " and /etc/postgresql has no cluster (apt-get install -y postgresql, or set TRANSCODELY_DATABASE_URL)")
	}
	return best, nil
}

// minio makes sure MinIO serves the demo buckets.
func (d *demo) minio(ctx context.Context) error {
	env := append(without(os.Environ(), "MINIO_"), "MINIO_ROOT_USER="+minioUser, "MINIO_ROOT_PASSWORD="+minioPassword,
		"MINIO_BROWSER=off", "MINIO_UPDATE=off")
	args := []string{"server", d.path("minio"), "--address", minioAddr, "--console-address", "127.0.0.1:9001"}
	if err := d.ensure(ctx, "minio", minioAddr, minioHealthy, d.tool("minio"), args, env, 30*time.Second); err != nil {
		return err
	}
	client := s3Client()
	for _, b := range []string{inBucket, outBucket} {
		_, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)})
		var owned *types.BucketAlreadyOwnedByYou
		if err != nil && !errors.As(err, &owned) {
			return fmt.Errorf("create bucket %s: %w", b, err)
		}
	}
	fmt.Printf("minio      buckets %s and %s ready\n", inBucket, outBucket)
	return nil
}

// minioHealthy also waits for readiness: S3 calls between live and ready
// are answered "server not initialized".
func minioHealthy(ctx context.Context) bool {
	return httpOK(ctx, "GET", minioURL+"/minio/health/live", "") && httpOK(ctx, "GET", minioURL+"/minio/health/ready", "")
}

func s3Client() *s3.Client {
	return s3.New(s3.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(minioURL), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(minioUser, minioPassword, ""),
	})
}

// secrets loads the server secrets, generating them on the first run: they
// must survive restarts or stored keys and origin credentials stop working.
func (d *demo) secrets(context.Context) error {
	env, err := readEnv(d.path("secrets.env"))
	if err == nil {
		d.env = env
		fmt.Println("secrets    reused .demo/secrets.env")
		return nil
	}
	d.env = map[string]string{
		"TRANSCODELY_SERVICE_TOKEN": id.Random(32),
		"TRANSCODELY_KEY_PEPPER":    id.Random(32),
		"TRANSCODELY_MASTER_KEYS":   keyring.NewKeySpec("demo1"),
	}
	fmt.Println("secrets    generated .demo/secrets.env")
	return writeEnv(d.path("secrets.env"), d.env)
}

// serverEnv is the environment of allinone and its bootstrap command. The
// shell's own TRANSCODELY_* variables are dropped so they cannot point the
// demo server elsewhere.
func (d *demo) serverEnv() []string {
	env := append(without(os.Environ(), "TRANSCODELY_"), "TRANSCODELY_DATABASE_URL="+d.dbURL,
		"TRANSCODELY_LISTEN_ADDR="+apiAddr,
		"TRANSCODELY_ALLOW_NETWORKS=127.0.0.0/8", // MinIO is on loopback, which is refused by default
		"TRANSCODELY_ENCODERS=2", "TRANSCODELY_LOG_FORMAT=json")
	for k, v := range d.env {
		env = append(env, k+"="+v)
	}
	return env
}

func (d *demo) allinone(ctx context.Context) error {
	return d.ensure(ctx, "allinone", apiAddr, apiHealthy, d.tool("allinone"), nil, d.serverEnv(), 30*time.Second)
}

func apiHealthy(ctx context.Context) bool {
	return httpOK(ctx, "POST", apiURL+"/transcodely.v1.HealthService/Check", "{}")
}

// bootstrap gets the organization id and API key. The command is idempotent
// but prints a key only when it mints one, so the key is kept in
// .demo/credentials.env; without that file a new key is minted.
func (d *demo) bootstrap(ctx context.Context) error {
	saved, _ := readEnv(d.path("credentials.env"))
	got, err := d.runBootstrap(ctx)
	if err == nil && got["TRANSCODELY_API_KEY"] == "" && saved["TRANSCODELY_API_KEY"] == "" {
		got, err = d.runBootstrap(ctx, "-new-key")
	}
	if err != nil {
		return err
	}
	if got["TRANSCODELY_API_KEY"] != "" {
		saved = got
		if err := writeEnv(d.path("credentials.env"), got); err != nil {
			return err
		}
		fmt.Println("bootstrap  new API key saved in .demo/credentials.env")
	} else {
		fmt.Println("bootstrap  reused the API key in .demo/credentials.env")
	}
	d.org, d.key = got["TRANSCODELY_ORGANIZATION_ID"], saved["TRANSCODELY_API_KEY"]
	return nil
}

func (d *demo) runBootstrap(ctx context.Context, extra ...string) (map[string]string, error) {
	args := append([]string{"bootstrap", "-format", "env", "-org", "demo", "-app", "demo", "-email", "demo@localhost"}, extra...)
	cmd := exec.CommandContext(ctx, d.tool("allinone"), args...)
	var stdout, stderr bytes.Buffer
	cmd.Env, cmd.Stdout, cmd.Stderr = d.serverEnv(), &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("allinone bootstrap: %w\n%s", err, stderr.Bytes())
	}
	return parseEnv(stdout.Bytes()), nil
}

// readEnv and writeEnv keep KEY=VALUE files that a shell can source too.
func readEnv(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	return parseEnv(b), err
}

func parseEnv(b []byte) map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok {
			m[k] = v
		}
	}
	return m
}

func writeEnv(path string, m map[string]string) error {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(m)) {
		fmt.Fprintf(&b, "%s=%s\n", k, m[k])
	}
	return os.WriteFile(path, []byte(b.String()), 0o600)
}

func without(env []string, prefix string) []string {
	return slices.DeleteFunc(slices.Clone(env), func(kv string) bool { return strings.HasPrefix(kv, prefix) })
}
