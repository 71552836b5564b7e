package devstack

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/transcodely/transcodely/pkg/blob/blobs3"
)

// MinIO is an S3 server on this machine with a root user.
type MinIO struct {
	// Addr is the S3 API's host:port; Console the web console's.
	Addr, Console  string
	User, Password string
}

// URL is the S3 endpoint.
func (m MinIO) URL() string { return "http://" + m.Addr }

// Healthy also waits for readiness: S3 calls between live and ready are
// answered "server not initialized".
func (m MinIO) Healthy(ctx context.Context) bool {
	return HTTPOK(ctx, "GET", m.URL()+"/minio/health/live", "") && HTTPOK(ctx, "GET", m.URL()+"/minio/health/ready", "")
}

// S3 is a client for the root user.
func (m MinIO) S3() *s3.Client {
	return s3.New(s3.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(m.URL()), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(m.User, m.Password, ""),
	})
}

// Store is bucket as a blob store.
func (m MinIO) Store(bucket string) (*blobs3.Store, error) {
	return blobs3.New(blobs3.Config{Endpoint: m.URL(), Region: "us-east-1", Bucket: bucket,
		AccessKeyID: m.User, SecretAccessKey: m.Password})
}

// MinIOServer is MinIO as a Server keeping its data in <state>/<dataDir>.
func (s *Stack) MinIOServer(m MinIO, dataDir string) Server {
	env := Environ(map[string]string{"MINIO_ROOT_USER": m.User, "MINIO_ROOT_PASSWORD": m.Password,
		"MINIO_BROWSER": "off", "MINIO_UPDATE": "off"}, "MINIO_")
	return Server{Name: "minio", Bin: filepath.Join(s.Tools, "minio"), Env: env, Addr: m.Addr, Healthy: m.Healthy,
		Args: []string{"server", s.Path(dataDir), "--address", m.Addr, "--console-address", m.Console}}
}

// CreateBuckets creates the buckets that do not exist yet.
func (m MinIO) CreateBuckets(ctx context.Context, buckets ...string) error {
	client := m.S3()
	for _, b := range buckets {
		_, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)})
		var owned *types.BucketAlreadyOwnedByYou
		if err != nil && !errors.As(err, &owned) {
			return fmt.Errorf("create bucket %s: %w", b, err)
		}
	}
	return nil
}

// Upload copies a local file to bucket/key and returns its size.
func (m MinIO) Upload(ctx context.Context, local, bucket, key, contentType string) (int64, error) {
	store, err := m.Store(bucket)
	if err != nil {
		return 0, err
	}
	f, err := os.Open(local)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if err := store.Put(ctx, key, f, fi.Size(), contentType); err != nil {
		return 0, fmt.Errorf("upload %s to s3://%s/%s: %w", local, bucket, key, err)
	}
	return fi.Size(), nil
}

// SplitURL splits "s3://bucket/key" into bucket and key.
func SplitURL(url string) (bucket, key string, err error) {
	rest, ok := strings.CutPrefix(url, "s3://")
	bucket, key, _ = strings.Cut(rest, "/")
	if !ok || bucket == "" || key == "" {
		return "", "", fmt.Errorf("%q is not an s3://bucket/key URL", url)
	}
	return bucket, key, nil
}
