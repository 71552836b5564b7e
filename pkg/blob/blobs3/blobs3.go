// Package blobs3 implements blob.Store on S3-compatible object storage:
// AWS S3, Cloudflare R2, MinIO and Google Cloud Storage's S3 interoperability
// API. It also presigns URLs for workers that hold no credentials and checks
// that a storage configuration can read and write before it is saved.
package blobs3

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	// manager is marked deprecated in favour of feature/s3/transfermanager;
	// it is still maintained, and only Put would change when switching.
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/transcodely/transcodely/pkg/blob"
)

// Upload tuning. Unknown-size bodies are cut into partSize chunks, and at
// most uploadConcurrency+1 chunks are in memory per Put; with S3's limit of
// 10,000 parts that caps an unknown-size object at about 78 GiB.
const (
	partSize          = 8 << 20
	uploadConcurrency = 4
	maxParts          = 10_000
)

// Connection limits. They are short so that validating a configuration
// against a dead endpoint answers in about ten seconds instead of the
// SDK's default of minutes of retrying.
const (
	dialTimeout       = 2 * time.Second
	tlsTimeout        = 5 * time.Second
	headerTimeout     = 60 * time.Second
	retryMaxAttempts  = 3
	retryMaxBackoff   = time.Second
	probeObjectPrefix = ".transcodely-probe-"
)

// Config describes one bucket (and optionally a folder inside it).
type Config struct {
	// Endpoint is the service URL, e.g. "https://<account>.r2.cloudflarestorage.com"
	// or "http://127.0.0.1:9000"; empty means AWS S3.
	Endpoint string
	// Region is the signing region; empty means "us-east-1" ("auto" for R2).
	Region string
	// Bucket is the bucket name.
	Bucket string
	// AccessKeyID and SecretAccessKey are the static credentials.
	AccessKeyID     string
	SecretAccessKey string
	// Prefix is a base folder inside the bucket; every key is stored below it.
	Prefix string
	// UsePathStyle forces path-style addressing (bucket in the path, not the
	// host name). It is always on when Endpoint is set.
	UsePathStyle bool
	// HTTPClient, if set, carries every request, e.g. one whose dialer
	// refuses private addresses. Its timeouts are then the caller's.
	HTTPClient *http.Client
}

// Store is a blob.Store on one S3 bucket. It is safe for concurrent use.
type Store struct {
	client   *s3.Client
	presign  *s3.PresignClient
	bucket   string
	base     string // Prefix plus "/", or ""
	endpoint string // for messages
}

var _ blob.Store = (*Store)(nil)

// New validates cfg and returns a Store. It does not contact the service;
// use CheckRead and CheckWrite for that.
func New(cfg Config) (*Store, error) {
	if cfg.Bucket == "" {
		return nil, errors.New("blobs3: bucket is required")
	}
	if cfg.AccessKeyID == "" || cfg.SecretAccessKey == "" {
		return nil, errors.New("blobs3: access key id and secret access key are required")
	}
	prefix := strings.Trim(cfg.Prefix, "/")
	if err := blob.ValidatePrefix(prefix); err != nil {
		return nil, fmt.Errorf("blobs3: prefix: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	endpoint := fmt.Sprintf("https://s3.%s.amazonaws.com", cfg.Region)
	if cfg.Endpoint != "" {
		u, err := url.Parse(cfg.Endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("blobs3: endpoint %q must be an http:// or https:// URL", cfg.Endpoint)
		}
		endpoint = strings.TrimSuffix(cfg.Endpoint, "/")
	}

	opts := s3.Options{
		Region:      cfg.Region,
		Credentials: credentials.NewStaticCredentialsProvider(cfg.AccessKeyID, cfg.SecretAccessKey, ""),
		// Virtual-host addressing needs wildcard DNS that MinIO and most
		// self-hosted endpoints do not have.
		UsePathStyle: cfg.UsePathStyle || cfg.Endpoint != "",
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = retryMaxAttempts
			o.MaxBackoff = retryMaxBackoff
		}),
		// The SDK's default CRC checksums (aws-chunked trailers) are not
		// understood by every S3-compatible service (GCS, older R2/MinIO),
		// and would be baked into presigned PUT URLs.
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	}
	if cfg.Endpoint != "" {
		opts.BaseEndpoint = aws.String(endpoint)
	}
	if cfg.HTTPClient != nil {
		opts.HTTPClient = cfg.HTTPClient
	} else {
		opts.HTTPClient = awshttp.NewBuildableClient().
			WithDialerOptions(func(d *net.Dialer) { d.Timeout = dialTimeout }).
			WithTransportOptions(func(t *http.Transport) {
				t.TLSHandshakeTimeout = tlsTimeout
				t.ResponseHeaderTimeout = headerTimeout
			})
	}
	client := s3.New(opts)
	s := &Store{
		client:   client,
		presign:  s3.NewPresignClient(client),
		bucket:   cfg.Bucket,
		endpoint: endpoint,
	}
	if prefix != "" {
		s.base = prefix + "/"
	}
	return s, nil
}

// Put implements blob.Store. Bodies larger than one part are sent as a
// multipart upload, so memory use stays bounded whatever the size.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if err := blob.ValidateKey(key); err != nil {
		return err
	}
	if contentType == "" {
		contentType = blob.DefaultContentType
	}
	uploader := manager.NewUploader(s.client, func(u *manager.Uploader) {
		u.PartSize = max(partSize, size/maxParts+1)
		u.Concurrency = uploadConcurrency
	})
	_, err := uploader.Upload(ctx, &s3.PutObjectInput{
		Bucket:      &s.bucket,
		Key:         aws.String(s.base + key),
		Body:        blob.ExpectSize(r, size),
		ContentType: &contentType,
	})
	return s.fail(ctx, "PutObject", s.base+key, err)
}

// Get implements blob.Store.
func (s *Store) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	return s.GetRange(ctx, key, 0, -1)
}

// GetRange implements blob.Store.
func (s *Store) GetRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	if err := blob.ValidateKey(key); err != nil {
		return nil, err
	}
	if offset < 0 || length < -1 {
		return nil, fmt.Errorf("blobs3: invalid range offset=%d length=%d", offset, length)
	}
	if length == 0 {
		// HTTP cannot express an empty range; still report a missing object.
		if _, err := s.Stat(ctx, key); err != nil {
			return nil, err
		}
		return io.NopCloser(strings.NewReader("")), nil
	}
	in := &s3.GetObjectInput{Bucket: &s.bucket, Key: aws.String(s.base + key)}
	if offset > 0 || length > 0 {
		r := fmt.Sprintf("bytes=%d-", offset)
		if length > 0 {
			r += fmt.Sprint(offset + length - 1)
		}
		in.Range = &r
	}
	out, err := s.client.GetObject(ctx, in)
	if err != nil {
		return nil, s.fail(ctx, "GetObject", *in.Key, err)
	}
	return out.Body, nil
}

// Stat implements blob.Store.
func (s *Store) Stat(ctx context.Context, key string) (blob.ObjectInfo, error) {
	if err := blob.ValidateKey(key); err != nil {
		return blob.ObjectInfo{}, err
	}
	out, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &s.bucket, Key: aws.String(s.base + key)})
	if err != nil {
		return blob.ObjectInfo{}, s.fail(ctx, "HeadObject", s.base+key, err)
	}
	return blob.ObjectInfo{
		Key:         key,
		Size:        aws.ToInt64(out.ContentLength),
		ContentType: aws.ToString(out.ContentType),
		ETag:        strings.Trim(aws.ToString(out.ETag), `"`),
		ModTime:     aws.ToTime(out.LastModified),
	}, nil
}

// Delete implements blob.Store.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := blob.ValidateKey(key); err != nil {
		return err
	}
	_, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &s.bucket, Key: aws.String(s.base + key)})
	if err = s.fail(ctx, "DeleteObject", s.base+key, err); errors.Is(err, blob.ErrNotFound) {
		return nil
	}
	return err
}

// DeletePrefix implements blob.Store, deleting up to 1,000 keys per request.
func (s *Store) DeletePrefix(ctx context.Context, prefix string) error {
	if prefix == "" {
		return &blob.Error{Kind: blob.ErrInvalidKey, Msg: "refusing to delete with an empty prefix"}
	}
	if err := blob.ValidatePrefix(prefix); err != nil {
		return err
	}
	pages := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{Bucket: &s.bucket, Prefix: aws.String(s.base + prefix)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return s.fail(ctx, "ListObjectsV2", "", err)
		}
		if err := s.deleteBatch(ctx, page.Contents); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) deleteBatch(ctx context.Context, objs []types.Object) error {
	if len(objs) == 0 {
		return nil
	}
	ids := make([]types.ObjectIdentifier, len(objs))
	for i, o := range objs {
		ids[i] = types.ObjectIdentifier{Key: o.Key}
	}
	out, err := s.client.DeleteObjects(ctx, &s3.DeleteObjectsInput{
		Bucket: &s.bucket,
		Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)},
	})
	if isCode(err, "NotImplemented", "MethodNotAllowed") {
		// GCS's S3 interop has no multi-object delete.
		for _, o := range objs {
			_, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &s.bucket, Key: o.Key})
			if err = s.fail(ctx, "DeleteObject", *o.Key, err); err != nil && !errors.Is(err, blob.ErrNotFound) {
				return err
			}
		}
		return nil
	}
	if err != nil {
		return s.fail(ctx, "DeleteObjects", "", err)
	}
	for _, e := range out.Errors {
		if aws.ToString(e.Code) != "NoSuchKey" {
			return fmt.Errorf("blobs3: delete %q: %s: %s", aws.ToString(e.Key), aws.ToString(e.Code), aws.ToString(e.Message))
		}
	}
	return nil
}

// List implements blob.Store.
func (s *Store) List(ctx context.Context, prefix string) ([]blob.ObjectInfo, error) {
	if err := blob.ValidatePrefix(prefix); err != nil {
		return nil, err
	}
	var infos []blob.ObjectInfo
	pages := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{Bucket: &s.bucket, Prefix: aws.String(s.base + prefix)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, s.fail(ctx, "ListObjectsV2", "", err)
		}
		for _, o := range page.Contents {
			infos = append(infos, blob.ObjectInfo{
				Key:     strings.TrimPrefix(aws.ToString(o.Key), s.base),
				Size:    aws.ToInt64(o.Size),
				ETag:    strings.Trim(aws.ToString(o.ETag), `"`),
				ModTime: aws.ToTime(o.LastModified),
			})
		}
	}
	slices.SortFunc(infos, func(a, b blob.ObjectInfo) int { return strings.Compare(a.Key, b.Key) })
	return infos, nil
}

// PresignGet returns a URL that downloads key with a plain GET until ttl
// has passed. The URL is a credential: do not log it.
func (s *Store) PresignGet(ctx context.Context, key string, ttl time.Duration) (string, error) {
	if err := blob.ValidateKey(key); err != nil {
		return "", err
	}
	req, err := s.presign.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: &s.bucket, Key: aws.String(s.base + key)}, s3.WithPresignExpires(ttl))
	if err != nil {
		return "", fmt.Errorf("blobs3: presign GET %q: %w", key, err)
	}
	return req.URL, nil
}

// PresignPut returns a URL that uploads key with a plain PUT (see
// blob.PutURL) until ttl has passed. The URL is a credential: do not log it.
func (s *Store) PresignPut(ctx context.Context, key string, ttl time.Duration) (string, error) {
	if err := blob.ValidateKey(key); err != nil {
		return "", err
	}
	req, err := s.presign.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: &s.bucket, Key: aws.String(s.base + key)}, s3.WithPresignExpires(ttl))
	if err != nil {
		return "", fmt.Errorf("blobs3: presign PUT %q: %w", key, err)
	}
	return req.URL, nil
}

// CheckRead verifies that the endpoint answers, the bucket exists and the
// credentials may list below Prefix.
func (s *Store) CheckRead(ctx context.Context) error {
	_, err := s.client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: &s.bucket, Prefix: &s.base, MaxKeys: aws.Int32(1)})
	return s.fail(ctx, "ListObjectsV2", "", err)
}

// CheckWrite verifies that the credentials may write and delete below
// Prefix by storing and removing a small probe object.
func (s *Store) CheckWrite(ctx context.Context) error {
	var nonce [8]byte
	_, _ = rand.Read(nonce[:])
	key := s.base + probeObjectPrefix + hex.EncodeToString(nonce[:])
	_, err := s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:      &s.bucket,
		Key:         &key,
		Body:        bytes.NewReader([]byte("transcodely write check\n")),
		ContentType: aws.String("text/plain"),
	})
	if err != nil {
		return s.fail(ctx, "PutObject", key, err)
	}
	_, err = s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &s.bucket, Key: &key})
	return s.fail(ctx, "DeleteObject", key, err)
}

// fail is the single place where S3 errors become blob errors; key is the
// full object key, or "" for bucket-level operations. It returns nil for nil.
func (s *Store) fail(ctx context.Context, op, key string, err error) error {
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return fmt.Errorf("blobs3: %s %q: %w", op, key, err) // the caller gave up
	}
	if kind, msg := s.classify(op, key, err); kind != nil || msg != "" {
		return &blob.Error{Kind: kind, Msg: msg, Err: err}
	}
	if nerr := blob.NetworkError(s.endpoint, err); nerr != nil {
		return nerr
	}
	return fmt.Errorf("blobs3: %s %q: %w", op, key, err)
}

func (s *Store) classify(op, key string, err error) (kind error, msg string) {
	code := errorCode(err)
	var status interface{ HTTPStatusCode() int }
	generic404 := code == "NotFound" || code == "" && errors.As(err, &status) && status.HTTPStatusCode() == http.StatusNotFound
	if key == "" && generic404 {
		// A bucket-level 404 without NoSuchBucket: not an S3 endpoint, or
		// one that hides which part is wrong.
		return blob.ErrNoBucket, fmt.Sprintf("bucket %q not found at %s (HTTP 404); check the endpoint URL and the bucket name", s.bucket, s.endpoint)
	}
	switch code {
	case "NoSuchKey", "NotFound":
		return blob.ErrNotFound, fmt.Sprintf("object %q not found in bucket %q", key, s.bucket)
	case "NoSuchBucket":
		return blob.ErrNoBucket, fmt.Sprintf("bucket %q does not exist at %s", s.bucket, s.endpoint)
	case "InvalidBucketName":
		return blob.ErrNoBucket, fmt.Sprintf("bucket name %q is not valid", s.bucket)
	case "SignatureDoesNotMatch":
		return blob.ErrAccessDenied, "access denied: the secret key or access key id is wrong (SignatureDoesNotMatch)"
	case "InvalidAccessKeyId":
		return blob.ErrAccessDenied, "access denied: the access key id is not known to the server (InvalidAccessKeyId)"
	case "AccessDenied":
		return blob.ErrAccessDenied, fmt.Sprintf("access denied: the credentials lack permission for %s on bucket %q (AccessDenied)", op, s.bucket)
	case "RequestTimeTooSkewed":
		return blob.ErrAccessDenied, "access denied: this machine's clock is too far from the server's; synchronize it (RequestTimeTooSkewed)"
	case "ExpiredToken", "InvalidToken":
		return blob.ErrAccessDenied, fmt.Sprintf("access denied: the credentials have expired or are invalid (%s)", code)
	case "AuthorizationHeaderMalformed":
		return blob.ErrAccessDenied, "access denied: the region is wrong for this endpoint or bucket (AuthorizationHeaderMalformed)"
	case "PermanentRedirect":
		return nil, fmt.Sprintf("bucket %q is in another region than the configured one (PermanentRedirect)", s.bucket)
	case "InvalidRange":
		return nil, fmt.Sprintf("range starts past the end of object %q", key)
	}
	if errors.As(err, &status) {
		switch status.HTTPStatusCode() {
		case http.StatusNotFound:
			return blob.ErrNotFound, fmt.Sprintf("object %q not found in bucket %q", key, s.bucket)
		case http.StatusForbidden, http.StatusUnauthorized:
			return blob.ErrAccessDenied, fmt.Sprintf("access denied: the credentials are wrong or lack permission for %s on bucket %q (HTTP %d)", op, s.bucket, status.HTTPStatusCode())
		}
	}
	return nil, ""
}

// errorCode returns the S3 error code of err, or "".
func errorCode(err error) string {
	var apiErr interface{ ErrorCode() string }
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

func isCode(err error, codes ...string) bool {
	return err != nil && slices.Contains(codes, errorCode(err))
}
