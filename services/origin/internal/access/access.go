// Package access turns an origin's settings and credentials into a storage
// client and proves they work by touching the store: listing for read,
// writing and deleting a probe object for write. Every outbound connection
// goes through the netguard policy.
package access

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/transcodely/transcodely/pkg/blob"
	"github.com/transcodely/transcodely/pkg/blob/blobs3"
	"github.com/transcodely/transcodely/pkg/netguard"
)

// Settings are an origin's non-secret provider settings.
type Settings struct {
	Bucket      string   `json:"bucket,omitempty"`
	Region      string   `json:"region,omitempty"`
	Endpoint    string   `json:"endpoint,omitempty"`
	AccountID   string   `json:"account_id,omitempty"`
	BaseURL     string   `json:"base_url,omitempty"`
	HeaderNames []string `json:"header_names,omitempty"`
}

// Credentials are an origin's secrets; they exist in the clear only in
// memory of the process that uses them.
type Credentials struct {
	AccessKeyID     string            `json:"access_key_id,omitempty"`
	SecretAccessKey string            `json:"secret_access_key,omitempty"`
	Headers         map[string]string `json:"headers,omitempty"`
}

// Target is everything needed to reach a bucket.
type Target struct {
	Provider string
	Settings Settings
	Creds    Credentials
	BasePath string
}

// S3Endpoint returns the S3 API endpoint and signing region of a provider:
// R2 and GCS are reached through their S3-compatible APIs.
func S3Endpoint(provider string, s Settings) (endpoint, region string) {
	switch provider {
	case "r2":
		if s.Endpoint != "" {
			return s.Endpoint, "auto"
		}
		return "https://" + s.AccountID + ".r2.cloudflarestorage.com", "auto"
	case "gcs":
		return "https://storage.googleapis.com", "auto"
	}
	region = s.Region
	if region == "" {
		region = "us-east-1"
	}
	return s.Endpoint, region
}

// Checker validates origins against their stores.
type Checker struct {
	Policy netguard.Policy
	// Timeout bounds one whole check.
	Timeout time.Duration
}

// Result is the outcome of a check.
type Result struct {
	Read, Write bool
	// Error is a sentence a person can act on; empty on success.
	Error string
}

// Open returns a blob store for an S3-compatible target.
func (c *Checker) Open(t Target) (*blobs3.Store, error) {
	endpoint, region := S3Endpoint(t.Provider, t.Settings)
	return blobs3.New(blobs3.Config{
		Endpoint: endpoint, Region: region, Bucket: t.Settings.Bucket,
		AccessKeyID: t.Creds.AccessKeyID, SecretAccessKey: t.Creds.SecretAccessKey,
		Prefix: strings.Trim(t.BasePath, "/"), HTTPClient: c.Policy.HTTPClient(30 * time.Second),
	})
}

// Check proves the wanted permissions.
func (c *Checker) Check(ctx context.Context, t Target, read, write bool) Result {
	timeout := c.Timeout
	if timeout == 0 {
		timeout = 20 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if t.Provider == "http" {
		return c.checkHTTP(ctx, t)
	}
	st, err := c.Open(t)
	if err != nil {
		return Result{Error: "invalid storage settings: " + err.Error()}
	}
	var res Result
	if read {
		if err := st.CheckRead(ctx); err != nil {
			return Result{Error: Describe(err)}
		}
		res.Read = true
	}
	if write {
		if err := st.CheckWrite(ctx); err != nil {
			res.Error = Describe(err)
			return res
		}
		res.Write = true
	}
	return res
}

// checkHTTP makes a HEAD of the base URL, or a one-byte GET for servers
// that refuse HEAD: any answer below 500 other than 401/403 shows the server
// is reachable and accepts the configured headers. Redirects are followed,
// each hop dialed through the policy.
func (c *Checker) checkHTTP(ctx context.Context, t Target) Result {
	client := c.Policy.HTTPClient(15 * time.Second)
	status, err := c.request(ctx, client, http.MethodHead, t)
	if err == nil && (status == http.StatusMethodNotAllowed || status == http.StatusNotImplemented) {
		status, err = c.request(ctx, client, http.MethodGet, t)
	}
	switch {
	case err != nil:
		return Result{Error: err.Error()}
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return Result{Error: fmt.Sprintf("access denied: %s answered %d; check the configured headers", t.Settings.BaseURL, status)}
	case status >= 500:
		return Result{Error: fmt.Sprintf("%s answered %d", t.Settings.BaseURL, status)}
	}
	return Result{Read: true}
}

// request sends one request to the base URL and returns the status; errors
// are sentences for validation_error.
func (c *Checker) request(ctx context.Context, client *http.Client, method string, t Target) (int, error) {
	req, err := http.NewRequestWithContext(ctx, method, t.Settings.BaseURL, nil)
	if err != nil {
		return 0, errors.New("invalid base_url")
	}
	for k, v := range t.Creds.Headers {
		req.Header.Set(k, v)
	}
	if method == http.MethodGet {
		req.Header.Set("Range", "bytes=0-0")
	}
	resp, err := client.Do(req)
	if err != nil {
		if nerr := blob.NetworkError(t.Settings.BaseURL, err); nerr != nil {
			return 0, errors.New(Describe(nerr))
		}
		// Not a network failure (too many redirects, a redirect to another
		// scheme): the reason without url.Error's echo of the URL.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return 0, fmt.Errorf("cannot reach endpoint %s: %s", t.Settings.BaseURL, Describe(err))
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// Describe makes a storage error into a sentence for validation_error:
// the translated message without raw SDK noise, never a credential.
func Describe(err error) string {
	if err == nil {
		return ""
	}
	var be *blob.Error
	if errors.As(err, &be) {
		return be.Msg
	}
	var fe *netguard.ForbiddenError
	if errors.As(err, &fe) {
		return fe.Error()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "the storage endpoint did not answer in time"
	}
	return err.Error()
}
